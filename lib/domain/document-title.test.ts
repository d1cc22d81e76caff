import { describe, expect, it } from 'vitest';
import { shortTitle } from './document-title';

describe('shortTitle', () => {
  it('keeps a title that fits', () => {
    expect(shortTitle('  The Russia–North Korea Alliance ')).toBe('The Russia–North Korea Alliance');
  });
  it('cuts a 300-character unbroken title to the limit with an ellipsis', () => {
    const s = shortTitle('x'.repeat(300));
    expect(Array.from(s)).toHaveLength(80);
    expect(s.endsWith('…')).toBe(true);
  });
  it('cuts at a word boundary when one is near the end', () => {
    expect(shortTitle('alpha beta gamma delta', 15)).toBe('alpha beta…');
  });
  it('never splits a surrogate pair', () => {
    const s = shortTitle('😀'.repeat(100), 10);
    expect(s).toBe(`${'😀'.repeat(9)}…`);
  });
});
