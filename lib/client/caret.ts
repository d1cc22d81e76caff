/**
 * The keyboard caret of the reader, in text offsets (the revision's plain text, lib/domain/
 * document-text: text blocks joined by "\n", a hard break is "\n"). Every offset from 0 to
 * text.length is a caret position: the end of a block and the start of the next are one "\n"
 * apart, so stepping over that character moves from one block to the next.
 *
 * Pure functions only (tested in caret.test.ts): moving by character and word, the sentence and
 * the text block at an offset, the highlights under the caret and the next/previous highlight in
 * document order. What depends on layout (lines, the caret's box) is in caret-dom.ts.
 *
 * Characters are user-perceived characters (grapheme clusters, through Intl.Segmenter where the
 * runtime has it, else code points): an offset never falls inside a surrogate pair or between a
 * letter and its combining mark.
 */
import { snapToCodePoint } from '@/lib/domain/text';
import { sentences } from '@/lib/domain/sentences';
import { highlightDescription, type HighlightSpec } from '@/lib/domain/highlight';

export { sentences };

export interface Block {
  from: number;
  to: number;
}

/** A selection in text offsets: `anchor` stays, `focus` moves (it is where the caret is). */
export interface CaretSelection {
  anchor: number;
  focus: number;
}

export const collapsed = (s: CaretSelection) => s.anchor === s.focus;
export const ordered = (s: CaretSelection) => ({ start: Math.min(s.anchor, s.focus), end: Math.max(s.anchor, s.focus) });

const clamp = (text: string, i: number) => Math.max(0, Math.min(text.length, i));

/** Grapheme boundaries are looked up in a window around the offset (a cluster longer than this is stepped by code points). */
const WINDOW = 64;
let segmenter: Intl.Segmenter | null | undefined;
function graphemes(): Intl.Segmenter | null {
  if (segmenter === undefined) segmenter = typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;
  return segmenter;
}

/** The grapheme boundaries of text[lo, hi) as absolute offsets (lo and hi included). */
function boundaries(text: string, lo: number, hi: number): number[] {
  const seg = graphemes();
  const out: number[] = [];
  if (!seg) {
    for (let i = lo; i < hi; i = snapToCodePoint(text, i + 1, 'forward')) out.push(i);
  } else {
    for (const s of seg.segment(text.slice(lo, hi))) out.push(lo + s.index);
  }
  out.push(hi);
  return out;
}

function window(text: string, i: number): [number, number] {
  return [snapToCodePoint(text, Math.max(0, i - WINDOW), 'back'), snapToCodePoint(text, Math.min(text.length, i + WINDOW), 'forward')];
}

/** The offset one character after `i` (or text.length). */
export function nextChar(text: string, i: number): number {
  i = snapToCodePoint(text, clamp(text, i), 'back');
  if (i >= text.length) return text.length;
  const [lo, hi] = window(text, i);
  const next = boundaries(text, lo, hi).find((b) => b > i);
  // Past the window (a very long cluster) or at an artificial window edge: one code point.
  return next !== undefined && next < hi ? next : snapToCodePoint(text, i + 1, 'forward');
}

/** The offset one character before `i` (or 0). */
export function prevChar(text: string, i: number): number {
  i = snapToCodePoint(text, clamp(text, i), 'forward');
  if (i <= 0) return 0;
  const [lo, hi] = window(text, i);
  const all = boundaries(text, lo, hi);
  let prev: number | undefined;
  for (const b of all) if (b < i) prev = b;
  return prev !== undefined && (prev > lo || lo === 0) ? prev : snapToCodePoint(text, i - 1, 'back');
}

const WORD = /[\p{L}\p{N}\p{M}\p{Pc}]/u;
const APOSTROPHE = /['’]/;

/** The code point at `i` (a whole surrogate pair) and its length. */
function codePointAt(text: string, i: number): [string, number] {
  const c = text.codePointAt(i);
  if (c === undefined) return ['', 0];
  const s = String.fromCodePoint(c);
  return [s, s.length];
}
function codePointBefore(text: string, i: number): [string, number] {
  if (i <= 0) return ['', 0];
  const start = snapToCodePoint(text, i - 1, 'back');
  return [text.slice(start, i), i - start];
}

/** Is the character at `i` part of a word (letters, digits, marks; an apostrophe between two of them)? */
function wordCharAt(text: string, i: number): boolean {
  const [c, n] = codePointAt(text, i);
  if (!c) return false;
  if (WORD.test(c)) return true;
  return APOSTROPHE.test(c) && WORD.test(codePointBefore(text, i)[0]) && WORD.test(codePointAt(text, i + n)[0]);
}

/** Ctrl+Right: to the end of the word at or after `i`. */
export function wordEnd(text: string, i: number): number {
  i = snapToCodePoint(text, clamp(text, i), 'forward');
  while (i < text.length && !wordCharAt(text, i)) i += codePointAt(text, i)[1];
  while (i < text.length && wordCharAt(text, i)) i += codePointAt(text, i)[1];
  return i;
}

/** Ctrl+Left: to the start of the word at or before `i`. */
export function wordStart(text: string, i: number): number {
  i = snapToCodePoint(text, clamp(text, i), 'back');
  const before = (j: number) => j - codePointBefore(text, j)[1];
  while (i > 0 && !wordCharAt(text, before(i))) i = before(i);
  while (i > 0 && wordCharAt(text, before(i))) i = before(i);
  return i;
}

/** The text block holding offset `i` (blocks sorted, as the reader renders them), or null. */
export function blockAt(blocks: readonly Block[], i: number): Block | null {
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = blocks[mid];
    if (i < b.from) hi = mid - 1;
    else if (i > b.to) lo = mid + 1;
    else return b;
  }
  return null;
}

const SPACE = /\s/;

/**
 * The sentence at offset `i` (in the block that holds it), as absolute offsets; a caret in the
 * space between two sentences takes the one before it. Null in an empty block.
 */
export function sentenceAt(text: string, blocks: readonly Block[], i: number): { start: number; end: number } | null {
  const block = blockAt(blocks, i);
  if (!block) return null;
  const all = sentences(text.slice(block.from, block.to));
  if (!all.length) return null;
  const rel = i - block.from;
  let pick = all[0];
  for (const s of all) if (s[0] <= rel) pick = s;
  return { start: block.from + pick[0], end: block.from + pick[1] };
}

/** The text block at `i` (trimmed of surrounding white space), or null when it is empty. */
export function paragraphAt(text: string, blocks: readonly Block[], i: number): { start: number; end: number } | null {
  const block = blockAt(blocks, i);
  if (!block) return null;
  let { from: start, to: end } = block;
  while (start < end && SPACE.test(text[start])) start++;
  while (end > start && SPACE.test(text[end - 1])) end--;
  return end > start ? { start, end } : null;
}

export type CaretHighlight = HighlightSpec;

/** The highlights covering the character at `i`, innermost (shortest) first. */
export function highlightsAt<H extends CaretHighlight>(specs: readonly H[], i: number): H[] {
  return specs.filter((h) => h.start <= i && i < h.end).sort((a, b) => a.end - a.start - (b.end - b.start) || a.start - b.start || (a.id < b.id ? -1 : 1));
}

const docOrder = (a: CaretHighlight, b: CaretHighlight) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * `j` / `k`: the next (dir 1) or previous (dir -1) highlight in document order (by start, then
 * end) from the caret. `currentId`, the one the caret was last moved to, orders highlights that
 * start at the same offset: from it the next is the one after it in that order.
 */
export function adjacentHighlight<H extends CaretHighlight>(specs: readonly H[], caret: number, currentId: string | null, dir: 1 | -1): H | null {
  const sorted = [...specs].sort(docOrder);
  const at = currentId ? sorted.findIndex((h) => h.id === currentId && h.start === caret) : -1;
  if (at >= 0) return sorted[at + dir] ?? null;
  if (dir === 1) return sorted.find((h) => h.start > caret) ?? null;
  for (let k = sorted.length - 1; k >= 0; k--) if (sorted[k].start < caret) return sorted[k];
  return null;
}

/** What a screen reader is told about the highlights under the caret: "Speculation, open, 2 comments". */
export function describeHighlights(specs: readonly CaretHighlight[]): string {
  return specs.map(highlightDescription).join('; ');
}
