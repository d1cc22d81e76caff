/**
 * Growth rates, measured (lib/server/heavy-work/complexity.test.ts and others): `expectLinear`
 * fails when work on an input 8× larger takes MAX_RATIO× as long or more.
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
 *   linear ratio seen, while anything quadratic fails by 3×.
 */
import { expect } from 'vitest';

export const MAX_RATIO = 20;
/** Enough for the doubling and ten timed runs at up to 2 MiB. */
export const TIMEOUT = { timeout: 120_000 };

function time(run: () => void): number {
  const t = performance.now();
  run();
  return performance.now() - t;
}

/** min time at 8n / min time at n, for `make(size)`. */
export function growth(make: (size: number) => string, work: (input: string) => void): { n: number; ratio: number; small: number; large: number } {
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

/** `unit` repeated to `size` characters. */
export const repeat = (unit: string) => (size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

export function expectLinear(make: (size: number) => string, work: (input: string) => void) {
  const g = growth(make, work);
  expect(g.ratio, `n=${g.n}: ${g.small.toFixed(1)} ms → ${g.large.toFixed(1)} ms at 8n`).toBeLessThan(MAX_RATIO);
}
