import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '@/scripts/test/property';
import { findUnsafeString, int32, safeText, snapToCodePoint, splitsSurrogatePair, textProblem } from './text';

const EMOJI = '\u{1F600}';

describe('textProblem', () => {
  it('accepts ordinary text, emoji and every non-surrogate BMP character but NUL', () => {
    expect(textProblem(`Hello ${EMOJI} “quotes” – \u0001\uFFFF`)).toBeNull();
  });
  it('refuses NUL and lone surrogates of either half, anywhere', () => {
    for (const bad of ['\u0000', 'a\u0000b', '\uD800', 'x\uDC00', '\uDBFFy', `${EMOJI}\uD83D`, `\uDE00${EMOJI}`]) {
      expect(textProblem(bad)).not.toBeNull();
    }
  });
  it('agrees with a UTF-8 round trip for any string (PostgreSQL stores UTF-8)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const roundTrips = new TextDecoder().decode(new TextEncoder().encode(s)) === s;
        expect(textProblem(s) === null).toBe(roundTrips && !s.includes('\u0000'));
      }),
      runs(500),
    );
  });
});

describe('code points', () => {
  it('knows which offsets split a pair and snaps them either way', () => {
    const s = `a${EMOJI}b`;
    expect([0, 1, 2, 3, 4].map((i) => splitsSurrogatePair(s, i))).toEqual([false, false, true, false, false]);
    expect(snapToCodePoint(s, 2, 'back')).toBe(1);
    expect(snapToCodePoint(s, 2, 'forward')).toBe(3);
    expect(snapToCodePoint(s, 3, 'back')).toBe(3);
  });
});

describe('safeText', () => {
  const name = safeText({ min: 1, max: 5, trim: true });
  it('bounds length (after trimming) and refuses unstorable text with the field path', () => {
    expect(name.parse('  ab  ')).toBe('ab');
    expect(name.safeParse('   ').success).toBe(false);
    expect(name.safeParse('abcdef').success).toBe(false);
    const r = name.safeParse('a\u0000');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/NUL/);
  });
});

describe('int32', () => {
  it('keeps numbers inside a PostgreSQL integer column', () => {
    const v = int32(1);
    expect(v.safeParse(2 ** 31 - 1).success).toBe(true);
    for (const bad of [0, -1, 1.5, 2 ** 31, 2 ** 63, Number.MAX_SAFE_INTEGER, Infinity, NaN, '1']) expect(v.safeParse(bad).success).toBe(false);
  });
});

describe('findUnsafeString', () => {
  it('names the path of the first unstorable string or key, however deep', () => {
    expect(findUnsafeString({ a: [1, 'ok', { b: 'x\uD800' }] })).toEqual({ path: ['a', 2, 'b'], message: expect.stringMatching(/surrogate/) });
    expect(findUnsafeString({ 'k\u0000': 1 }, ['body'])?.path).toEqual(['body', 'k\u0000']);
    expect(findUnsafeString({ a: [true, null, 3, 'fine'] })).toBeNull();
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnsafeString(deep)?.path).toHaveLength(100_000);
  });
});
