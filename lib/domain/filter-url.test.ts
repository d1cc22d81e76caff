import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_FILTERS, type FilterState } from './annotation-filters';
import { filterSearch, parseFilters, writeFilters } from './filter-url';
import { TAGS } from './tags';
import { CONFIDENCES, CREDIBILITIES, LIKELIHOODS, OUTCOMES, RELIABILITIES } from './tradecraft';

const parse = (s: string) => parseFilters(new URLSearchParams(s));

describe('filters in the URL', () => {
  it('leaves everything out when nothing is set, and keeps other parameters', () => {
    expect(filterSearch('', NO_FILTERS)).toBe('');
    expect(filterSearch('?revision=r1&tag=evidence&q=x', NO_FILTERS)).toBe('?revision=r1');
    expect(parse('')).toEqual(NO_FILTERS);
    expect(parse('revision=r1')).toEqual(NO_FILTERS);
  });

  it('writes every field in a fixed order with the API names', () => {
    const f: FilterState = {
      tags: ['assessment', 'evidence'], hideResolved: true, mine: true, likelihood: 'likely', confidence: 'none', reliability: 'B',
      credibility: 2, outcome: 'accepted', hasChecks: true, q: ' KN-23 & co ', author: 'u1', hasReplies: 'no', from: '2026-01-01', to: '2026-02-28',
    };
    const s = filterSearch('?revision=r1', f);
    expect(s).toBe('?revision=r1&q=KN-23+%26+co&tag=evidence%2Cassessment&status=open&mine=true&author=u1&hasReplies=false&outcome=accepted&likelihood=likely&confidence=none&reliability=B&credibility=2&checks=true&from=2026-01-01&to=2026-02-28');
    expect(parse(s)).toEqual({ ...f, tags: ['evidence', 'assessment'], q: 'KN-23 & co' });
  });

  it('ignores values it does not know instead of failing', () => {
    expect(parse('tag=evidence,bogus,evidence&status=resolved&mine=1&likelihood=sure&credibility=7&outcome=&hasReplies=maybe&from=2026-02-30&to=yesterday&checks=yes')).toEqual({
      ...NO_FILTERS, tags: ['evidence'],
    });
    expect(parse(`q=${'x'.repeat(300)}`).q).toHaveLength(200);
    expect(parse(`author=${'a'.repeat(65)}`).author).toBe('');
    expect(parse('from=2024-02-29&to=2023-02-29')).toMatchObject({ from: '2024-02-29', to: '' });
  });

  it('round-trips any filter state (parse ∘ write = id)', () => {
    const field = <T,>(values: readonly T[]) => fc.constantFrom<'' | 'none' | T>('', 'none', ...values);
    const dayArb = fc.oneof(fc.constant(''), fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
    const state = fc.record<FilterState>({
      tags: fc.subarray([...TAGS]),
      hideResolved: fc.boolean(),
      mine: fc.boolean(),
      likelihood: field(LIKELIHOODS),
      confidence: field(CONFIDENCES),
      reliability: field(RELIABILITIES),
      credibility: field(CREDIBILITIES),
      outcome: field(OUTCOMES),
      hasChecks: fc.boolean(),
      q: fc.string({ maxLength: 200 }).map((s) => s.trim()),
      author: fc.string({ maxLength: 64 }),
      hasReplies: fc.constantFrom('', 'yes', 'no'),
      from: dayArb,
      to: dayArb,
    });
    fc.assert(fc.property(state, fc.string(), (f, other) => {
      const params = writeFilters(new URLSearchParams({ other }), f);
      expect(params.get('other')).toBe(other);
      expect(parseFilters(new URLSearchParams(params.toString()))).toEqual(f);
    }));
  });
});
