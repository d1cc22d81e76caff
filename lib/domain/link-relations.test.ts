import { describe, expect, it } from 'vitest';
import { defaultRelation, linkEnds, parseRelation, RELATIONS, relationLabel, relationValue } from './link-relations';

describe('link relations', () => {
  it('reads each type both ways', () => {
    expect(RELATIONS.map(relationLabel)).toEqual(['Supports', 'Supported by', 'Contradicts', 'Contradicted by', 'Depends on', 'A premise of']);
  });
  it('round-trips select values and refuses others', () => {
    for (const r of RELATIONS) expect(parseRelation(relationValue(r))).toEqual(r);
    expect(parseRelation('supports:sideways')).toBeNull();
    expect(parseRelation('')).toBeNull();
  });
  it('evidence supports by default; judgments and speculation are supported', () => {
    expect(defaultRelation('evidence')).toEqual({ type: 'supports', inverse: false });
    expect(defaultRelation('assessment')).toEqual({ type: 'supports', inverse: true });
    expect(defaultRelation('speculation')).toEqual({ type: 'supports', inverse: true });
  });
  it('an inverse relation is stored from the other end', () => {
    expect(linkEnds('a', 'b', { type: 'contradicts', inverse: false })).toEqual({ sourceId: 'a', targetId: 'b' });
    expect(linkEnds('a', 'b', { type: 'contradicts', inverse: true })).toEqual({ sourceId: 'b', targetId: 'a' });
  });
});
