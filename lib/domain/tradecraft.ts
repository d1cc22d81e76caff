/**
 * The tradecraft scales as data (docs/architecture.md, "Tradecraft: scales, checks, suggestions"):
 * the ICD 203 likelihood of an assessment and the analyst's confidence in it, the Admiralty grade
 * of a piece of evidence (reliability of the source A–F, credibility of the information 1–6), the
 * outcome of a resolved thread and the types of link between two annotations. Zod schemas for each
 * field (the API validates with them), words for display, and which tag may carry which field.
 * Pure: no database, no framework.
 */
import { z } from 'zod';
import type { Tag } from './tags';

export interface LikelihoodMeta {
  /** The ICD 203 words, first the one shown. */
  words: readonly [string, ...string[]];
  /** The range in percent, inclusive. */
  min: number;
  max: number;
}

/** ICD 203's seven terms of likelihood, from least to most likely. */
export const LIKELIHOODS = ['almost_no_chance', 'very_unlikely', 'unlikely', 'roughly_even', 'likely', 'very_likely', 'almost_certain'] as const;
export type Likelihood = (typeof LIKELIHOODS)[number];

export const LIKELIHOOD_META: Record<Likelihood, LikelihoodMeta> = {
  almost_no_chance: { words: ['almost no chance', 'remote'], min: 1, max: 5 },
  very_unlikely: { words: ['very unlikely', 'highly improbable'], min: 5, max: 20 },
  unlikely: { words: ['unlikely', 'improbable'], min: 20, max: 45 },
  roughly_even: { words: ['roughly even chance', 'roughly even odds'], min: 45, max: 55 },
  likely: { words: ['likely', 'probable'], min: 55, max: 80 },
  very_likely: { words: ['very likely', 'highly probable'], min: 80, max: 95 },
  almost_certain: { words: ['almost certain', 'nearly certain'], min: 95, max: 99 },
};

export const CONFIDENCES = ['low', 'moderate', 'high'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** Admiralty (NATO) source reliability. */
export const RELIABILITIES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type Reliability = (typeof RELIABILITIES)[number];
export const RELIABILITY_MEANING: Record<Reliability, string> = {
  A: 'Completely reliable',
  B: 'Usually reliable',
  C: 'Fairly reliable',
  D: 'Not usually reliable',
  E: 'Unreliable',
  F: 'Reliability cannot be judged',
};

/** Admiralty (NATO) information credibility. */
export const CREDIBILITIES = [1, 2, 3, 4, 5, 6] as const;
export type Credibility = (typeof CREDIBILITIES)[number];
export const CREDIBILITY_MEANING: Record<Credibility, string> = {
  1: 'Confirmed by other sources',
  2: 'Probably true',
  3: 'Possibly true',
  4: 'Doubtful',
  5: 'Improbable',
  6: 'Truth cannot be judged',
};

export const OUTCOMES = ['accepted', 'rejected', 'needs_source', 'escalated'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_LABEL: Record<Outcome, string> = { accepted: 'Accepted', rejected: 'Rejected', needs_source: 'Needs source', escalated: 'Escalated' };

/** A link reads "source <type> target": evidence `supports` the assessment it backs. */
export const LINK_TYPES = ['supports', 'contradicts', 'depends_on'] as const;
export type LinkType = (typeof LINK_TYPES)[number];
export const LINK_TYPE_LABEL: Record<LinkType, string> = { supports: 'supports', contradicts: 'contradicts', depends_on: 'depends on' };

export const ZLikelihood = z.enum(LIKELIHOODS, { error: `must be one of ${LIKELIHOODS.join(', ')}` });
export const ZConfidence = z.enum(CONFIDENCES, { error: `must be one of ${CONFIDENCES.join(', ')}` });
/** Exactly one upper-case letter A–F. */
export const ZReliability = z.enum(RELIABILITIES, { error: 'must be one letter A–F' });
/** An integer 1–6. */
export const ZCredibility = z
  .number({ error: 'must be an integer 1–6' })
  .int('must be an integer 1–6')
  .min(1, 'must be an integer 1–6')
  .max(6, 'must be an integer 1–6');
export const ZOutcome = z.enum(OUTCOMES, { error: `must be one of ${OUTCOMES.join(', ')}` });
export const ZLinkType = z.enum(LINK_TYPES, { error: `must be one of ${LINK_TYPES.join(', ')}` });

export const isLikelihood = (v: unknown): v is Likelihood => typeof v === 'string' && (LIKELIHOODS as readonly string[]).includes(v);
export const isReliability = (v: unknown): v is Reliability => typeof v === 'string' && (RELIABILITIES as readonly string[]).includes(v);
export const isCredibility = (v: unknown): v is Credibility => typeof v === 'number' && (CREDIBILITIES as readonly number[]).includes(v);

/** Position on the scale, 0 (almost no chance) … 6 (almost certain). */
export const likelihoodRank = (l: Likelihood): number => LIKELIHOODS.indexOf(l);
/** Likely or stronger (likely, very likely, almost certain). */
export const isLikelyOrStronger = (l: Likelihood): boolean => likelihoodRank(l) >= likelihoodRank('likely');

/** "likely, 55–80 %". */
export function likelihoodLabel(l: Likelihood): string {
  const m = LIKELIHOOD_META[l];
  return `${m.words[0]}, ${m.min}–${m.max} %`;
}

/** "moderate confidence". */
export const confidenceLabel = (c: Confidence): string => `${c} confidence`;

/** What the card shows: "likely, 55–80 %; moderate confidence" (either part alone when the other is unset; "" when neither is). */
export function judgmentText(likelihood: Likelihood | null | undefined, confidence: Confidence | null | undefined): string {
  const parts: string[] = [];
  if (likelihood) parts.push(likelihoodLabel(likelihood));
  if (confidence) parts.push(confidenceLabel(confidence));
  return parts.join('; ');
}

/** The compact Admiralty grade: "B2"; one part alone when the other is unset ("B", "2"). */
export function grade(reliability: Reliability | null | undefined, credibility: Credibility | number | null | undefined): string {
  return `${reliability ?? ''}${credibility ?? ''}`;
}

/** The grade's meaning (for a hover): "Usually reliable source; probably true". */
export function gradeMeaning(reliability: Reliability | null | undefined, credibility: Credibility | number | null | undefined): string {
  const parts: string[] = [];
  if (reliability) parts.push(reliability === 'F' ? 'Source reliability cannot be judged' : `${RELIABILITY_MEANING[reliability]} source`);
  if (credibility !== null && credibility !== undefined && isCredibility(credibility)) {
    const c = CREDIBILITY_MEANING[credibility];
    parts.push(parts.length ? c[0].toLowerCase() + c.slice(1) : c);
  }
  return parts.join('; ');
}

/** A weak grade: an unreliable or unjudgeable source (E, F) or improbable or unjudgeable information (5, 6). */
export function isWeakGrade(reliability: Reliability | null | undefined, credibility: Credibility | number | null | undefined): boolean {
  return reliability === 'E' || reliability === 'F' || credibility === 5 || credibility === 6;
}

/** The judgment fields of an annotation (the API's names). */
export const TRADECRAFT_FIELDS = ['likelihood', 'confidence', 'source', 'reliability', 'credibility', 'needsSource'] as const;
export type TradecraftField = (typeof TRADECRAFT_FIELDS)[number];

const FIELDS_FOR_TAG: Record<Tag, readonly TradecraftField[]> = {
  assessment: ['likelihood', 'confidence'],
  evidence: ['source', 'reliability', 'credibility'],
  speculation: ['needsSource'],
};

/** Which judgment fields a highlight with this tag may carry: likelihood and confidence on an assessment, source and grade on evidence, needsSource on speculation. */
export const fieldsForTag = (tag: Tag): readonly TradecraftField[] => FIELDS_FOR_TAG[tag];
