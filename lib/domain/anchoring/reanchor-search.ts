/**
 * The bounded searches behind re-anchoring (./reanchor.ts). Both find the same things an
 * unbounded search of the whole text would, except on texts that repeat the quote (or something
 * close to it) very many times, where the work is capped instead; the caller then orphans rather
 * than guesses.
 *
 * - `verbatimNear`: copies of the quote, nearest to a position first. A window around the position
 *   grows fourfold until it holds enough copies or covers the text; `indexOf` is linear in V8, and
 *   at most `limit` copies are ever compared, so the cost is O(n log n + limit · m) whatever the
 *   text (a periodic text has a copy every few characters; visiting all of them was O(n · m)).
 * - `fuzzyNear`: approx-string-match over a window around the expected position (±FUZZY_RADIUS,
 *   at least twice the quote) in chunks of S + m + k characters, S apart, so every match in the
 *   window (at most m + k long) lies whole in some chunk. approx-string-match computes a start
 *   for every lowest-error match end, each costing about (m + k)·⌈m/32⌉ + 64m steps, and a chunk
 *   has at most S + 2k + 1 ends: S is chosen so that even then one call stays under CHUNK_CAP,
 *   and quotes over MAX_FUZZY_QUOTE, for which no S would, are not matched fuzzily. Each call's
 *   actual cost is charged to the annotation's and the publish's `Budget`s; once one is spent the
 *   search stops and says so (a near-periodic text, where nearly every position is a match).
 *   Searching a window rather than the whole text also keeps a publish with many annotations on
 *   a long text linear: hypothesis searches everywhere, which is O(annotations × text).
 */
import search from 'approx-string-match';

/** Characters searched on each side of the expected position by the fuzzy stage. */
export const FUZZY_RADIUS = 4096;
/** Quotes longer than this are re-anchored verbatim only (a fuzzy start costs O(m²) each). */
export const MAX_FUZZY_QUOTE = 512;
/**
 * The most one approx-string-match call may cost, whatever the text. A unit is about 8 ns on the
 * 2-core development machine (measured: scripts/bench/import.ts), so this is about 50 ms.
 */
const CHUNK_CAP = 6_000_000;
/** At most this many verbatim copies are compared (fewer for long quotes: limit · m ≤ 4M). */
export const MAX_COPIES = 1000;
const COPY_CHARS = 4_000_000;
/** Scoring one fuzzy candidate: two Levenshtein distances between contexts of ≤ 32 characters. */
const SCORE_COST = 2 * 33 * 33;

/** Work units (roughly: character comparisons) left for one annotation and for one publish. */
export class Budget {
  constructor(public left: number) {}
  spend(units: number): boolean {
    this.left -= units;
    return this.left >= 0;
  }
  get spent(): boolean {
    return this.left < 0;
  }
}

/** Fuzzy work per annotation: about 100 ms (a 512-character quote in ordinary text needs half). */
export const ANNOTATION_BUDGET = 12_000_000;
/** Fuzzy work per publish, over all its annotations: about 1.2 s. */
export const PUBLISH_BUDGET = 150_000_000;

/** Up to `limit` starts of `exact` in `text`, the nearest to `around` (then leftmost) first. */
export function verbatimNear(text: string, exact: string, around: number): number[] {
  const m = exact.length;
  const limit = Math.max(1, Math.min(MAX_COPIES, Math.floor(COPY_CHARS / m)));
  const hard = 4 * limit;
  for (let radius = Math.max(1024, 4 * m); ; radius *= 4) {
    const lo = Math.max(0, around - radius);
    const hi = Math.min(text.length, around + radius + m);
    const found: number[] = [];
    for (let i = text.indexOf(exact, lo); i !== -1 && i + m <= hi && found.length < hard; i = text.indexOf(exact, i + 1)) found.push(i);
    if (found.length >= limit || (lo === 0 && hi === text.length)) {
      return found.sort((a, b) => Math.abs(a - around) - Math.abs(b - around) || a - b).slice(0, limit);
    }
  }
}

export interface FuzzyMatch {
  start: number;
  end: number;
  errors: number;
}

/**
 * The lowest-error approximate matches of `pattern` (at most `maxErrors` errors) within
 * ±FUZZY_RADIUS of `around`; `null` when a budget ran out before the window was covered.
 */
export function fuzzyNear(text: string, pattern: string, maxErrors: number, around: number, budgets: Budget[]): FuzzyMatch[] | null {
  const m = pattern.length;
  if (m > MAX_FUZZY_QUOTE) return [];
  const radius = Math.max(FUZZY_RADIUS, 2 * m);
  const lo = Math.max(0, Math.floor(around) - radius);
  const hi = Math.min(text.length, Math.floor(around) + m + radius);
  const blocks = Math.ceil(m / 32);
  // A match's start (reverse search) plus its scoring (two Levenshtein distances of ≤ 32 characters).
  const startCost = (m + maxErrors) * blocks + 64 * m + SCORE_COST;
  const overlap = m + maxErrors;
  // New positions per chunk: as many as keep a chunk's worst case (every end a match) under the cap.
  const step = Math.max(64, Math.min(2 * radius, Math.floor(CHUNK_CAP / startCost) - 2 * maxErrors - 1));
  let errors = maxErrors;
  const best = new Map<string, FuzzyMatch>();
  for (let from = lo; from < hi; from += step) {
    if (budgets.some((b) => b.spent)) return null;
    const to = Math.min(hi, from + step + overlap);
    const found = search(text.slice(from, to), pattern, errors);
    const cost = (to - from) * blocks + 64 * m + found.length * startCost;
    for (const b of budgets) b.spend(cost);
    for (const f of found) {
      if (f.errors < errors) best.clear();
      errors = Math.min(errors, f.errors);
      if (f.errors === errors) best.set(`${f.start + from}:${f.end + from}`, { start: f.start + from, end: f.end + from, errors: f.errors });
    }
    if (to === hi) break;
  }
  return [...best.values()];
}
