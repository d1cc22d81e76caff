/**
 * Re-anchoring: carrying an annotation's selectors from one revision's plain text onto the next
 * (DESIGN decision 2, see docs/architecture.md "Selectors"). Pure: strings in, selectors out.
 *
 * An annotation stores a TextQuoteSelector (exact + up to 32 characters of prefix and suffix) and
 * a TextPositionSelector over the old revision's text. Like hypothesis/client's
 * `anchoring/match-quote`, we try strategies in order of decreasing confidence and keep the
 * first that succeeds:
 *
 * 1. kept: the old position still holds `exact` (and no other copy of `exact` has better
 *    context; see 2, which decides whenever the context around the old position changed).
 * 2. moved: `exact` occurs verbatim elsewhere. Every occurrence is scored by the number of
 *    characters of `prefix` that match just before it (compared from the end) plus those of
 *    `suffix` that match just after; ties go to the occurrence nearest the old start. As in
 *    hypothesis, a verbatim copy anywhere beats a fuzzy match of the edited original.
 * 3. fuzzy: `exact` itself was edited. approx-string-match (Myers' bit-parallel algorithm) finds
 *    the lowest-error matches with at most min(32, ⌊length / 4⌋) errors near where the quote is
 *    expected (see the bounds below). Each is trimmed of
 *    surrounding whitespace and scored
 *
 *        (50·quote + 20·prefix + 20·suffix + 2·position) / 92          (in [0, 1])
 *
 *    quote = 1 − errors / length; prefix and suffix = 1 − Levenshtein / length between the stored
 *    context and the same-length text around the candidate (1 when nothing was stored);
 *    position = 1 − |start − expected| / new length, `expected` being the old start scaled by
 *    the ratio of the texts' lengths. The best candidate is accepted when quote ≥ 0.75 (implied
 *    by the error budget, checked anyway) and the score ≥ FUZZY_THRESHOLD = 0.75, i.e. when the
 *    context on at least one side is largely intact. Measured on the default article: an edited
 *    quote with one side of context rewritten scores ≥ 0.78; deleting a passage and taking the
 *    best look-alike elsewhere ("The United S" → "the United S") scores ≤ 0.70. An edited quote
 *    whose context changed on both sides (≈ 0.6) is orphaned: better lost than misplaced.
 * 4. orphaned: nothing acceptable; no target.
 *
 * Every search is bounded (./reanchor-search.ts): verbatim copies are compared nearest to the old
 * start first, at most 1,000 of them; the fuzzy stage searches ±4,096 characters around the
 * expected position (not the whole text), only quotes up to 512 characters, in chunks whose worst
 * case is capped, and charges its work to a budget per annotation and one per publish. When a
 * budget runs out (a near-periodic text, where nearly every position is a near-match) the
 * annotation is orphaned with `reason: 'budget'`: better lost than misplaced. So a publish costs
 * O(n log n) per annotation for the verbatim stages and a bounded amount for the fuzzy one,
 * whatever the text. Quotes under 4 characters get no error budget, so they are either found
 * verbatim or orphaned.
 * Offsets are UTF-16 code units, as in ./anchoring; a fuzzy match never splits a surrogate pair.
 */
import { describe, trimRange, type Target } from '.';
import { ANNOTATION_BUDGET, Budget, fuzzyNear, PUBLISH_BUDGET, verbatimNear } from './reanchor-search';

export { Budget, PUBLISH_BUDGET };

export type ReanchorStatus = 'kept' | 'moved' | 'fuzzy' | 'orphaned';

export interface ReanchorResult {
  status: ReanchorStatus;
  /** Selectors in the new text; absent when orphaned. */
  target?: Target;
  /** Confidence in [0, 1]: 1 when kept with intact context; context share when moved; fuzzy score. */
  score?: number;
  /** Set when orphaned because the fuzzy search ran out of its work budget (a near-periodic text). */
  reason?: 'budget';
}

export const MAX_ERRORS = 32;
export const MIN_QUOTE_SIMILARITY = 0.75;
export const FUZZY_THRESHOLD = 0.75;
const WEIGHTS = { quote: 50, prefix: 20, suffix: 20, position: 2 };
const WEIGHT_TOTAL = WEIGHTS.quote + WEIGHTS.prefix + WEIGHTS.suffix + WEIGHTS.position;

const ORPHANED: ReanchorResult = { status: 'orphaned' };

/**
 * Re-anchors one stored target (selectors over the old text) onto `newText`. `oldTextLength`,
 * when known, lets the fuzzy stage expect the quote at a proportionally shifted position.
 */
export function reanchor(stored: Target, newText: string, oldTextLength?: number, publishBudget?: Budget): ReanchorResult {
  const { exact, prefix, suffix } = stored.quote;
  const { start } = stored.position;
  if (!exact || !newText) return ORPHANED;
  const contextTotal = prefix.length + suffix.length;
  const contextShare = (n: number) => (contextTotal ? n / contextTotal : 1);

  // 1 + 2: verbatim occurrences, best context first, then nearest to the old start.
  if (newText.startsWith(exact, start) && contextMatch(newText, start, start + exact.length, prefix, suffix) === contextTotal) {
    return { status: 'kept', target: describe(newText, start, start + exact.length), score: 1 };
  }
  let best = -1;
  let bestContext = -1;
  for (const i of verbatimNear(newText, exact, start)) {
    const context = contextMatch(newText, i, i + exact.length, prefix, suffix);
    if (context > bestContext || (context === bestContext && Math.abs(i - start) < Math.abs(best - start))) {
      best = i;
      bestContext = context;
    }
  }
  if (best !== -1) {
    return { status: best === start ? 'kept' : 'moved', target: describe(newText, best, best + exact.length), score: contextShare(bestContext) };
  }

  // 3: approximate matches of the quote, scored with their context and position.
  const maxErrors = Math.min(MAX_ERRORS, Math.floor(exact.length / 4));
  if (maxErrors === 0) return ORPHANED;
  const expected = oldTextLength ? (start * newText.length) / oldTextLength : start;
  const budgets = [new Budget(ANNOTATION_BUDGET), ...(publishBudget ? [publishBudget] : [])];
  const matches = fuzzyNear(newText, exact, maxErrors, expected, budgets);
  if (!matches) return { status: 'orphaned', reason: 'budget' };
  let fuzzy: { start: number; end: number; score: number } | null = null;
  for (const m of matches) {
    const quoteSim = 1 - m.errors / exact.length;
    const range = trimRange(newText, m.start, m.end);
    if (quoteSim < MIN_QUOTE_SIMILARITY || !range) continue;
    const [s, e] = [widenOverSurrogates(newText, range.start, -1), widenOverSurrogates(newText, range.end, 1)];
    const prefixSim = similarity(prefix, newText.slice(Math.max(0, s - prefix.length), s));
    const suffixSim = similarity(suffix, newText.slice(e, e + suffix.length));
    const positionSim = Math.max(0, 1 - Math.abs(s - expected) / newText.length);
    const score =
      (WEIGHTS.quote * quoteSim + WEIGHTS.prefix * prefixSim + WEIGHTS.suffix * suffixSim + WEIGHTS.position * positionSim) / WEIGHT_TOTAL;
    if (!fuzzy || score > fuzzy.score) fuzzy = { start: s, end: e, score };
  }
  if (!fuzzy || fuzzy.score < FUZZY_THRESHOLD) return ORPHANED;
  return { status: 'fuzzy', target: describe(newText, fuzzy.start, fuzzy.end), score: fuzzy.score };
}

/** Re-anchors every annotation of a document from `oldText` onto `newText`, keyed by id. */
export function reanchorAll(annotations: readonly { id: string; target: Target }[], oldText: string, newText: string): Map<string, ReanchorResult> {
  const results = new Map<string, ReanchorResult>();
  const budget = new Budget(PUBLISH_BUDGET);
  for (const { id, target } of annotations) results.set(id, reanchor(target, newText, oldText.length, budget));
  return results;
}

/** Characters of `prefix` matching just before [start, end) (from its end) plus of `suffix` just after. */
function contextMatch(text: string, start: number, end: number, prefix: string, suffix: string): number {
  let p = 0;
  while (p < prefix.length && p < start && prefix[prefix.length - 1 - p] === text[start - 1 - p]) p++;
  let s = 0;
  while (s < suffix.length && end + s < text.length && suffix[s] === text[end + s]) s++;
  return p + s;
}

/** 1 − Levenshtein distance / length of the longer string; 1 for two empty strings. */
function similarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  if (longest === 0) return 1;
  // Two reused rows: this runs for every fuzzy candidate (thousands on a repetitive text).
  if (rows.prev.length <= b.length) rows.prev = new Int32Array(b.length + 1);
  if (rows.row.length <= b.length) rows.row = new Int32Array(b.length + 1);
  let { prev, row } = rows;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1));
    [prev, row] = [row, prev];
  }
  return 1 - prev[b.length] / longest;
}
const rows = { prev: new Int32Array(33), row: new Int32Array(33) };

/** Moves a boundary one code unit outwards (dir −1: start, +1: end) if it would split a surrogate pair. */
function widenOverSurrogates(text: string, offset: number, dir: -1 | 1): number {
  const isLow = (i: number) => {
    if (i <= 0 || i >= text.length) return false;
    const c = text.charCodeAt(i);
    const p = text.charCodeAt(i - 1);
    return c >= 0xdc00 && c <= 0xdfff && p >= 0xd800 && p <= 0xdbff;
  };
  return isLow(offset) ? offset + (dir < 0 ? -1 : 1) : offset;
}
