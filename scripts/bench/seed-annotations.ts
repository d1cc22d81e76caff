/**
 * Seeding for the benchmarks that read heavily annotated documents (reader-load.ts, page-load.ts):
 * a seeded PRNG, and annotations (with comments) inserted straight into the database.
 */
import type postgres from 'postgres';
import { describe, trimRange } from '../../lib/domain/anchoring';
import { parseCommentBody } from '../../lib/domain/comment-body';

/** mulberry32: a small seeded PRNG, so every run seeds the same passages. */
export const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
export const pick = <T>(r: () => number, xs: readonly T[]) => xs[Math.floor(r() * xs.length)];

/** Nearest-rank percentile: the smallest value with at least p % of the values at or below it. */
export const pct = (xs: number[], p: number) => {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length ? v[Math.max(0, Math.ceil((p / 100) * v.length) - 1)] : NaN;
};

export const WORDS = ('analysts assessed the regional alliance supply artillery shells sanctions evidence reportedly officials satellite imagery suggests ' +
  'shipments rail port logistics minister visit treaty clause mutual defence missile technology transfer intelligence sources confirm deny likely ' +
  'unlikely moderate confidence timeline border naval fleet economic leverage oil payments barter workers troops deployment frontline drones ' +
  'components factory output estimates range between however although because therefore meanwhile which would could should may further').split(' ');

/** How many comments each annotation gets: by default ~10 % get 1-3 (reader-load's mix). */
export type CommentsPer = (r: () => number) => number;
const FEW: CommentsPer = (r) => (r() < 0.1 ? 1 + Math.floor(r() * 3) : 0);

/**
 * Inserts `n` annotations (passages of 10-200 characters that may overlap, all three tags, ~20 %
 * resolved) with comments on the document's current revision; returns how many are anchored.
 * Each row also gets the event the app writes with it (its creation, the row as payload), so the
 * document has as many events as a real one so annotated; they are not announced: read the
 * document only after seeding.
 */
export async function seed(sql: postgres.Sql, documentId: string, authorId: string, r: () => number, n: number, commentsPer: CommentsPer = FEW): Promise<number> {
  const [{ revisionId, text }] = await sql<{ revisionId: string; text: string }[]>`
    SELECT d."currentRevisionId" AS "revisionId", r.text FROM "Document" d JOIN "DocumentRevision" r ON r.id = d."currentRevisionId" WHERE d.id = ${documentId}`;
  const [annotations, comments]: Record<string, unknown>[][] = [[], []];
  while (annotations.length < n) {
    const len = r() < 0.6 ? 10 + Math.floor(r() * 50) : 60 + Math.floor(r() * 141);
    const s0 = Math.floor(r() * (text.length - 10));
    const range = trimRange(text, s0, Math.min(text.length, s0 + len));
    if (!range || range.end - range.start < 10) continue;
    const { quote, position } = describe(text, range.start, range.end);
    const [id, createdAt] = [crypto.randomUUID(), new Date(Date.now() - (n - annotations.length) * 1000)];
    const tag = pick(r, ['evidence', 'speculation', 'assessment'] as const);
    annotations.push({ id, documentId, revisionId, authorId, tag, status: r() < 0.2 ? 'resolved' : 'open', ...quote, ...position, createdAt, updatedAt: createdAt });
    for (let c = commentsPer(r); c > 0; c--) {
      const { body, html, text: plain } = parseCommentBody({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Comment ${c}: ${pick(r, WORDS)} ${pick(r, WORDS)}.` }] }] });
      comments.push({ id: crypto.randomUUID(), annotationId: id, authorId, body, html, text: plain, createdAt: new Date(createdAt.getTime() + 10 - c) });
    }
  }
  for (let i = 0; i < annotations.length; i += 500) await sql`INSERT INTO "Annotation" ${sql(annotations.slice(i, i + 500) as never)}`;
  for (let i = 0; i < comments.length; i += 500) await sql`INSERT INTO "Comment" ${sql(comments.slice(i, i + 500) as never)}`;
  const events = [
    ...annotations.map((a) => ({ documentId, type: 'annotation.created', actorId: authorId, resourceId: String(a.id), payload: JSON.stringify(a), createdAt: a.createdAt })),
    ...comments.map((c) => ({ documentId, type: 'comment.created', actorId: authorId, resourceId: String(c.id), payload: JSON.stringify({ ...c, body: undefined }), createdAt: c.createdAt })),
  ].sort((a, b) => (a.createdAt as Date).getTime() - (b.createdAt as Date).getTime());
  for (let i = 0; i < events.length; i += 500) {
    const batch = events.slice(i, i + 500);
    await sql`INSERT INTO "Event" ("documentId", type, "actorId", "resourceId", payload, "createdAt")
      SELECT * FROM unnest(${batch.map((e) => e.documentId)}::text[], ${batch.map((e) => e.type)}::text[], ${batch.map((e) => e.actorId)}::text[],
                           ${batch.map((e) => e.resourceId)}::text[], ${batch.map((e) => e.payload)}::text[]::jsonb[], ${batch.map((e) => (e.createdAt as Date).toISOString())}::text[]::timestamptz[])`;
  }
  const [{ count }] = await sql<{ count: number }[]>`SELECT count(*)::int AS count FROM "Annotation" WHERE "documentId" = ${documentId} AND "deletedAt" IS NULL AND anchor = 'anchored'`;
  return count;
}
