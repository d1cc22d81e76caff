/**
 * Selectors over a revision's plain text (W3C Web Annotation model, DESIGN.md decision 2).
 *
 * `describe` turns a text range into a TextQuoteSelector (exact + up to 32 characters of prefix
 * and suffix) and a TextPositionSelector (start, end; UTF-16 code units, end exclusive).
 * `checkTarget` is the server's gate: a target whose `exact` is not the text at its position is
 * refused. Re-anchoring onto a new revision builds on these (reanchor.ts).
 *
 * Offsets are UTF-16 code units, but no selector may split a surrogate pair (an emoji): its
 * halves cannot be stored as text. `describe` widens a range that splits one to the whole
 * character and shortens the context by one unit rather than start or end it with half a pair;
 * `checkTarget` refuses a client's position that splits one; `selectionRange` snaps a browser
 * selection outward to whole characters before trimming it.
 */
import { snapToCodePoint, splitsSurrogatePair } from '../text';

export const CONTEXT_LENGTH = 32;

export interface TextQuote {
  exact: string;
  prefix: string;
  suffix: string;
}
export interface TextPosition {
  start: number;
  end: number;
}
export interface Target {
  quote: TextQuote;
  position: TextPosition;
}

export function describe(text: string, start: number, end: number): Target {
  if (!(Number.isInteger(start) && Number.isInteger(end)) || start < 0 || end > text.length || start >= end) {
    throw new RangeError(`invalid range ${start}-${end} for text of length ${text.length}`);
  }
  const s = snapToCodePoint(text, start, 'back');
  const e = snapToCodePoint(text, end, 'forward');
  const prefixStart = snapToCodePoint(text, Math.max(0, s - CONTEXT_LENGTH), 'forward');
  const suffixEnd = snapToCodePoint(text, Math.min(text.length, e + CONTEXT_LENGTH), 'back');
  return {
    quote: { exact: text.slice(s, e), prefix: text.slice(prefixStart, s), suffix: text.slice(e, suffixEnd) },
    position: { start: s, end: e },
  };
}

export type TargetProblem =
  | { kind: 'out_of_range'; message: string }
  | { kind: 'quote_mismatch'; message: string }
  | { kind: 'context_mismatch'; message: string }
  | { kind: 'splits_character'; message: string; field: 'target.position.start' | 'target.position.end' };

/**
 * Checks a client-sent target against the text. Returns null when it is valid. Prefix and suffix
 * are optional, but when given they must be the text around the position (a client may send
 * shorter context than 32 characters).
 */
export function checkTarget(text: string, target: { quote: { exact: string; prefix?: string; suffix?: string }; position: TextPosition }): TargetProblem | null {
  const { start, end } = target.position;
  if (start < 0 || end > text.length || start >= end) {
    return { kind: 'out_of_range', message: `position ${start}-${end} is outside the text (length ${text.length})` };
  }
  for (const [field, at] of [['start', start], ['end', end]] as const) {
    if (splitsSurrogatePair(text, at)) {
      return { kind: 'splits_character', field: `target.position.${field}`, message: `target.position.${field} (${at}) falls inside a character (between the halves of a surrogate pair)` };
    }
  }
  if (text.slice(start, end) !== target.quote.exact) {
    return { kind: 'quote_mismatch', message: 'quote.exact is not the text at this position' };
  }
  const { prefix, suffix } = target.quote;
  if (prefix && !text.slice(0, start).endsWith(prefix)) {
    return { kind: 'context_mismatch', message: 'quote.prefix does not precede the position' };
  }
  if (suffix && !text.slice(end).startsWith(suffix)) {
    return { kind: 'context_mismatch', message: 'quote.suffix does not follow the position' };
  }
  return null;
}

/** Trims whitespace off both ends of a range, so a sloppy drag does not highlight spaces. */
export function trimRange(text: string, start: number, end: number): TextPosition | null {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  return s < e ? { start: s, end: e } : null;
}

/**
 * A browser selection's offsets made into a highlight range: moved outward off the middle of any
 * surrogate pair (a selection never produces half an emoji), then trimmed. Null when nothing but
 * whitespace is left.
 */
export function selectionRange(text: string, start: number, end: number): TextPosition | null {
  if (!(end > start)) return null;
  return trimRange(text, snapToCodePoint(text, start, 'back'), snapToCodePoint(text, end, 'forward'));
}
