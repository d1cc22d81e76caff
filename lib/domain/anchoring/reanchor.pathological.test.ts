/**
 * Re-anchoring on repetitive text: on a periodic text nearly every position is a fuzzy match of
 * an edited quote, and approx-string-match computes a start (O(m²/32)) for each; before the bounds
 * one annotation on 200 KB of "abab…" took 4.4 s, and a publish with a few of them minutes. Each
 * test below re-anchors inputs that an unbounded search spends far longer than the generous
 * timeout on, and checks the results are still sound (a valid target or an orphan, never a
 * wrong-looking placement). The timeout is the failure signal, not a timed assertion.
 */
import { describe, expect, it } from 'vitest';
import { checkTarget, describe as describeRange, type Target } from '.';
import { reanchor, reanchorAll } from './reanchor';

const TIMEOUT = { timeout: 20_000 };

/** A periodic text with `count` single-character edits (old: Z, new: Y), and a quote across each. */
function periodic(n: number, period: string, count: number, quoteLength: number) {
  const base = period.repeat(Math.ceil(n / period.length)).slice(0, n);
  const old: string[] = [...base];
  const now: string[] = [...base];
  const annotations: { id: string; target: Target }[] = [];
  const marks = Array.from({ length: count }, (_, i) => Math.floor((n * (i + 0.5)) / count));
  for (const at of marks) {
    old[at] = 'Z';
    now[at] = 'Y';
  }
  const oldText = old.join('');
  for (const at of marks) {
    const start = Math.max(0, at - Math.floor(quoteLength / 2));
    annotations.push({ id: String(at), target: describeRange(oldText, start, Math.min(n, start + quoteLength)) });
  }
  return { oldText, newText: now.join(''), annotations };
}

function expectSound(results: Map<string, ReturnType<typeof reanchor>>, newText: string) {
  for (const r of results.values()) {
    if (r.status === 'orphaned') expect(r.target).toBeUndefined();
    else expect(checkTarget(newText, r.target!)).toBeNull();
  }
}

describe('re-anchoring on periodic text', () => {
  it.each([
    ['"ab", quotes of 16', 'ab', 16],
    ['"ab", quotes of 64', 'ab', 64],
    ['"ab", quotes of 400', 'ab', 400],
    ['"aaab", quotes of 200', 'aaab', 200],
    ['a sentence, quotes of 500', 'The quick brown fox jumps over the lazy dog. ', 500],
  ])('200 KB of %s, 30 annotations whose quote was edited', TIMEOUT, (_name, period, quoteLength) => {
    const { oldText, newText, annotations } = periodic(200_000, period, 30, quoteLength);
    const results = reanchorAll(annotations, oldText, newText);
    expect(results.size).toBe(30);
    expectSound(results, newText);
  });

  it('a quote copied verbatim thousands of times is compared with the nearest copies only', TIMEOUT, () => {
    const text = 'ab'.repeat(1_000_000);
    const stored = describeRange(text, 1_000_000, 1_000_000 + 20_000);
    const annotations = Array.from({ length: 20 }, (_, i) => ({ id: String(i), target: stored }));
    const results = reanchorAll(annotations, text, 'x' + text);
    for (const r of results.values()) expect(r.status).toBe('moved');
    expectSound(results, 'x' + text);
  });

  it('orphans, with reason "budget", when the fuzzy search runs out of work', TIMEOUT, () => {
    const { oldText, newText, annotations } = periodic(200_000, 'ab', 1, 64);
    const r = reanchor(annotations[0].target, newText, oldText.length);
    expect(r).toEqual({ status: 'orphaned', reason: 'budget' });
  });

  it('still finds an edited quote in 2 MiB of ordinary text, whatever the number of annotations', TIMEOUT, () => {
    // Seeded pseudo-random words: no two sentences look alike.
    let seed = 7;
    const rand = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    const WORDS = ['alliance', 'supply', 'artillery', 'shells', 'rockets', 'sanctions', 'veto', 'envoy', 'treaty', 'border', 'drones', 'ports', 'rail', 'grain', 'oil', 'talks'];
    const words: string[] = [];
    for (let length = 0; length < 2 * 1024 * 1024; length += words[words.length - 1].length + 1) {
      words.push(WORDS[Math.floor(rand() * WORDS.length)] + (rand() < 0.1 ? '.' : ''));
    }
    const old = words.join(' ');
    const at = old.indexOf(' ', 1_000_000) + 1;
    const quote = old.slice(at, old.indexOf(' ', at + 60));
    const edited = old.slice(0, at + 10) + 'XYZ' + old.slice(at + 10);
    const annotations = Array.from({ length: 200 }, (_, i) => ({ id: String(i), target: describeRange(old, at, at + quote.length) }));
    const results = reanchorAll(annotations, old, edited);
    for (const r of results.values()) {
      expect(r.status).toBe('fuzzy');
      expect(r.target!.position.start).toBe(at);
      expect(r.target!.quote.exact).toBe(edited.slice(at, at + quote.length + 3));
    }
  });
});
