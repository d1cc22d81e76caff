import { describe, expect, it } from 'vitest';
import { NO_TRADECRAFT, type ApiAnnotation } from './api-types';
import { applyFilters, NO_FILTERS, refinements, type FilterState } from './annotation-filters';

let n = 0;
function ann(over: Partial<ApiAnnotation>): ApiAnnotation {
  const id = over.id ?? `a${++n}`;
  return {
    id, documentId: 'd', revisionId: 'r', tag: 'evidence', status: 'open', scope: 'passage',
    target: { quote: { exact: 'q', prefix: '', suffix: '' }, position: { start: 0, end: 1 } },
    anchor: 'anchored', anchorMethod: 'created', anchorScore: null, author: { id: 'u1', name: 'Ann' },
    commentCount: 0, version: 1, createdAt: '', updatedAt: '', ...NO_TRADECRAFT, ...over,
  };
}

const likely = ann({ id: 'likely', tag: 'assessment', likelihood: 'likely', confidence: 'moderate' });
const bare = ann({ id: 'bare', tag: 'assessment' });
const b2 = ann({ id: 'b2', tag: 'evidence', reliability: 'B', credibility: 2, author: { id: 'u2', name: 'Ben' } });
const ungraded = ann({ id: 'ungraded', tag: 'evidence' });
const escalated = ann({ id: 'escalated', tag: 'speculation', status: 'resolved', outcome: 'escalated' });
const resolvedBare = ann({ id: 'resolvedBare', tag: 'speculation', status: 'resolved' });
// A stale value on a tag that cannot carry it (never sent by the server, but the filter must not trust it).
const odd = ann({ id: 'odd', tag: 'speculation', likelihood: 'likely' });
const all = [likely, bare, b2, ungraded, escalated, resolvedBare, odd];
const ids = (f: Partial<FilterState>, checked?: Set<string>) => applyFilters(all, { ...NO_FILTERS, ...f }, 'u1', checked).map((a) => a.id);

describe('annotation filters', () => {
  it('no filter keeps everything', () => {
    expect(ids({})).toEqual(all.map((a) => a.id));
    expect(refinements(NO_FILTERS)).toBe(0);
  });
  it('apply to page notes as to highlights', () => {
    const note = ann({ id: 'note', tag: 'assessment', scope: 'document', status: 'resolved', outcome: 'accepted', likelihood: 'likely' });
    const keep = (f: Partial<FilterState>) => applyFilters([note], { ...NO_FILTERS, ...f }, 'u1').length === 1;
    expect([keep({ tags: ['assessment'] }), keep({ tags: ['evidence'] }), keep({ hideResolved: true }), keep({ likelihood: 'likely' }), keep({ outcome: 'accepted' }), keep({ mine: true })])
      .toEqual([true, false, false, true, true, true]);
  });

  it('tags, resolved and mine', () => {
    expect(ids({ tags: ['assessment'] })).toEqual(['likely', 'bare']);
    expect(ids({ hideResolved: true })).toEqual(['likely', 'bare', 'b2', 'ungraded', 'odd']);
    expect(ids({ mine: true })).not.toContain('b2');
  });
  it('likelihood and confidence apply to assessments only; none means not set', () => {
    expect(ids({ likelihood: 'likely' })).toEqual(['likely']);
    expect(ids({ likelihood: 'none' })).toEqual(['bare']);
    expect(ids({ confidence: 'high' })).toEqual([]);
    expect(ids({ confidence: 'none', likelihood: 'none' })).toEqual(['bare']);
  });
  it('grades apply to evidence only', () => {
    expect(ids({ reliability: 'B' })).toEqual(['b2']);
    expect(ids({ credibility: 2 })).toEqual(['b2']);
    expect(ids({ reliability: 'none' })).toEqual(['ungraded']);
    expect(ids({ reliability: 'B', credibility: 3 })).toEqual([]);
  });
  it('outcome applies to resolved threads', () => {
    expect(ids({ outcome: 'escalated' })).toEqual(['escalated']);
    expect(ids({ outcome: 'none' })).toEqual(['resolvedBare']);
  });
  it('has checks keeps the highlights a check names', () => {
    expect(ids({ hasChecks: true }, new Set(['bare', 'b2']))).toEqual(['bare', 'b2']);
    expect(ids({ hasChecks: true })).toEqual([]);
    expect(refinements({ ...NO_FILTERS, hasChecks: true, likelihood: 'none', outcome: 'accepted' })).toBe(3);
  });
  it('words keep the ids the search found (all while it is asked), author, replies and days', () => {
    expect(applyFilters(all, { ...NO_FILTERS, q: 'kn' }, 'u1', undefined, new Set(['b2', 'odd'])).map((a) => a.id)).toEqual(['b2', 'odd']);
    expect(applyFilters(all, { ...NO_FILTERS, q: 'kn' }, 'u1').map((a) => a.id)).toEqual(all.map((a) => a.id));
    expect(ids({ author: 'u2' })).toEqual(['b2']);
    const talk = [ann({ id: 'none', commentCount: 0 }), ann({ id: 'one', commentCount: 1 }), ann({ id: 'two', commentCount: 2 })];
    const replies = (hasReplies: '' | 'yes' | 'no') => applyFilters(talk, { ...NO_FILTERS, hasReplies }, 'u1').map((a) => a.id);
    expect(replies('yes')).toEqual(['two']);
    expect(replies('no')).toEqual(['none', 'one']);
    const dated = ['2026-01-14T23:59:59.999Z', '2026-01-15T00:00:00.000Z', '2026-01-15T23:59:59.999Z', '2026-01-16T00:00:00.000Z'].map((createdAt, i) => ann({ id: `d${i}`, createdAt }));
    const days = (from: string, to: string) => applyFilters(dated, { ...NO_FILTERS, from, to }, 'u1').map((a) => a.id);
    expect(days('2026-01-15', '2026-01-15')).toEqual(['d1', 'd2']);
    expect(days('2026-01-15', '')).toEqual(['d1', 'd2', 'd3']);
    expect(days('', '2026-01-14')).toEqual(['d0']);
    expect(refinements({ ...NO_FILTERS, author: 'u2', hasReplies: 'no', from: '2026-01-01', q: 'x', mine: true })).toBe(3);
  });
});
