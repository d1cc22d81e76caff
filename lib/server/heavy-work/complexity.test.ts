/**
 * Growth rates of the heavy work, measured: importing (parse + schema check + text, exactly what
 * the worker runs) and re-anchoring must grow linearly with the input, for the hostile patterns
 * that were super-linear and for patterns generated at random.
 *
 * How it is measured, so that it cannot flake on a noisy 2-core CI machine:
 * - Each family f(n) is timed at a size n and at 8n within the same run; only the ratio is
 *   asserted, never a time.
 * - n starts at 32 Ki characters and doubles until a warm run at n takes ≥ 20 ms (timer resolution
 *   and fixed costs become negligible), at most 256 Ki, so 8n stays within the 2 MiB limit.
 * - After a warm-up of each size (JIT), the two sizes are timed 5 times, interleaved; the minimum
 *   of each is kept. Noise (GC, other processes, frequency scaling) only ever adds time, so the
 *   minimum is the stable estimate, and interleaving exposes both sizes to the same conditions.
 * - Linear work gives a ratio near 8, measured up to about 13 here: an 8× larger heap makes
 *   garbage collection and cache misses dearer per object. Quadratic work gives 64. The bound,
 *   20, sits near their midpoint on a log scale (n^1.5 gives 22.6): 1.5× headroom over the worst
 *   linear ratio seen, while anything quadratic fails by 3×. (The inputs that were super-linear
 *   before this work measured 30× to 100× at these sizes.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describe as describeRange } from '@/lib/domain/anchoring';
import { importSource, reanchorRows, type SourceFormat } from './tasks';

const MAX_RATIO = 20;
const TIMEOUT = { timeout: 120_000 };

function time(run: () => void): number {
  const t = performance.now();
  run();
  return performance.now() - t;
}

/** min time at 8n / min time at n, for `make(size)`. */
function growth(make: (size: number) => string, work: (input: string) => void): { n: number; ratio: number; small: number; large: number } {
  let n = 32 * 1024;
  for (; n < 256 * 1024; n *= 2) {
    const input = make(n);
    work(input);
    if (Math.min(time(() => work(input)), time(() => work(input))) >= 20) break;
  }
  const small = make(n);
  const large = make(8 * n);
  work(small);
  work(large);
  let a = Infinity;
  let b = Infinity;
  for (let i = 0; i < 5; i++) {
    a = Math.min(a, time(() => work(small)));
    b = Math.min(b, time(() => work(large)));
  }
  return { n, ratio: b / a, small: a, large: b };
}

const repeat = (unit: string) => (size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const importing = (format: SourceFormat) => (input: string) => {
  try {
    importSource(format, input);
  } catch (e) {
    // An empty result (400) is a valid outcome of a hostile input; the time to reach it still counts.
    if (!(e instanceof Error && e.name === 'AppError')) throw e;
  }
};

function expectLinear(make: (size: number) => string, work: (input: string) => void) {
  const g = growth(make, work);
  expect(g.ratio, `n=${g.n}: ${g.small.toFixed(1)} ms → ${g.large.toFixed(1)} ms at 8n`).toBeLessThan(MAX_RATIO);
}

describe('import grows linearly with the source', () => {
  it.each([
    ['[a](', '[a]('], ['_a ', '_a '], ['`a``', '`a``'], ['*a', '*a'], ['**_* ', '**_* '], ['[', '['], [']([\\n', ']([\n'],
    ['<', '<'], ['&amp;', '&amp;'], ['>', '>'], ['- ', '- '], ['~~a ', '~~a '], ['ordinary', 'Some *ordinary* [text](https://x.test/) and `code`.\n\n'],
  ])('Markdown %s', TIMEOUT, (_name, unit) => {
    expectLinear(repeat(unit), importing('markdown'));
  });

  it.each([
    ['<b><i>x', '<b><i>x'], ['<p><b>x', '<p><b>x'], ['<td>x', '<td>x'], ['<a href>x', '<a href="https://x.test/">x'], ['<b>x</i>', '<b>x</i>'],
    ['ordinary', '<p>Some <em>ordinary</em> <a href="https://x.test/">text</a> and <code>code</code>.</p>\n'],
  ])('HTML %s', TIMEOUT, (_name, unit) => {
    expectLinear(repeat(unit), importing('html'));
  });

  it('HTML nested tags, closed', TIMEOUT, () => {
    expectLinear((size) => '<b>'.repeat(size / 8) + 'x' + '</b>'.repeat(size / 8), importing('html'));
  });

  it('plain text', TIMEOUT, () => {
    expectLinear(repeat('A line of text.\nAnother.\n\n'), importing('text'));
  });

  it('Markdown made of random units of its syntax (property)', { timeout: 600_000 }, () => {
    const unit = fc.array(fc.constantFrom(...'[]()<>*_`~!#>-+|\\&;:\n a1.'.split(''), '  ', '\n\n', '](', '**', '~~', '```', '&amp;', '&#x'), { minLength: 1, maxLength: 6 });
    fc.assert(fc.property(unit, (parts) => expectLinear(repeat(parts.join('')), importing('markdown'))), { numRuns: 8 });
  });

  it('HTML made of random units of tags and text (property)', { timeout: 600_000 }, () => {
    const tag = fc.constantFrom('b', 'i', 'a', 'p', 'li', 'ul', 'td', 'tr', 'table', 'div', 'h2', 'pre', 'code', 'blockquote', 'span', 'svg', 'select');
    const piece = fc.oneof(tag.map((t) => `<${t}>`), tag.map((t) => `</${t}>`), fc.constantFrom('x', ' ', '&amp;', '<br>', '<!--', '-->', '<img alt="a">'));
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (parts) => expectLinear(repeat(parts.join('')), importing('html'))), { numRuns: 8 });
  });
});

describe('re-anchoring grows linearly with the text', () => {
  /** A periodic text of `size` with 20 quotes edited (Z → Y) across it; the work re-anchors all 20. */
  const periodicPublish = (period: string, quoteLength: number) => {
    const cache = new Map<string, { rows: Parameters<typeof reanchorRows>[0]; newText: string }>();
    const make = (size: number) => {
      const chars = [...repeat(period)(size)];
      const marks = Array.from({ length: 20 }, (_, i) => Math.floor((size * (i + 0.5)) / 20));
      for (const at of marks) chars[at] = 'Z';
      const oldText = chars.join('');
      const rows = marks.map((at) => {
        const t = describeRange(oldText, at - quoteLength / 2, at + quoteLength / 2);
        return { ...t.quote, ...t.position, oldLength: oldText.length };
      });
      const key = `${size}`;
      cache.set(key, { rows, newText: oldText.replaceAll('Z', 'Y') });
      return key;
    };
    const work = (key: string) => {
      const { rows, newText } = cache.get(key)!;
      reanchorRows(rows, newText);
    };
    return { make, work };
  };

  it.each([
    ['"ab", quotes of 16', 'ab', 16],
    ['"ab", quotes of 64', 'ab', 64],
    ['a sentence, quotes of 200', 'The quick brown fox jumps over the lazy dog. ', 200],
  ])('periodic text of %s', TIMEOUT, (_name, period, quoteLength) => {
    const { make, work } = periodicPublish(period, quoteLength);
    expectLinear(make, work);
  });
});
