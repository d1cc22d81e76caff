/**
 * Full-text search latency (lib/server/search.ts) over 100 documents with 200,000 annotations and
 * 500,000 comments, seeded in bulk with INSERT … SELECT generate_series (not the API). Run:
 *   node --conditions=react-server --import tsx scripts/bench/search.ts [--docs 100] [--annotations 200000] [--comments 500000] [--runs 200]
 * Uses DATABASE_URL when set (its data is replaced), else a throw-away embedded PostgreSQL.
 * Words are `w<n>` with n skewed towards small numbers (w1 is in most texts, w4990 in few), plus a
 * code ("KN-23") in 0.1 % of comments. For each query kind it runs `runs` searches across all
 * documents (GET /api/search's service, limit 20) and `runs` within one document (the list's
 * q=), after 10 warm-up runs, and prints p50 / p95 / max in ms as a Markdown table. Always exits 0.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { numberArg } from './args';
import { startEmbeddedDb } from '../embedded-db';
import { migrate } from '../migrate';

const DOCS = numberArg('docs', 100);
const ANNOTATIONS = numberArg('annotations', 200_000);
const COMMENTS = numberArg('comments', 500_000);
const RUNS = numberArg('runs', 200);

let stop = async () => {};
let url = process.env.DATABASE_URL;
if (!url) {
  const dataDir = path.join(tmpdir(), `marginalia-bench-search-${process.pid}`);
  const db = await startEmbeddedDb({ dataDir });
  url = db.url;
  stop = async () => {
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
process.env.DATABASE_URL = url;
await migrate(url);
const sql = postgres(url, { max: 1, onnotice: () => {} });

/** A text of `n` words: w<k>, k = floor(5000 · r³) (skewed), as an SQL expression over row `g`. */
const words = (n: number, salt: number) =>
  `(SELECT string_agg('w' || floor(5000 * power(random(), 3))::int, ' ') FROM generate_series(1, ${n}) s WHERE s > 0 * ${salt} * g)`;

console.error(`seeding ${DOCS} documents, ${ANNOTATIONS} annotations, ${COMMENTS} comments…`);
let t = performance.now();
await sql.unsafe(`TRUNCATE "Comment", "Annotation", "DocumentRevision", "Document", "User" CASCADE`);
await sql.unsafe(`INSERT INTO "User" (id, email, name, role, "passwordHash", "updatedAt") VALUES ('bench-user', 'bench@example.test', 'Bench', 'analyst', 'x', now())`);
await sql.unsafe(`INSERT INTO "Document" (id, title, "updatedAt") SELECT 'd' || g, 'Document ' || g, now() FROM generate_series(1, ${DOCS}) g`);
await sql.unsafe(`INSERT INTO "DocumentRevision" (id, "documentId", number, content, text) SELECT 'r' || g, 'd' || g, 1, '{"type":"doc","content":[]}', 'x' FROM generate_series(1, ${DOCS}) g`);
await sql.unsafe(`UPDATE "Document" SET "currentRevisionId" = 'r' || substr(id, 2)`);
await sql.unsafe(`
  INSERT INTO "Annotation" (id, "documentId", "revisionId", "authorId", tag, exact, start, "end", "updatedAt")
  SELECT 'a' || g, 'd' || (1 + g % ${DOCS}), 'r' || (1 + g % ${DOCS}), 'bench-user', (ARRAY['evidence','speculation','assessment']::"Tag"[])[1 + g % 3],
    ${words(8, 1)}, 0, 1, now()
  FROM generate_series(1, ${ANNOTATIONS}) g`);
await sql.unsafe(`
  INSERT INTO "Comment" (id, "annotationId", "authorId", body, html, text)
  SELECT 'c' || g, 'a' || (1 + g % ${ANNOTATIONS}), 'bench-user', '{}', '',
    ${words(20, 2)} || CASE WHEN g % 1000 = 0 THEN ' KN-23' ELSE '' END
  FROM generate_series(1, ${COMMENTS}) g`);
for (const table of ['Annotation', 'Comment', 'Document']) await sql.unsafe(`VACUUM ANALYZE "${table}"`);
console.error(`seeded in ${((performance.now() - t) / 1000).toFixed(0)} s`);

const { search, matchingAnnotationIds } = await import('@/lib/server/search');
const actor = { id: 'bench-user', role: 'analyst' as const };
const KINDS: [string, string][] = [
  ['rare word', 'w4990'],
  ['two words', 'w300 w301'],
  ['prefix (last word)', 'w49'],
  ['code (simple config)', 'KN-23'],
  ['common word', 'w1'],
  ['no hit', 'zzzz'],
];

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
async function measure(fn: () => Promise<unknown>) {
  for (let i = 0; i < 10; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return `${pct(times, 50).toFixed(1)} / **${pct(times, 95).toFixed(1)}** / ${times[times.length - 1].toFixed(1)}`;
}

console.log(`| query | hits (all docs, limit 20) | across documents p50 / p95 / max ms | one document (q= on the list) p50 / p95 / max ms |`);
console.log('|---|---|---|---|');
for (const [kind, q] of KINDS) {
  const hits = (await search(actor, { q, limit: 20 })).total;
  const across = await measure(() => search(actor, { q, limit: 20 }));
  const one = await measure(() => matchingAnnotationIds('d7', q));
  console.log(`| ${kind}: \`${q}\` | ${hits} | ${across} | ${one} |`);
}
await sql.end();
const { db } = await import('@/lib/server/db');
await db().$disconnect();
await stop();
process.exit(0);
