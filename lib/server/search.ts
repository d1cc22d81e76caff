import 'server-only';
/**
 * Full-text search over annotation quotes and comment text (docs/api.md, "Search").
 *
 * Each of Annotation and Comment has two generated tsvector columns with GIN indexes:
 * `searchEnglish` (stemmed, stop words dropped) and `searchSimple` (every word as written, for
 * names and codes such as "KN-23"). A hit matches either; its rank is the better of the two
 * ts_rank values. The user's words never reach PostgreSQL as tsquery syntax: they are read by
 * `to_tsvector` with the same configuration (so "KN-23" becomes the lexemes `kn` and `-23`, as in
 * the stored text), each lexeme is quoted, the last one (the word being typed) is a prefix (`:*`),
 * and they are ANDed. Quotes and comments of deleted annotations, deleted comments and deleted
 * documents are never searched.
 */
import type { TSearchQuery } from '@/lib/domain/api-schemas';
import type { ApiSearchHit, ApiSearchResult } from '@/lib/domain/api-types';
import { authorize, type Actor } from '@/lib/domain/policy';
import { Prisma } from '@/generated/prisma/client';
import { db } from './db';

export interface SearchTerms {
  english: string;
  simple: string;
}

/** The tsquery text for one configuration, built from the lexemes of `q` (quoted; last one a prefix). */
const termsSql = (config: 'english' | 'simple', q: string) => Prisma.sql`(
  SELECT coalesce(string_agg(
    chr(39) || replace(replace(lexeme, chr(92), chr(92) || chr(92)), chr(39), chr(39) || chr(39)) || chr(39)
      || CASE WHEN last = 1 THEN ':*' ELSE '' END,
    ' & ' ORDER BY first), '')
  FROM (
    SELECT lexeme, positions[1] AS first,
      row_number() OVER (ORDER BY positions[array_length(positions, 1)] DESC) AS last
    FROM unnest(to_tsvector(${config}::regconfig, ${q}))
  ) w)`;

/** The two tsqueries (as text) for `q`; an empty one matches nothing. */
export async function searchTerms(q: string): Promise<SearchTerms> {
  const [row] = await db().$queryRaw<SearchTerms[]>`SELECT ${termsSql('english', q)} AS english, ${termsSql('simple', q)} AS simple`;
  return row;
}

const matches = (alias: string, t: SearchTerms) => {
  const a = Prisma.raw(`"${alias}"`);
  const parts: Prisma.Sql[] = [];
  if (t.english) parts.push(Prisma.sql`${a}."searchEnglish" @@ ${t.english}::tsquery`);
  if (t.simple) parts.push(Prisma.sql`${a}."searchSimple" @@ ${t.simple}::tsquery`);
  return parts.length ? Prisma.sql`(${Prisma.join(parts, ' OR ')})` : Prisma.sql`false`;
};

const rank = (alias: string, t: SearchTerms) => {
  const a = Prisma.raw(`"${alias}"`);
  const en = t.english ? Prisma.sql`ts_rank(${a}."searchEnglish", ${t.english}::tsquery)` : Prisma.sql`0`;
  const si = t.simple ? Prisma.sql`ts_rank(${a}."searchSimple", ${t.simple}::tsquery)` : Prisma.sql`0`;
  return Prisma.sql`greatest(${en}, ${si})`;
};

/**
 * Across documents, a word that matches a large share of the corpus is ranked among its first
 * CANDIDATES quote matches and CANDIDATES comment matches (in the order the index gives them), not
 * among all of them: ranking every one of 130,000 matching comments took 0.7–0.9 s (docs/benchmarks.md),
 * so for such words the order is approximate. Selective words (most searches) have fewer matches
 * than this and are ranked exactly. Within one document (no limit) every match counts.
 */
export const CANDIDATES = 4000;

/**
 * One row per matching annotation (live, in a live document, within `scope`): its rank (quote
 * rank plus the best comment's, so a passage whose quote and discussion both match comes first)
 * and the best matching comment, if any.
 */
function hitsSql(t: SearchTerms, scope: Prisma.Sql, limit: number | null) {
  const bound = limit === null ? Prisma.empty : Prisma.sql`LIMIT ${CANDIDATES}`;
  return Prisma.sql`
    WITH quote AS (
      SELECT a.id AS "annotationId", ${rank('a', t)} AS rank
      FROM (
        SELECT a.id, a."searchEnglish", a."searchSimple"
        FROM "Annotation" a JOIN "Document" d ON d.id = a."documentId" AND d."deletedAt" IS NULL
        WHERE a."deletedAt" IS NULL AND ${scope} AND ${matches('a', t)}
        ${bound}
      ) a
    ), comment AS (
      SELECT DISTINCT ON (c."annotationId") c."annotationId", c.id AS "commentId", c.text, ${rank('c', t)} AS rank
      FROM (
        SELECT c.id, c."annotationId", c.text, c."createdAt", c."searchEnglish", c."searchSimple"
        FROM "Comment" c
        JOIN "Annotation" a ON a.id = c."annotationId" AND a."deletedAt" IS NULL
        JOIN "Document" d ON d.id = a."documentId" AND d."deletedAt" IS NULL
        WHERE c."deletedAt" IS NULL AND ${scope} AND ${matches('c', t)}
        ${bound}
      ) c
      ORDER BY c."annotationId", rank DESC, c."createdAt", c.id
    )
    SELECT coalesce(q."annotationId", c."annotationId") AS "annotationId",
      coalesce(q.rank, 0) + coalesce(c.rank, 0) AS rank, q."annotationId" IS NOT NULL AS "inQuote",
      c."commentId", c.text AS "commentText"
    FROM quote q FULL JOIN comment c ON c."annotationId" = q."annotationId"
    ORDER BY rank DESC, 1
    ${limit === null ? Prisma.empty : Prisma.sql`LIMIT ${limit}`}`;
}

interface HitRow { annotationId: string; rank: number; inQuote: boolean; commentId: string | null; commentText: string | null }
interface HitDetails {
  tag: ApiSearchHit['tag']; status: ApiSearchHit['status']; anchor: ApiSearchHit['anchor']; quote: string; createdAt: Date;
  documentId: string; documentTitle: string; authorId: string; authorName: string; commentCount: number;
}

/** The ids of a document's live annotations whose quote or a visible comment matches `q`. */
export async function matchingAnnotationIds(documentId: string, q: string): Promise<string[]> {
  const t = await searchTerms(q);
  if (!t.english && !t.simple) return [];
  const rows = await db().$queryRaw<HitRow[]>(hitsSql(t, Prisma.sql`a."documentId" = ${documentId}`, null));
  return rows.map((r) => r.annotationId);
}

/** A comment's text around its first matching word, at most `SNIPPET` characters. */
const SNIPPET = 200;
function snippet(text: string, q: string): string {
  if (text.length <= SNIPPET) return text;
  const words = q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const lower = text.toLowerCase();
  const at = Math.min(...words.map((w) => lower.indexOf(w)).filter((i) => i >= 0), text.length);
  const start = at === text.length ? 0 : Math.max(0, at - 60);
  return (start > 0 ? '…' : '') + text.slice(start, start + SNIPPET).trimEnd() + (start + SNIPPET < text.length ? '…' : '');
}

/**
 * `GET /api/search`: the best `limit` hits across every document the caller may read (every live
 * one), grouped by document in the order of each document's best hit.
 */
export async function search(actor: Actor, query: TSearchQuery): Promise<ApiSearchResult> {
  authorize(actor, 'document.read');
  const t = await searchTerms(query.q);
  if (!t.english && !t.simple) return { q: query.q, total: 0, documents: [] };
  // The hits' rows in the same statement: Prisma's relation _count would count every comment of the table.
  const rows = await db().$queryRaw<(HitRow & HitDetails)[]>`
    SELECT h.*, a.tag::text AS tag, a.status::text AS status, a.anchor::text AS anchor, a.exact AS quote, a."createdAt",
      a."documentId", d.title AS "documentTitle", u.id AS "authorId", u.name AS "authorName",
      (SELECT count(*)::int FROM "Comment" x WHERE x."annotationId" = a.id AND x."deletedAt" IS NULL) AS "commentCount"
    FROM (${hitsSql(t, Prisma.sql`true`, query.limit)}) h
    JOIN "Annotation" a ON a.id = h."annotationId" JOIN "Document" d ON d.id = a."documentId" JOIN "User" u ON u.id = a."authorId"
    ORDER BY h.rank DESC, h."annotationId"`;
  const groups = new Map<string, ApiSearchResult['documents'][number]>();
  for (const r of rows) {
    let g = groups.get(r.documentId);
    if (!g) groups.set(r.documentId, (g = { document: { id: r.documentId, title: r.documentTitle }, hits: [] }));
    g.hits.push({
      annotationId: r.annotationId, tag: r.tag, status: r.status, anchor: r.anchor, quote: r.quote, author: { id: r.authorId, name: r.authorName },
      commentCount: r.commentCount, createdAt: r.createdAt.toISOString(), rank: Number(r.rank), inQuote: r.inQuote,
      comment: r.commentId ? { id: r.commentId, text: snippet(r.commentText ?? '', query.q) } : null,
    });
  }
  return { q: query.q, total: rows.length, documents: [...groups.values()] };
}
