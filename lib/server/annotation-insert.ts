import 'server-only';
import { randomBytes } from 'node:crypto';
import type { ApiAnnotation } from '@/lib/domain/api-types';
import type { Target } from '@/lib/domain/anchoring';
import type { Tag } from '@/lib/domain/tags';
import { Prisma } from '@/generated/prisma/client';
import { db } from './db';
import { eventCtes } from './events';
import { requestHash } from './idempotency';

/**
 * Creating a highlight without a first comment (the hot path of the API) in ONE statement, so one
 * round trip and one implicit transaction instead of an interactive one:
 *
 *   d: the document row, only if the revision is still current, held FOR SHARE (a publish, which
 *      locks it FOR UPDATE, waits, and so cannot leave this highlight behind on the old text);
 *   k: the Idempotency-Key row with the final answer (ON CONFLICT DO NOTHING: a concurrent retry
 *      blocks on the unique index until the first commits, then inserts nothing);
 *   a: the annotation; l: the event-order advisory lock (see events.ts), taken after the insert
 *      and held to the commit; e: the event row; then NOTIFY.
 *
 * Each step reads from the previous one, so nothing is written unless every earlier step produced
 * its row. The answer is built here (id, times and all), so it is also the event payload and the
 * stored idempotent answer, without reading anything back.
 */
export type InsertOutcome = { kind: 'created'; annotation: ApiAnnotation } | { kind: 'revised' } | { kind: 'replay'; hash: string };

const newId = () => `c${Date.now().toString(36)}${randomBytes(9).toString('hex')}`;

export async function insertAnnotation(
  actor: { id: string; name: string },
  documentId: string,
  revisionId: string,
  tag: Tag,
  target: Target,
  idempotency: { key: string; scope: string; request: unknown } | null,
): Promise<InsertOutcome> {
  const now = new Date();
  const annotation: ApiAnnotation = {
    id: newId(), documentId, revisionId, tag, status: 'open', target, anchor: 'anchored', anchorMethod: 'created', anchorScore: null,
    author: { id: actor.id, name: actor.name }, commentCount: 0, version: 1, createdAt: now.toISOString(), updatedAt: now.toISOString(),
  };
  const payload = JSON.stringify(annotation);
  const { exact, prefix, suffix } = target.quote;
  const { start, end } = target.position;
  const hash = idempotency ? requestHash(idempotency.request) : '';
  const keyRow = idempotency
    ? Prisma.sql`INSERT INTO "IdempotencyKey" ("userId", key, scope, "requestHash", status, response)
        SELECT ${actor.id}, ${idempotency.key}, ${idempotency.scope}, ${hash}, 201, jsonb_build_object('annotation', ${payload}::jsonb) FROM d
        ON CONFLICT DO NOTHING RETURNING 1`
    : Prisma.sql`SELECT 1 FROM d`;
  const rows = await db().$queryRaw<{ current: number; written: number }[]>`
    WITH d AS (SELECT id FROM "Document" WHERE id = ${documentId} AND "currentRevisionId" = ${revisionId} FOR SHARE),
    k AS (${keyRow}),
    a AS (INSERT INTO "Annotation" (id, "documentId", "revisionId", "authorId", tag, exact, prefix, suffix, start, "end", "createdAt", "updatedAt")
          SELECT ${annotation.id}, ${documentId}, ${revisionId}, ${actor.id}, ${tag}::"Tag", ${exact}, ${prefix}, ${suffix}, ${start}, ${end}, ${now}, ${now} FROM k
          RETURNING id),
    ${eventCtes({ documentId, type: 'annotation.created', actorId: actor.id, resourceId: annotation.id, payload }, 'a')}
    SELECT (SELECT count(*) FROM d)::int AS current, (SELECT count(*) FROM e)::int AS written,
           (SELECT pg_notify('doc_events', id::text) FROM e)::text AS notified`;
  const [r] = rows;
  if (!r.current) return { kind: 'revised' };
  if (!r.written) return { kind: 'replay', hash };
  return { kind: 'created', annotation };
}
