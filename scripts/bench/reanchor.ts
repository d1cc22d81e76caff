/**
 * Re-anchoring throughput: 2,000 annotations on the default article carried across a revision
 * with 50 edits (lib/domain/anchoring/reanchor.ts, pure, no database). Run:
 *   npx tsx scripts/bench/reanchor.ts [--annotations 2000] [--edits 50] [--runs 7] [--seed 1]
 * Edits are random insertions, deletions and replacements of 1–80 characters anywhere (some inside
 * quotes, some deleting whole quotes), applied to the article's plain text with a seeded PRNG.
 * Prints the median and max time over the runs (the first run warms up and is left out) and the
 * outcome counts. Always exits 0: a benchmark reports, it does not fail the build.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { describe } from '@/lib/domain/anchoring';
import { buildTextIndex } from '@/lib/domain/document-text';
import { markdownToDoc } from '@/lib/domain/markdown-import';
import { reanchorAll } from '@/lib/domain/anchoring/reanchor';
import { numberArg } from './args';

const arg = numberArg;
const N = arg('annotations', 2000);
const EDITS = arg('edits', 50);
const RUNS = arg('runs', 7);
let seed = arg('seed', 1);
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

const oldText = buildTextIndex(markdownToDoc(readFileSync('prisma/default-article.md', 'utf8'))).text;
const annotations = Array.from({ length: N }, (_, i) => {
  const start = int(0, oldText.length - 12);
  const end = Math.min(oldText.length, start + int(8, 200));
  return { id: `a${i}`, target: describe(oldText, start, end) };
});

let newText = oldText;
const words = ['reportedly', 'according to officials', 'in 2024', 'the', 'sanctions', '—', 'Pyongyang’s'];
for (let e = 0; e < EDITS; e++) {
  const at = int(0, newText.length - 1);
  const kind = int(0, 2);
  const len = int(1, 80);
  const insert = kind === 1 ? '' : words[int(0, words.length - 1)] + ' ';
  newText = newText.slice(0, at) + insert + newText.slice(kind === 0 ? at : Math.min(newText.length, at + len));
}

const times: number[] = [];
let counts: Record<string, number> = {};
for (let r = 0; r <= RUNS; r++) {
  const t0 = performance.now();
  const results = reanchorAll(annotations, oldText, newText);
  const dt = performance.now() - t0;
  if (r > 0) times.push(dt);
  counts = {};
  for (const res of results.values()) counts[res.status] = (counts[res.status] ?? 0) + 1;
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`re-anchoring ${N} annotations across ${EDITS} edits (${oldText.length} → ${newText.length} chars), ${RUNS} runs after a warm-up`);
console.log(`median ${median.toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms, ${(median / N * 1000).toFixed(1)} µs per annotation`);
console.log('outcomes', counts);
console.log(JSON.stringify({ bench: 'reanchor', annotations: N, edits: EDITS, medianMs: +median.toFixed(1), maxMs: +times[times.length - 1].toFixed(1), outcomes: counts }));
