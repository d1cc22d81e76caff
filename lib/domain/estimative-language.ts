/**
 * Estimative-language suggestions: a pure scanner over a revision's plain text (document-text.ts:
 * text blocks joined by "\n") that finds the sentences a reviewer would tag — hedged or
 * unattributed claims ("Reports indicate…", "there's speculation…", "may", "could",
 * "reportedly", "difficult to verify") as speculation, and estimative judgments (the ICD 203
 * terms, Sherman Kent's words of estimative probability) as assessment with the likelihood the
 * words imply. Sentences are split exactly as the reader's `s` key splits them (sentences.ts).
 *
 * One suggestion per sentence: an estimative term wins over a hedge (the sentence is a judgment
 * with a stated likelihood); otherwise the first hedge in the sentence names the reason.
 *
 * False positives it avoids: "May" the month (only lower-case "may" is the modal), "might" the
 * noun ("military might"), "could" in a sentence set in the past ("in 1999 they could…", "…years
 * ago", "when he was…": past ability, not possibility), "there are no reports", "remote" outside
 * "remote chance/possibility", "certain" outside "it is certain" / "certain to" ("certain goods").
 * Plain statements (no term) are never suggested.
 */
import { sentences } from './sentences';
import { LIKELIHOOD_META, type Likelihood } from './tradecraft';

export type SuggestedTag = 'speculation' | 'assessment';

export interface Suggestion {
  /** The whole sentence, trimmed. */
  quote: string;
  /** Offsets of `quote` in the scanned text (UTF-16, end exclusive). */
  position: { start: number; end: number };
  /** The words that triggered it, as written. */
  term: string;
  reason: string;
  suggestedTag: SuggestedTag;
  /** For an estimative term: the ICD 203 likelihood its words imply. */
  likelihood?: Likelihood;
}

interface Rule {
  re: RegExp;
  kind: SuggestedTag;
  likelihood?: Likelihood;
  reason: string;
  /** Whether a match at `index` in `sentence` counts (false positives); `past` says whether the sentence is set in the past. */
  accept?: (sentence: string, index: number, past: () => boolean) => boolean;
}

const estimative = (words: string, likelihood: Likelihood, source = 'ICD 203'): Rule => ({
  re: new RegExp(`\\b(?:${words})\\b`, 'giu'),
  kind: 'assessment',
  likelihood,
  reason: `Estimative language (${source}): implies ${likelihood.replace(/_/g, ' ')} (${LIKELIHOOD_META[likelihood].min}–${LIKELIHOOD_META[likelihood].max} %); tag it as an assessment and state the likelihood and confidence.`,
});

const hedge = (words: string, reason: string, accept?: Rule['accept'], flags = 'giu'): Rule => ({
  re: new RegExp(`\\b(?:${words})\\b`, flags),
  kind: 'speculation',
  reason,
  accept,
});

const APOS = "['’]";
/** A sentence set in the past: "could" there is most likely past ability ("In 1990 they could travel"). */
const PAST = /\b(?:(?:in|by|during|until|since) (?:1[5-9]|20)\d\d|yesterday|last (?:year|week|month|night|century)|years? ago|decades? ago|ago|as a (?:child|boy|girl)|when (?:he|she|they|we|I|it|you) (?:was|were))\b/iu;
/** "might" the noun. */
const MIGHT_NOUN = /\b(?:military|economic|naval|industrial|nuclear|its|their|his|her|our|my|your|the|of|full|sheer|great)\s+$/iu;

const HEDGE_UNATTRIBUTED = 'An unattributed or hedged claim: tag it as speculation until a source backs it.';

/** Rules, longer phrasings first where they overlap (the longest match at a position wins anyway). */
const RULES: Rule[] = [
  // ICD 203, from least to most likely, and Kent's words of estimative probability.
  estimative('almost no chance|virtually no chance|little to no chance|remote (?:chance|possibility|prospect|likelihood)|(?:chances?|possibility|prospects?|likelihood) (?:is |are |remains? |seems? )?remote', 'almost_no_chance'),
  estimative('almost certainly not|nearly certainly not', 'very_unlikely', 'Sherman Kent'),
  estimative('very unlikely|highly unlikely|highly improbable|very improbable', 'very_unlikely'),
  estimative('probably not|not likely|not probable', 'unlikely', 'Sherman Kent'),
  estimative('unlikely|improbable', 'unlikely'),
  estimative('roughly even (?:chance|odds)|about even (?:chance|odds)|even (?:chance|odds)|chances (?:are )?(?:about |roughly )?even|fifty-fifty', 'roughly_even'),
  estimative('likely|probable|probably|more likely than not', 'likely'),
  estimative('very likely|highly likely|highly probable|very probable', 'very_likely'),
  estimative('almost certain(?:ly)?|nearly certain(?:ly)?|virtually certain(?:ly)?', 'almost_certain'),
  estimative(`(?:it is|it${APOS}s|is|are|was|were) certain (?:that|to)`, 'almost_certain', 'Sherman Kent'),
  // Hedges and unattributed claims.
  hedge('reports? (?:indicate|suggest|show|say|claim|point)s?|there (?:have been|has been|were|are|is|was) (?:unconfirmed |unverified |some |several |many )?reports?|according to (?:unnamed|anonymous|unconfirmed|unidentified) \\w+|(?:unnamed|anonymous) (?:sources|officials)', 'Attributed only to unnamed reports: tag it as speculation until a source is named and graded.'),
  hedge(`there${APOS}s speculation|there is (?:some |much |growing )?speculation|speculation (?:that|about|over|is)|(?:it is |is )?speculated`, 'Speculation by its own words: tag it as speculation.'),
  hedge('reportedly|allegedly|purportedly|supposedly|rumou?red|rumou?rs', HEDGE_UNATTRIBUTED),
  hedge('(?:is|are|was|were) (?:widely |generally |often )?(?:believed|thought|said|alleged|rumou?red|understood) (?:to|that)|is believed|are believed', 'A belief without a source: tag it as speculation until a source backs it.'),
  hedge('(?:difficult|hard|impossible) to (?:verify|confirm)|(?:cannot|could not|can not|can\'t) be (?:independently )?(?:verified|confirmed)|unverified|unconfirmed', 'The claim cannot be verified by its own words: tag it as speculation.'),
  hedge('(?:is|are|remains?) (?:still )?(?:unclear|disputed|debated)', 'Disputed or unclear by its own words: tag it as speculation.'),
  hedge('possibility|possibly|perhaps|maybe|(?:it is|it\'s|it’s) possible|possible that|can potentially|conceivably', 'A possibility, not an established fact: tag it as speculation.'),
  hedge('may', 'Hedged with "may": a possibility, not an established fact; tag it as speculation.', undefined, 'gu'),
  hedge('might', 'Hedged with "might": a possibility, not an established fact; tag it as speculation.', (s, i) => !MIGHT_NOUN.test(s.slice(Math.max(0, i - 30), i))),
  hedge('could', 'Hedged with "could": a possibility, not an established fact; tag it as speculation.', (_s, _i, past) => !past()),
];

interface Hit {
  rule: Rule;
  index: number;
  text: string;
}

/** Every term in `sentence`, in order; at one position the longest match wins and matches inside another are dropped. */
function hits(sentence: string, kinds?: SuggestedTag): Hit[] {
  const all: Hit[] = [];
  // Looked up once per sentence, and only when a rule asks (a long sentence with many "could"s stays linear).
  let isPast: boolean | undefined;
  const past = () => (isPast ??= PAST.test(sentence));
  for (const rule of RULES) {
    if (kinds && rule.kind !== kinds) continue;
    rule.re.lastIndex = 0;
    for (const m of sentence.matchAll(rule.re)) {
      if (rule.accept && !rule.accept(sentence, m.index, past)) continue;
      all.push({ rule, index: m.index, text: m[0] });
    }
  }
  all.sort((a, b) => a.index - b.index || b.text.length - a.text.length);
  const out: Hit[] = [];
  for (const h of all) {
    const last = out[out.length - 1];
    if (last && h.index < last.index + last.text.length) continue;
    out.push(h);
  }
  return out;
}

/** The suggestion for one sentence (estimative beats hedge), or null for a plain statement. */
function suggest(sentence: string): Omit<Suggestion, 'quote' | 'position'> | null {
  const found = hits(sentence);
  const pick = found.find((h) => h.rule.kind === 'assessment') ?? found[0];
  if (!pick) return null;
  const s: Omit<Suggestion, 'quote' | 'position'> = { term: pick.text, reason: pick.rule.reason, suggestedTag: pick.rule.kind };
  if (pick.rule.likelihood) s.likelihood = pick.rule.likelihood;
  return s;
}

/** The suggestions for a revision's plain text, in document order. */
export function scanEstimativeLanguage(text: string): Suggestion[] {
  const out: Suggestion[] = [];
  for (const [start, end] of sentences(text)) {
    const quote = text.slice(start, end);
    const s = suggest(quote);
    if (s) out.push({ quote, position: { start, end }, ...s });
  }
  return out;
}

/** The ICD 203 likelihood the passage's own words state (its first estimative term), or null when it states none. */
export function wordingLikelihood(sentence: string): Likelihood | null {
  return hits(sentence, 'assessment')[0]?.rule.likelihood ?? null;
}

/** The first estimative (likelihood) term of the passage as written, or null. */
export function likelihoodTerm(sentence: string): string | null {
  return hits(sentence, 'assessment')[0]?.text ?? null;
}

const CONFIDENCE = /\b(?:(?:high|moderate|medium|low)[- ]confidence|(?:with|have|has|had) (?:high|moderate|medium|low|some|great|little|full|considerable) confidence|(?:highly |fairly |reasonably |very )?confident)\b/iu;

/** The confidence term of the passage as written ("high confidence"), or null. */
export function confidenceTerm(sentence: string): string | null {
  return CONFIDENCE.exec(sentence)?.[0] ?? null;
}

/** Does one sentence state both a likelihood and a confidence ("we assess with high confidence that it is likely…")? ICD 203 keeps them apart. */
export function mixesLikelihoodAndConfidence(sentence: string): boolean {
  return likelihoodTerm(sentence) !== null && confidenceTerm(sentence) !== null;
}
