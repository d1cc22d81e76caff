import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CREDIBILITIES,
  fieldsForTag,
  grade,
  gradeMeaning,
  isLikelyOrStronger,
  isWeakGrade,
  judgmentText,
  LIKELIHOOD_META,
  LIKELIHOODS,
  likelihoodLabel,
  RELIABILITIES,
  ZConfidence,
  ZCredibility,
  ZLikelihood,
  ZLinkType,
  ZOutcome,
  ZReliability,
} from './tradecraft';

describe('the ICD 203 likelihood scale', () => {
  it('maps each term to its words and range', () => {
    expect(LIKELIHOODS.map(likelihoodLabel)).toEqual([
      'almost no chance, 1–5 %',
      'very unlikely, 5–20 %',
      'unlikely, 20–45 %',
      'roughly even chance, 45–55 %',
      'likely, 55–80 %',
      'very likely, 80–95 %',
      'almost certain, 95–99 %',
    ]);
    expect(LIKELIHOOD_META.almost_no_chance.words).toContain('remote');
    expect(LIKELIHOOD_META.likely.words).toContain('probable');
    expect(LIKELIHOOD_META.very_likely.words).toContain('highly probable');
    expect(LIKELIHOOD_META.almost_certain.words).toContain('nearly certain');
  });

  it('has contiguous, increasing ranges', () => {
    for (let i = 1; i < LIKELIHOODS.length; i++) expect(LIKELIHOOD_META[LIKELIHOODS[i]].min).toBe(LIKELIHOOD_META[LIKELIHOODS[i - 1]].max);
  });

  it('knows likely or stronger', () => {
    expect(LIKELIHOODS.filter(isLikelyOrStronger)).toEqual(['likely', 'very_likely', 'almost_certain']);
  });

  it('writes the judgment as the card shows it', () => {
    expect(judgmentText('likely', 'moderate')).toBe('likely, 55–80 %; moderate confidence');
    expect(judgmentText('almost_certain', null)).toBe('almost certain, 95–99 %');
    expect(judgmentText(null, 'high')).toBe('high confidence');
    expect(judgmentText(null, undefined)).toBe('');
  });
});

describe('the Admiralty grade', () => {
  it('is compact with a meaning', () => {
    expect(grade('B', 2)).toBe('B2');
    expect(gradeMeaning('B', 2)).toBe('Usually reliable source; probably true');
    expect(gradeMeaning('F', 6)).toBe('Source reliability cannot be judged; truth cannot be judged');
    expect(gradeMeaning('A', 1)).toBe('Completely reliable source; confirmed by other sources');
    expect(grade('C', null)).toBe('C');
    expect(gradeMeaning(null, 4)).toBe('Doubtful');
    expect(grade(null, null)).toBe('');
  });

  it('is weak exactly when reliability is E/F or credibility 5/6', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RELIABILITIES), fc.constantFrom(...CREDIBILITIES), (r, c) => {
        expect(isWeakGrade(r, c)).toBe('EF'.includes(r) || c >= 5);
      }),
    );
    expect(isWeakGrade('B', 2)).toBe(false);
    expect(isWeakGrade('F', 6)).toBe(true);
    expect(isWeakGrade(null, null)).toBe(false);
  });
});

describe('field schemas', () => {
  it('accept the scales and nothing else', () => {
    for (const l of LIKELIHOODS) expect(ZLikelihood.parse(l)).toBe(l);
    expect(ZLikelihood.safeParse('probable').success).toBe(false);
    expect(ZConfidence.safeParse('moderate').success).toBe(true);
    expect(ZConfidence.safeParse('medium').success).toBe(false);
    for (const r of RELIABILITIES) expect(ZReliability.parse(r)).toBe(r);
    for (const bad of ['Z', 'a', 'AB', '', 1, null]) expect(ZReliability.safeParse(bad).success).toBe(false);
    for (const c of CREDIBILITIES) expect(ZCredibility.parse(c)).toBe(c);
    for (const bad of [0, 7, 2.5, '2', NaN, Infinity, null]) expect(ZCredibility.safeParse(bad).success).toBe(false);
    expect(ZOutcome.options).toEqual(['accepted', 'rejected', 'needs_source', 'escalated']);
    expect(ZLinkType.options).toEqual(['supports', 'contradicts', 'depends_on']);
  });

  it('name the allowed values in their errors', () => {
    expect(ZReliability.safeParse('Z').error?.issues[0].message).toBe('must be one letter A–F');
    expect(ZCredibility.safeParse(7).error?.issues[0].message).toBe('must be an integer 1–6');
  });
});

describe('fieldsForTag', () => {
  it('puts each field on its one tag', () => {
    expect(fieldsForTag('assessment')).toEqual(['likelihood', 'confidence']);
    expect(fieldsForTag('evidence')).toEqual(['source', 'reliability', 'credibility']);
    expect(fieldsForTag('speculation')).toEqual(['needsSource']);
  });
});
