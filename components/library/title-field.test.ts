import { describe, expect, it } from 'vitest';
import { titleCount, titleOverLimit, titleProblem } from './title-field';

describe('title field rules', () => {
  it('counts as the server does: trimmed', () => {
    expect(titleCount('  abc  ')).toBe('3 / 300');
  });
  it('accepts 1 to 300 characters and names the excess beyond', () => {
    expect(titleProblem('x'.repeat(300))).toBeNull();
    expect(titleProblem('   ')).toBe('Give the document a title.');
    expect(titleProblem('x'.repeat(301))).toBe('The title is 1 character over the 300 limit.');
    expect(titleOverLimit('')).toBeNull();
    expect(titleOverLimit('x'.repeat(1300))).toBe('The title is 1,000 characters over the 300 limit.');
  });
});
