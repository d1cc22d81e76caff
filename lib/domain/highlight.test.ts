import { describe, expect, it } from 'vitest';
import { decodePaintPlan, encodePaintPlan, PAINT_NAMES, paintIntervals, union } from './highlight';

const spec = (tag: 'evidence' | 'speculation' | 'assessment', start: number, end: number, resolved = false) => ({ tag, start, end, resolved });

describe('the paint plan', () => {
  it('merges overlapping and touching passages of one tag and status, and keeps the others apart', () => {
    expect(union([[10, 20], [0, 5], [5, 8], [15, 30], [40, 41]])).toEqual([[0, 8], [10, 30], [40, 41]]);
    const byName = paintIntervals([spec('evidence', 0, 10), spec('evidence', 5, 12), spec('evidence', 5, 12, true), spec('assessment', 3, 4)]);
    expect(byName).toEqual(new Map([['mg-evidence', [[0, 12]]], ['mg-evidence-resolved', [[5, 12]]], ['mg-assessment', [[3, 4]]]]));
  });

  it('goes through its encoding unchanged, in digits, commas and semicolons only', () => {
    const byName = paintIntervals([spec('speculation', 7, 9, true), spec('evidence', 0, 3), spec('evidence', 100, 2000)]);
    const text = encodePaintPlan(byName);
    expect(text).toMatch(/^[0-9,;]*$/);
    expect(text.split(';')).toHaveLength(PAINT_NAMES.length);
    expect(decodePaintPlan(text)).toEqual(byName);
    expect(decodePaintPlan(encodePaintPlan(new Map()))).toEqual(new Map());
    // As differences: [100, 2000] after [0, 3] is 97 past 3, 1900 long.
    expect(text.split(';')[0]).toBe('0,3,97,1900');
  });

  it('is refused whole when it is not one: wrong group count, odd offsets, negative, fractional or empty intervals, overlapping ones, other characters', () => {
    for (const bad of ['', '1,2', ';;;;;;', '1,2,3;;;;;', '-1,2;;;;;', '1.5,2;;;;;', '5,0;;;;;', '1,2,0,3;;;;;', 'a,b;;;;;', '1,,2;;;;;', '1e3,2e3;;;;;', `${2 ** 60},${2 ** 61};;;;;`]) {
      expect(decodePaintPlan(bad), bad).toBeNull();
    }
  });
});
