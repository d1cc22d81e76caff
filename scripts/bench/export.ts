/**
 * Export of a document with 10,000 annotations (docs/benchmarks.md, "Export"):
 *
 *   npx tsx --conditions=react-server scripts/bench/export.ts [--annotations 10000] [--runs 5]
 *
 * Starts a fresh embedded PostgreSQL in .bench-export/ (migrated as on `npm start`), imports a
 * Markdown article of 50 sections with one sentence per annotation, and inserts the annotations
 * straight into the database (all three tags, tradecraft on a third, a comment on each, a reply
 * on every third: 13,334 comments). Then, through the real route handler in this process (auth,
 * zod, the service; no HTTP server), each format is read to its end `--runs` times after one
 * warm-up: W3C is the collection plus every page (`?page=N`), and the download (`page=all`); that, CSV and Markdown are one streamed
 * answer. Prints p50 / p95 (nearest rank) / max and the peak RSS growth over the process's RSS
 * before the format's runs (sampled every 5 ms). Always exits 0: a benchmark reports.
 */
import { rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { numberArg } from './args';
import { startEmbeddedDb } from '../embedded-db';
import { migrate } from '../migrate';

const N = numberArg('annotations', 10_000);
const RUNS = numberArg('runs', 5);
const DATA_DIR = '.bench-export';

rmSync(DATA_DIR, { recursive: true, force: true });
const pg = await startEmbeddedDb({ dataDir: DATA_DIR });
await migrate(pg.url);
process.env.DATABASE_URL = pg.url;
process.env.AUTH_SECRET ??= 'bench-secret-bench-secret-bench-secret';

const { db } = await import('@/lib/server/db');
const { articleJson, insertDocument } = await import('@/lib/server/documents');
const { markdownToDoc } = await import('@/lib/domain/markdown-import');
const { describe } = await import('@/lib/domain/anchoring');
const { sessionToken } = await import('../test/db');
const { request } = await import('../test/http');
const exportRoute = await import('@/app/api/documents/[id]/export/route');

try {
  const user = await db().user.create({ data: { email: 'bench@example.test', name: 'Bench', role: 'admin', passwordHash: 'x' } });
  const sentence = (i: number) => `Claim number ${i} says that shipment ${i * 7} reached the port in week ${i % 52}.`;
  const sections = 50;
  const per = Math.ceil(N / sections);
  let md = '# Export bench\n\n';
  for (let s = 0; s < sections; s++) {
    md += `## Section ${s}\n\n`;
    for (let k = s * per; k < Math.min(N, (s + 1) * per); k += 10) md += `${Array.from({ length: Math.min(10, N - k) }, (_, j) => sentence(k + j)).join(' ')}\n\n`;
  }
  const { document } = await db().$transaction((tx) => insertDocument(tx, 'Export bench', articleJson(markdownToDoc(md)), user.id));
  const text = document.revision.text;
  const tags = ['evidence', 'speculation', 'assessment'] as const;
  const t0 = performance.now();
  let from = 0;
  const annotations = [];
  for (let i = 0; i < N; i++) {
    const s = sentence(i);
    const start = text.indexOf(s, from);
    from = start + s.length;
    const t = describe(text, start, start + s.length);
    const tag = tags[i % 3];
    annotations.push({
      id: `a${String(i).padStart(6, '0')}`, documentId: document.id, revisionId: document.revision.id, authorId: user.id, tag,
      exact: t.quote.exact, prefix: t.quote.prefix, suffix: t.quote.suffix, start, end: start + s.length,
      ...(i % 3 === 2 && i % 2 === 0 ? { likelihood: 'likely' as const, confidence: 'moderate' as const } : {}),
      ...(i % 3 === 0 && i % 2 === 0 ? { source: `https://example.org/report/${i}`, reliability: 'B' as const, credibility: 2 } : {}),
      ...(i % 5 === 0 ? { status: 'resolved' as const, outcome: 'accepted' as const, outcomeRationale: 'Checked against two reports' } : {}),
    });
  }
  for (let k = 0; k < annotations.length; k += 1000) await db().annotation.createMany({ data: annotations.slice(k, k + 1000) });
  const body = (s: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: s }] }] });
  const comments = [];
  for (let i = 0; i < N; i++) {
    const a = annotations[i].id;
    comments.push({ id: `c${i}`, annotationId: a, authorId: user.id, body: body(`Which source says ${i}?`), html: `<p>Which source says ${i}?</p>`, text: `Which source says ${i}?` });
    if (i % 3 === 0) comments.push({ id: `r${i}`, annotationId: a, parentId: `c${i}`, authorId: user.id, body: body('=SUM(A1) the agency, 2024'), html: '<p>=SUM(A1) the agency, 2024</p>', text: '=SUM(A1) the agency, 2024' });
  }
  for (let k = 0; k < comments.length; k += 2000) await db().comment.createMany({ data: comments.slice(k, k + 2000) });
  console.log(`seeded ${N} annotations and ${comments.length} comments in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const cookie = await sessionToken(user.id);
  const answer = (query: string) =>
    exportRoute.GET(request('GET', `/api/documents/${document.id}/export?${query}`, { cookie }), { params: Promise.resolve({ id: document.id }) });
  /** Reads a streamed answer to its end, keeping nothing but the count (as a client writing to disk). */
  const drain = async (res: Response) => {
    if (res.status !== 200) throw new Error(`export answered ${res.status}`);
    let bytes = 0;
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return bytes;
      bytes += value.byteLength;
    }
  };
  const formats: Record<string, () => Promise<number>> = {
    w3c: async () => {
      const first = await (await answer('format=w3c')).text();
      let bytes = first.length;
      const last = Number(new URL(JSON.parse(first).last).searchParams.get('page'));
      for (let p = 1; p <= last; p++) bytes += await drain(await answer(`format=w3c&page=${p}`));
      return bytes;
    },
    'w3c, one file (page=all)': async () => drain(await answer('format=w3c&page=all')),
    csv: async () => drain(await answer('format=csv')),
    markdown: async () => drain(await answer('format=markdown')),
  };
  const rank = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * xs.length) - 1)];
  console.log(`\n${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`);
  console.log('| format | answer | p50 | p95 | max | peak RSS growth |\n|---|---|---|---|---|---|');
  for (const [name, run] of Object.entries(formats)) {
    await run(); // warm-up
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const times: number[] = [];
    let size = 0;
    for (let r = 0; r < RUNS; r++) {
      const t = performance.now();
      size = await run();
      times.push(performance.now() - t);
    }
    clearInterval(sampler);
    const ms = (x: number) => `${Math.round(x)} ms`;
    console.log(`| ${name} | ${(size / 2 ** 20).toFixed(1)} MiB | ${ms(rank(times, 0.5))} | ${ms(rank(times, 0.95))} | ${ms(Math.max(...times))} | ${((peak - base) / 2 ** 20).toFixed(0)} MiB |`);
  }
} finally {
  await db().$disconnect();
  await pg.stop();
  rmSync(DATA_DIR, { recursive: true, force: true });
}
