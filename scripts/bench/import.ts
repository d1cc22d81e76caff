/**
 * Import and re-anchoring on hostile inputs, up to the 2 MiB source limit. Run:
 *   node --conditions=react-server --import tsx scripts/bench/import.ts [--runs 3]
 * For each pattern it times the work the heavy-work thread does (parse, schema check, plain text:
 * lib/server/heavy-work/tasks.ts) in this process at 256 KiB, 1 MiB and 2 MiB, median of the runs
 * after a warm-up, then the same 2 MiB through the worker pool (thread start excluded, copying
 * the source and result across included). Re-anchoring: 200 annotations whose quote was edited,
 * on periodic and ordinary texts. Prints a Markdown table; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { describe } from '@/lib/domain/anchoring';
import { runHeavy, stopHeavyWork } from '@/lib/server/heavy-work/pool';
import { importSource, reanchorRows, type SourceFormat } from '@/lib/server/heavy-work/tasks';
import { numberArg } from './args';

const RUNS = numberArg('runs', 3);
const KIB = 1024;
const SIZES = [256 * KIB, 1024 * KIB, 2048 * KIB];

const repeat = (unit: string) => (size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

const PATTERNS: [string, SourceFormat, (size: number) => string][] = [
  ['Markdown `[a](` repeated', 'markdown', repeat('[a](')],
  ['Markdown `_a ` repeated', 'markdown', repeat('_a ')],
  ['Markdown backticks `` `a`` ``', 'markdown', repeat('`a``')],
  ['Markdown `*a` repeated', 'markdown', repeat('*a')],
  ['Markdown `**_* ` repeated', 'markdown', repeat('**_* ')],
  ['Markdown `[` repeated', 'markdown', repeat('[')],
  ['Markdown `>` nested', 'markdown', repeat('>')],
  ['Markdown list items', 'markdown', repeat('- item\n')],
  ['Markdown table rows', 'markdown', (size) => '|a|b|c|\n|-|-|-|\n' + repeat('|x|y|z|\n')(size)],
  ['Markdown, ordinary', 'markdown', repeat('Some *ordinary* text with a [link](https://x.test/) and `code`, **bold**.\n\n')],
  ['HTML `<b><i>x` unclosed', 'html', repeat('<b><i>x')],
  ['HTML `<p><b>x` unclosed', 'html', repeat('<p><b>x')],
  ['HTML `<td>x` unclosed', 'html', repeat('<td>x')],
  ['HTML `<li>x` unclosed', 'html', repeat('<li>x')],
  ['HTML `<b>` nested, closed', 'html', (size) => '<b>'.repeat(size / 8) + 'x' + '</b>'.repeat(size / 8)],
  ['HTML, ordinary', 'html', repeat('<p>Some <em>ordinary</em> text with a <a href="https://x.test/">link</a>.</p>\n')],
  ['Text, one-line paragraphs', 'text', repeat('A line.\n\n')],
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeIt(run: () => unknown): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  return median(times);
}

function importOnce(format: SourceFormat, source: string): string {
  try {
    importSource(format, source);
    return '';
  } catch (e) {
    return e instanceof Error && e.name === 'AppError' ? ` (${(e as Error & { code: string }).code})` : ' (error)';
  }
}

async function poolTime(format: SourceFormat, source: string): Promise<number> {
  await runHeavy({ kind: 'import', format, source }).catch(() => {});
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await runHeavy({ kind: 'import', format, source }).catch(() => {});
    times.push(performance.now() - t);
  }
  return median(times);
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

async function main() {
  console.log(`| import (median of ${RUNS}) | 256 KiB | 1 MiB | 2 MiB | 2 MiB via the worker pool |`);
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, format, make] of PATTERNS) {
    const cells: string[] = [];
    let note = '';
    for (const size of SIZES) {
      const source = make(size);
      note = importOnce(format, source);
      cells.push(fmt(timeIt(() => importOnce(format, source))));
    }
    cells.push(fmt(await poolTime(format, make(SIZES[2]))));
    console.log(`| ${name}${note} | ${cells.join(' | ')} |`);
  }

  console.log('');
  console.log(`| re-anchoring 200 edited quotes (median of ${RUNS}) | 200 KB | 2 MiB | outcomes at 2 MiB |`);
  console.log('|---|---:|---:|---|');
  const families: [string, string, number][] = [
    ['periodic "ab", quotes of 16', 'ab', 16],
    ['periodic "ab", quotes of 64', 'ab', 64],
    ['periodic sentence, quotes of 300', 'The quick brown fox jumps over the lazy dog. ', 300],
  ];
  for (const [name, period, quoteLength] of families) {
    const cells: string[] = [];
    let outcome = '';
    for (const size of [200_000, 2 * 1024 * KIB]) {
      const chars = [...repeat(period)(size)];
      const marks = Array.from({ length: 200 }, (_, i) => Math.floor((size * (i + 0.5)) / 200));
      for (const at of marks) chars[at] = 'Z';
      const oldText = chars.join('');
      const rows = marks.map((at) => {
        const t = describe(oldText, at - quoteLength / 2, at + quoteLength / 2);
        return { ...t.quote, ...t.position, oldLength: oldText.length };
      });
      const newText = oldText.replaceAll('Z', 'Y');
      cells.push(fmt(timeIt(() => reanchorRows(rows, newText))));
      const counts: Record<string, number> = {};
      for (const r of reanchorRows(rows, newText)) {
        const k = r.reason ? `${r.status} (${r.reason})` : r.status;
        counts[k] = (counts[k] ?? 0) + 1;
      }
      outcome = Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ');
    }
    console.log(`| ${name} | ${cells.join(' | ')} | ${outcome} |`);
  }
  await stopHeavyWork();
}

void main();
