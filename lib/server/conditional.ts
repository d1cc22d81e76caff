import 'server-only';
/**
 * Conditional reads of a document's data (docs/api.md, "Conditional requests"): `ETag` and `304
 * Not Modified` on `If-None-Match` for `GET /api/documents/:id`, `…/annotations` and `…/export`.
 *
 * Every change to what those answer writes an event of the document in the same transaction
 * (annotations, comments, links, revisions, renames, deletion, dismissals), so the document's
 * events say when an answer may have changed. The stamp is their newest id: ids are in commit
 * order (events.ts draws each under a lock held until its transaction commits), so no event can
 * commit later with a smaller id than one already read. One index probe, whatever the number of
 * events (a count of them, which the stamp had, cost ~1 ms of PostgreSQL CPU per read of a
 * document with 8,000 events, docs/benchmarks.md P5).
 * The tag also hashes the requester and the query (the answer's view: a role, "mine", filters),
 * so one user's tag is never another's. One query (the events' index on documentId, id) decides a
 * 304 before anything else is read.
 */
import { createHash } from 'node:crypto';
import type { NextRequest } from 'next/server';
import { Prisma } from '@/generated/prisma/client';
import { notFound } from '@/lib/domain/errors';
import { authorize, type Actor } from '@/lib/domain/policy';
import { db } from './db';
import type { DocumentHead } from './snapshots';

/**
 * Private data is never stored by caches (docs/security.md), so the tag serves clients that keep
 * an answer themselves (scripts, other tools) and send it back in If-None-Match.
 */
const NO_STORE = 'no-store';

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/** `If-None-Match`: true when the client already has this representation (weak comparison; `*` matches). */
export function notModified(header: string | null, etag: string): boolean {
  if (header === null) return false;
  return header.split(',').some((t) => t.trim() === '*' || opaque(t) === opaque(etag));
}

/**
 * The document's newest event id and its current revision (the head a snapshot is keyed by,
 * lib/server/snapshots.ts); no row when it does not exist or was deleted.
 */
export const documentStampSql = (documentId: string) => Prisma.sql`
    SELECT (SELECT max(e.id) FROM "Event" e WHERE e."documentId" = d.id) AS last,
           d."currentRevisionId" AS "revisionId"
    FROM "Document" d WHERE d.id = ${documentId} AND d."deletedAt" IS NULL`;

async function documentStamp(documentId: string): Promise<{ stamp: string; head: DocumentHead | null } | null> {
  const rows = await db().$queryRaw<{ last: bigint | null; revisionId: string | null }[]>(documentStampSql(documentId));
  if (!rows.length) return null;
  const { last, revisionId } = rows[0];
  return { stamp: String(last ?? 0n), head: revisionId ? { revisionId, eventId: last ?? 0n } : null };
}

/** The weak tag of a read of the document by `actor` with this query, and the document's head. */
export async function documentETag(actor: Actor, documentId: string, query: string): Promise<{ etag: string; head: DocumentHead | null }> {
  authorize(actor, 'document.read');
  const stamp = await documentStamp(documentId);
  if (stamp === null) throw notFound('Document');
  const view = createHash('sha256').update(`${actor.id}\n${actor.role}\n${query}`).digest('base64url').slice(0, 16);
  return { etag: `W/"${stamp.stamp}.${view}"`, head: stamp.head };
}

/**
 * Answers 304 when the client's tag is current, else the read `produce` makes, tagged. `produce`
 * gets the document's head as read for the tag (for the snapshot, which is then at least as new).
 */
export async function conditionalRead(
  req: NextRequest, actor: Actor, documentId: string, produce: (head: DocumentHead | undefined) => Promise<Response>,
): Promise<Response> {
  const { etag, head } = await documentETag(actor, documentId, req.nextUrl.search);
  if (notModified(req.headers.get('if-none-match'), etag)) {
    return new Response(null, { status: 304, headers: { ETag: etag, 'Cache-Control': NO_STORE } });
  }
  const res = await produce(head ?? undefined);
  if (res.status === 200) {
    res.headers.set('ETag', etag);
    res.headers.set('Cache-Control', NO_STORE);
  }
  return res;
}
