import { describe, expect, it } from 'vitest';
import { NO_TRADECRAFT, type ApiAnnotation } from './api-types';
import { applyFilters, NO_FILTERS, refinements, type FilterState } from './annotation-filters';

let n = 0;
function ann(over: Partial<ApiAnnotation>): ApiAnnotation {
  const id = over.id ?? `a${++n}`;
  return {
    id, documentId: 'd', revisionId: 'r', tag: 'evidence', status: 'open',
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
});
