import 'server-only';
import { randomBytes } from 'node:crypto';
import { NO_TARGET, type ApiAnnotation, type ApiComment, type ApiTradecraft } from '@/lib/domain/api-types';
import type { Target } from '@/lib/domain/anchoring';
import type { CommentContent } from '@/lib/domain/comment-body';
import type { Tag } from '@/lib/domain/tags';
import { Prisma } from '@/generated/prisma/client';
import { hotQuery } from './db';
import { eventCtes, type AppendedEvent } from './events';
import { requestHash } from './idempotency';
import { currentRevisionRow } from './revision-guard';

/**
 * The one way an annotation is created, with or without a first comment, in ONE statement: one
 * round trip and one implicit transaction instead of an interactive one (the API's hot path; see
 * docs/benchmarks.md):
 *
 *   d: the document row, only if the revision is still current, held FOR SHARE (revision-guard.ts);
 *   k: the Idempotency-Key row with the final answer (ON CONFLICT DO NOTHING: a concurrent retry
 *      blocks on the unique index until the first commits, then inserts nothing);
 *   a: the annotation; c: its first comment, if any; n: notifications of the people that comment
 *      mentions (active users, never the author; lib/server/notifications.ts), each announced
 *      with NOTIFY user_notifications;
 *   l: the event-order advisory lock (see events.ts), taken after the inserts and held to the
 *      commit; e: the event rows (annotation.created, then comment.created); then NOTIFY.
 *
 * Each step reads from the previous one, so nothing is written unless every earlier step produced
 * its row. The answer is built here (ids, times and all), so it is also the events' payload and
 * the stored idempotent answer, without reading anything back.
 */
export type InsertOutcome =
  | { kind: 'created'; annotation: ApiAnnotation; comment?: ApiComment; notified: { userId: string; reason: 'mention' }[] }
  | { kind: 'revised' }
  | { kind: 'replay'; hash: string };

const NO_JUDGMENT = { likelihood: null, confidence: null, source: null, reliability: null, credibility: null, needsSource: false } as const;

// Same shape as Prisma's cuid() ids (a letter, then base-36 time and randomness).
const newId = () => `c${Date.now().toString(36)}${randomBytes(9).toString('hex')}`;

export async function insertAnnotation(
  actor: { id: string; name: string },
  place: { documentId: string; revisionId: string },
  tag: Tag,
  /** Its checked selectors, or null for a page note (about the whole document, no passage). */
  target: Target | null,
  first: CommentContent | null, // parsed and rendered by parseCommentBody
  idempotency: { key: string; scope: string; request: unknown } | null,
  /** Tradecraft fields, already checked against the tag (lib/domain/api-schemas.ts). */
  judgment: Pick<ApiTradecraft, 'likelihood' | 'confidence' | 'source' | 'reliability' | 'credibility' | 'needsSource'> = NO_JUDGMENT,
): Promise<InsertOutcome> {
  const { documentId, revisionId } = place;
  const now = new Date();
  const author = { id: actor.id, name: actor.name };
  const annotation: ApiAnnotation = {
    id: newId(), documentId, revisionId, tag, status: 'open', scope: target ? 'passage' : 'document', target: target ?? NO_TARGET, anchor: 'anchored', anchorMethod: 'created', anchorScore: null,
    ...judgment, outcome: null, outcomeRationale: null,
    author, commentCount: first ? 1 : 0, version: 1, createdAt: now.toISOString(), updatedAt: now.toISOString(),
  };
  const comment: ApiComment | undefined = first
    ? {
        id: newId(), annotationId: annotation.id, parentId: null, author, body: first.body, html: first.html, version: 1,
        createdAt: now.toISOString(), editedAt: null, deleted: false,
      }
    : undefined;
  const answer = JSON.stringify(comment ? { annotation, comment } : { annotation });
  const events: AppendedEvent[] = [{ documentId, type: 'annotation.created', actorId: actor.id, resourceId: annotation.id, payload: JSON.stringify(annotation) }];
  if (comment) events.push({ documentId, type: 'comment.created', actorId: actor.id, resourceId: comment.id, payload: JSON.stringify(comment) });

  const { exact, prefix, suffix } = annotation.target.quote;
  const { start, end } = annotation.target.position;
  const hash = idempotency ? requestHash(idempotency.request) : '';
  const keyRow = idempotency
    ? Prisma.sql`INSERT INTO "IdempotencyKey" ("userId", key, scope, "requestHash", status, response)
        SELECT ${actor.id}, ${idempotency.key}, ${idempotency.scope}, ${hash}, 201, ${answer}::text::jsonb FROM d
        ON CONFLICT DO NOTHING RETURNING 1`
    : Prisma.sql`SELECT 1 FROM d`;
  const commentRow = first && comment
    ? Prisma.sql`c AS (INSERT INTO "Comment" (id, "annotationId", "authorId", body, html, text, "createdAt")
          SELECT ${comment.id}, id, ${actor.id}, ${JSON.stringify(first.body)}::text::jsonb, ${first.html}, ${first.text}, ${now} FROM a
          RETURNING id),`
    : Prisma.empty;
  const mentioned = first ? first.mentions.filter((id) => id !== actor.id) : [];
  const notifyRows = comment && mentioned.length
    ? Prisma.sql`n AS (INSERT INTO "Notification" (id, "userId", "actorId", "commentId", "annotationId", "documentId", reason)
          SELECT r.nid, u.id, ${actor.id}, c.id, ${annotation.id}, ${documentId}, 'mention' FROM c,
            unnest(${mentioned.map(() => newId())}::text[], ${mentioned}::text[]) AS r(nid, uid) JOIN "User" u ON u.id = r.uid AND u.active
          RETURNING "userId"),`
    : Prisma.sql`n AS (SELECT NULL::text AS "userId" WHERE false),`;
  // A prepared statement through postgres.js (db.ts hotQuery): the hot path of the API.
  const rows = await hotQuery<{ current: number; written: number; mentioned: string[] | null }>(Prisma.sql`
    WITH d AS (${currentRevisionRow(documentId, revisionId)}),
    k AS (${keyRow}),
    a AS (INSERT INTO "Annotation" (id, "documentId", "revisionId", "authorId", tag, scope, exact, prefix, suffix, start, "end", "createdAt", "updatedAt",
                               likelihood, confidence, source, reliability, credibility, "needsSource")
          SELECT ${annotation.id}, ${documentId}, ${revisionId}, ${actor.id}, ${tag}::"Tag", ${annotation.scope}::"AnnotationScope", ${exact}, ${prefix}, ${suffix}, ${start}, ${end}, ${now}, ${now},
                 ${judgment.likelihood}::"Likelihood", ${judgment.confidence}::"Confidence", ${judgment.source}::text, ${judgment.reliability}::"Reliability",
                 ${judgment.credibility}::smallint, ${judgment.needsSource} FROM k
          RETURNING id),
    ${commentRow}
    ${notifyRows}
    ${eventCtes(events, comment ? 'c' : 'a')}
    SELECT (SELECT count(*) FROM d)::int AS current, (SELECT count(*) FROM e)::int AS written,
           (SELECT string_agg(pg_notify('doc_events', id::text)::text, '' ORDER BY id) FROM e) AS notified,
           (SELECT array_agg("userId") FROM n) AS mentioned,
           (SELECT string_agg(pg_notify('user_notifications', "userId")::text, '') FROM n) AS announced`);
  const [r] = rows;
  if (!r.current) return { kind: 'revised' };
  if (!r.written) return { kind: 'replay', hash };
  return { kind: 'created', annotation, comment, notified: (r.mentioned ?? []).map((userId) => ({ userId, reason: 'mention' as const })) };
}
