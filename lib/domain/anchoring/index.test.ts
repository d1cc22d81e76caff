import { describe, it, expect } from 'vitest';
import { CONTEXT_LENGTH, checkTarget, describe as describeRange, selectionRange, trimRange } from '.';

// 26 + 26 + 10 = 62 distinct characters, long enough for 32 characters of context on both sides.
const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

describe('describe()', () => {
  it('uses a context length of 32', () => {
    expect(CONTEXT_LENGTH).toBe(32);
  });

  it('builds exact, 32-char prefix and 32-char suffix in the middle of a long text', () => {
    const text = ALPHA + ALPHA; // 124 chars
    const t = describeRange(text, 50, 60);
    expect(t.position).toEqual({ start: 50, end: 60 });
    expect(t.quote.exact).toBe(text.slice(50, 60));
    expect(t.quote.prefix).toBe(text.slice(18, 50));
    expect(t.quote.prefix).toHaveLength(32);
    expect(t.quote.suffix).toBe(text.slice(60, 92));
    expect(t.quote.suffix).toHaveLength(32);
  });

  it('gives shorter (or empty) context at the edges of the text', () => {
    const text = 'Hello brave new world';
    const atStart = describeRange(text, 0, 5);
    expect(atStart.quote).toEqual({ exact: 'Hello', prefix: '', suffix: ' brave new world' });
    const atEnd = describeRange(text, 16, text.length);
    expect(atEnd.quote).toEqual({ exact: 'world', prefix: 'Hello brave new ', suffix: '' });
    const nearStart = describeRange(ALPHA, 10, 12);
    expect(nearStart.quote.prefix).toBe(ALPHA.slice(0, 10));
    expect(nearStart.quote.suffix).toBe(ALPHA.slice(12, 44));
  });

  it('covers the whole text', () => {
    expect(describeRange('abc', 0, 3).quote).toEqual({ exact: 'abc', prefix: '', suffix: '' });
  });

  it.each([
    ['negative start', -1, 2],
    ['end past the text', 0, 4],
    ['reversed', 2, 1],
    ['empty', 1, 1],
    ['non-integer start', 0.5, 2],
    ['NaN end', 0, Number.NaN],
  ])('throws RangeError for %s', (_name, start, end) => {
    expect(() => describeRange('abc', start, end)).toThrow(RangeError);
  });

  it('counts UTF-16 code units with curly quotes, en dashes and emoji', () => {
    const text = 'He said “it’s fine” – then 😀 left.';
    const emojiAt = text.indexOf('😀');
    expect(text.slice(emojiAt, emojiAt + 2)).toBe('😀'); // a surrogate pair: two code units
    const t = describeRange(text, emojiAt, emojiAt + 2);
    expect(t.quote.exact).toBe('😀');
    expect(t.quote.prefix).toBe('He said “it’s fine” – then ');
    expect(t.quote.suffix).toBe(' left.');
    const q = text.indexOf('“');
    const close = text.indexOf('”');
    expect(describeRange(text, q, close + 1).quote.exact).toBe('“it’s fine”');
  });
});

describe('checkTarget()', () => {
  const text = 'The quick brown fox jumps over the lazy dog.';
  const at = (exact: string) => {
    const start = text.indexOf(exact);
    return { start, end: start + exact.length };
  };

  it('returns null for a target built by describe()', () => {
    const { start, end } = at('fox');
    expect(checkTarget(text, describeRange(text, start, end))).toBeNull();
  });

  it('accepts a target without prefix/suffix, or with shorter context', () => {
    const position = at('fox');
    expect(checkTarget(text, { quote: { exact: 'fox' }, position })).toBeNull();
    expect(checkTarget(text, { quote: { exact: 'fox', prefix: 'brown ', suffix: ' jumps' }, position })).toBeNull();
    expect(checkTarget(text, { quote: { exact: 'fox', prefix: '', suffix: '' }, position })).toBeNull();
  });

  it.each([
    ['negative start', -1, 3],
    ['reversed', 5, 4],
    ['empty', 4, 4],
    ['past the end', 40, text.length + 1],
  ])('reports out_of_range for %s', (_name, start, end) => {
    const problem = checkTarget(text, { quote: { exact: 'x' }, position: { start, end } });
    expect(problem?.kind).toBe('out_of_range');
  });

  it('reports quote_mismatch when exact is not the text at the position', () => {
    const position = at('fox');
    expect(checkTarget(text, { quote: { exact: 'dog' }, position })?.kind).toBe('quote_mismatch');
    expect(checkTarget(text, { quote: { exact: 'Fox' }, position })?.kind).toBe('quote_mismatch');
    expect(checkTarget(text, { quote: { exact: 'fo' }, position })?.kind).toBe('quote_mismatch');
  });

  it('reports context_mismatch for a wrong prefix or suffix', () => {
    const position = at('fox');
    expect(checkTarget(text, { quote: { exact: 'fox', prefix: 'red ' }, position })?.kind).toBe('context_mismatch');
    expect(checkTarget(text, { quote: { exact: 'fox', suffix: ' sleeps' }, position })?.kind).toBe('context_mismatch');
    // Prefix that occurs in the text, but not right before the position.
    expect(checkTarget(text, { quote: { exact: 'fox', prefix: 'quick ' }, position })?.kind).toBe('context_mismatch');
  });

  it('works on non-ASCII text with code-unit positions', () => {
    const t = 'Russia’s “partner” – North Korea 😀 and more';
    const e = t.indexOf('😀');
    const target = describeRange(t, e, e + 2);
    expect(checkTarget(t, target)).toBeNull();
    // Half a surrogate pair is not the emoji: a position inside one is refused as such.
    expect(checkTarget(t, { quote: { exact: '😀' }, position: { start: e, end: e + 1 } })?.kind).toBe('splits_character');
    // A straight apostrophe instead of the curly one is a different quote.
    const a = t.indexOf('’');
    expect(checkTarget(t, { quote: { exact: 'Russia’s' }, position: { start: 0, end: a + 2 } })).toBeNull();
    expect(checkTarget(t, { quote: { exact: "Russia's" }, position: { start: 0, end: a + 2 } })?.kind).toBe('quote_mismatch');
    const dash = t.indexOf('–');
    expect(
      checkTarget(t, { quote: { exact: 'North', prefix: '” – ', suffix: ' Korea' }, position: { start: dash + 2, end: dash + 7 } }),
    ).toBeNull();
    expect(
      checkTarget(t, { quote: { exact: 'North', prefix: '” - ' }, position: { start: dash + 2, end: dash + 7 } })?.kind,
    ).toBe('context_mismatch');
  });
});

describe('trimRange()', () => {
  it('trims whitespace off both ends', () => {
    const text = 'a  word \n next';
    expect(trimRange(text, 1, 9)).toEqual({ start: 3, end: 7 });
    expect(text.slice(3, 7)).toBe('word');
  });

  it('leaves an already tight range alone', () => {
    expect(trimRange('hello world', 0, 5)).toEqual({ start: 0, end: 5 });
  });

  it('keeps inner whitespace', () => {
    expect(trimRange(' a b ', 0, 5)).toEqual({ start: 1, end: 4 });
  });

  it('treats tabs, newlines and non-breaking spaces as whitespace', () => {
    expect(trimRange('\t\u00a0x\n', 0, 4)).toEqual({ start: 2, end: 3 });
  });

  it('returns null for an all-whitespace or empty range', () => {
    expect(trimRange('a   b', 1, 4)).toBeNull();
    expect(trimRange('abc', 1, 1)).toBeNull();
  });
});

describe('surrogate pairs (an emoji is two UTF-16 code units)', () => {
  const EMOJI = '\u{1F600}';
  const wellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

  it('never starts the prefix or ends the suffix with half a pair', () => {
    // The highlight starts 32 units after the emoji's second half: a naive prefix begins with it.
    const text = `a${EMOJI}${'b'.repeat(31)}quote${'c'.repeat(31)}${EMOJI}z`;
    const start = text.indexOf('quote');
    const t = describeRange(text, start, start + 5);
    expect(t.quote.prefix).toBe('b'.repeat(31));
    expect(t.quote.suffix).toBe('c'.repeat(31));
    expect(checkTarget(text, t)).toBeNull();
  });

  it('widens a range that splits a pair to the whole character', () => {
    const text = `x ${EMOJI}${EMOJI} y`;
    const t = describeRange(text, 3, 5); // second half of the first emoji, first half of the second
    expect(t.position).toEqual({ start: 2, end: 6 });
    expect(t.quote.exact).toBe(EMOJI + EMOJI);
  });

  it('describes well-formed selectors for every range of text with emoji at every position', () => {
    const text = `${EMOJI}a${EMOJI}${EMOJI}b ${EMOJI}`.repeat(12);
    for (let s = 0; s < text.length; s += 1) {
      for (let e = s + 1; e <= text.length; e += 7) {
        const t = describeRange(text, s, e);
        expect(wellFormed(t.quote.exact) && wellFormed(t.quote.prefix) && wellFormed(t.quote.suffix)).toBe(true);
        expect(t.quote.exact).toBe(text.slice(t.position.start, t.position.end));
      }
    }
  });

  it('refuses a client position between the halves of a pair, naming the end that splits', () => {
    const text = `ab${EMOJI}cd`;
    const p = checkTarget(text, { quote: { exact: text.slice(3, 5) }, position: { start: 3, end: 5 } });
    expect(p?.kind).toBe('splits_character');
    expect(p).toMatchObject({ field: 'target.position.start', message: expect.stringContaining('target.position.start') });
    const q = checkTarget(text, { quote: { exact: text.slice(0, 3) }, position: { start: 0, end: 3 } });
    expect(q?.message).toContain('target.position.end');
  });

  it('snaps a browser selection outward to whole characters before trimming', () => {
    const text = `a ${EMOJI} b`;
    expect(selectionRange(text, 3, 4)).toEqual({ start: 2, end: 4 });
    expect(selectionRange(text, 1, 3)).toEqual({ start: 2, end: 4 });
    expect(selectionRange(text, 0, 2)).toEqual({ start: 0, end: 1 });
    expect(selectionRange(text, 1, 2)).toBeNull();
    expect(selectionRange(text, 4, 4)).toBeNull();
  });
});
