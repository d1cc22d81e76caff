/**
 * Sentence boundaries in plain text, shared by the reader's caret (lib/client/caret.ts: `s`
 * selects the sentence) and the estimative-language scanner (estimative-language.ts). Pure.
 *
 * A sentence ends at a terminator (. ! ? … and CJK ones, with any closing quotes or brackets)
 * followed by white space or the end, unless the next word starts in lower case or the period
 * ends a title or an abbreviation ("Mr.", "U.S. troops", "e.g."); a "\n" (a block boundary or a
 * hard break) always ends one.
 */
/** Abbreviations whose period does not end a sentence (lower case, without the final period). */
const TITLES = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'jr', 'sr', 'gen', 'col', 'lt', 'sgt', 'capt', 'gov', 'sen', 'rep', 'pres', 'rev', 'hon', 'mt', 'ft', 'vs', 'no', 'nos', 'fig', 'figs', 'approx', 'ca', 'cf', 'al', 'inc', 'ltd', 'co', 'corp', 'dept', 'est', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'p', 'pp', 'vol', 'op', 'ed', 'eds']);
/** Words that start a sentence after an abbreviation like "U.S." ("... in the U.S. The ..."). */
const STARTERS = new Set(['the', 'a', 'an', 'it', 'its', 'this', 'that', 'these', 'those', 'in', 'on', 'at', 'but', 'and', 'or', 'so', 'yet', 'however', 'he', 'she', 'they', 'we', 'i', 'you', 'there', 'then', 'meanwhile', 'moreover', 'still', 'after', 'before', 'when', 'while', 'if', 'as', 'for', 'since', 'although', 'both', 'such', 'some', 'many', 'most', 'one', 'what', 'why', 'how', 'who']);
const TERMINATORS = /[.!?…。！？‼⁇⁈⁉]/;
const CLOSERS = /["'”’»)\]}]/;
const SPACE = /\s/;

/** Is the terminator at `j` in `s` (a block's text) the end of a sentence? */
function endsSentence(s: string, j: number, afterClosers: number): boolean {
  // It must be followed by white space or the end of the block ("3.5", "example.com" are not ends).
  if (afterClosers < s.length && !SPACE.test(s[afterClosers])) return false;
  let k = afterClosers;
  while (k < s.length && SPACE.test(s[k])) k++;
  if (k >= s.length) return true;
  const nextWord = /^[\p{L}\p{N}'’]*/u.exec(s.slice(k, k + 40))?.[0] ?? '';
  const first = s.slice(k, k + 2);
  // A sentence does not begin in lower case ("e.g. the", "... and so on").
  if (/^\p{Ll}/u.test(first)) return false;
  if (s[j] !== '.') return true;
  // The word the period ends, back to white space or an opening bracket/quote.
  let w = j;
  while (w > 0 && !SPACE.test(s[w - 1]) && !/["“‘'(\[{«]/.test(s[w - 1])) w--;
  const word = s.slice(w, j);
  if (s.slice(Math.max(0, j - 2), j + 1) === '...') return true;
  if (TITLES.has(word.toLowerCase())) return false;
  // Initials and dotted abbreviations: "J. Smith", "U.S. troops", "U.N.", "e.g.".
  if (/^(\p{L}\.)*\p{L}$/u.test(word) && (word.length > 1 || /\p{Lu}/u.test(word))) return STARTERS.has(nextWord.toLowerCase());
  return true;
}

/** The sentences of a block's text as [start, end) pairs relative to it, trimmed of white space. */
export function sentences(s: string): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  const push = (end: number, next: number) => {
    let a = start;
    let b = end;
    while (a < b && SPACE.test(s[a])) a++;
    while (b > a && SPACE.test(s[b - 1])) b--;
    if (b > a) out.push([a, b]);
    start = next;
  };
  for (let j = 0; j < s.length; j++) {
    if (s[j] === '\n') {
      // A hard line break inside a block ends a sentence too (addresses, verse).
      push(j, j + 1);
      continue;
    }
    if (!TERMINATORS.test(s[j])) continue;
    let k = j + 1;
    while (k < s.length && (TERMINATORS.test(s[k]) || CLOSERS.test(s[k]))) k++;
    let last = j;
    for (let t = j; t < k; t++) if (TERMINATORS.test(s[t])) last = t;
    if (endsSentence(s, last, k)) {
      let next = k;
      while (next < s.length && SPACE.test(s[next]) && s[next] !== '\n') next++;
      push(k, next);
      j = next - 1;
    } else {
      j = k - 1;
    }
  }
  push(s.length, s.length);
  return out;
}
