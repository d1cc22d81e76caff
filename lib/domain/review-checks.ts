/**
 * Review checks: the tradecraft problems in a document's annotations, computed from the
 * annotations, their typed links and the revision's plain text (pure; the API serves them as
 * `GET /api/documents/:id/checks` and the page's Checks panel shows them).
 *
 * Links read "source <type> target": evidence `supports` the judgment it backs. Evidence is
 * underlying information and never rests on a judgment, so a link that joins an evidence
 * annotation to a non-evidence one is read with the evidence as the supporter (or contradicter)
 * whichever end it is; between two non-evidence annotations the link's source is the supporter.
 * Links to annotations not in the input (deleted) are ignored.
 *
 * Resolved threads: a thread resolved as `accepted` is the team's judgment and must meet the
 * standard, so every check still applies to it; any other resolved thread (rejected, escalated,
 * needs source, or no outcome) is settled or handed on and is not checked. Evidence or speculation
 * resolved as `rejected` no longer counts as support.
 *
 * The checks, per annotation:
 * - `missing_likelihood`, `missing_confidence`: an assessment without one.
 * - `unsupported`: an assessment that no evidence or speculation supports.
 * - `speculation_only`: an assessment supported by speculation but by no evidence.
 * - `weak_evidence`: a likely-or-stronger assessment whose supporting evidence is all weakly graded
 *   (reliability E/F or credibility 5/6); the message names the grades.
 * - `conflicting_evidence`: one annotation both supports and contradicts the same judgment (a flag
 *   for discussion, not an error).
 * - `wording_disagrees`: the passage's own words state another likelihood than the team set.
 * - `mixed_likelihood_confidence`: a sentence of the passage states both a likelihood and a
 *   confidence (ICD 203 keeps them apart).
 * - `needs_source`: an open speculation marked as needing a source that no evidence supports yet
 *   (the API clears the mark when a supporting evidence link is made).
 *
 * Page notes (about the whole document) get every check but the two about a passage's wording
 * (`wording_disagrees`, `mixed_likelihood_confidence`): they have no passage. They come first.
 */
import { likelihoodTerm, confidenceTerm, wordingLikelihood } from './estimative-language';
import { sentences } from './sentences';
import type { AnnotationStatus, Tag } from './tags';
import { grade, isLikelyOrStronger, isWeakGrade, likelihoodLabel, type Confidence, type Likelihood, type LinkType, type Outcome, type Reliability } from './tradecraft';

export interface CheckAnnotation {
  id: string;
  tag: Tag;
  status: AnnotationStatus;
  /** The highlighted text. */
  quote: string;
  /** Offsets of the highlight in `text`; null for an orphan (its passage is then just its quote). */
  position?: { start: number; end: number } | null;
  /** A page note: about the whole document, no passage (`quote` is empty). */
  pageNote?: boolean;
  likelihood?: Likelihood | null;
  confidence?: Confidence | null;
  reliability?: Reliability | null;
  credibility?: number | null;
  needsSource?: boolean;
  outcome?: Outcome | null;
}

export interface CheckLink {
  id: string;
  sourceId: string;
  targetId: string;
  type: LinkType;
}

export interface ReviewInput {
  annotations: readonly CheckAnnotation[];
  links: readonly CheckLink[];
  /** The revision's plain text (document-text.ts), which `position`s point into. */
  text: string;
}

export const CHECK_KINDS = [
  'missing_likelihood',
  'missing_confidence',
  'unsupported',
  'speculation_only',
  'weak_evidence',
  'conflicting_evidence',
  'wording_disagrees',
  'mixed_likelihood_confidence',
  'needs_source',
] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export interface ReviewCheck {
  kind: CheckKind;
  /** The annotation the check is about (the judgment, for link checks). */
  annotationId: string;
  message: string;
  /** Other annotations involved (the evidence or speculation concerned). */
  related?: string[];
}

/** Is this annotation checked at all (open, or resolved as accepted)? */
const checked = (a: CheckAnnotation) => a.status === 'open' || a.outcome === 'accepted';
/** Does it still count as support (not resolved as rejected)? */
const counts = (a: CheckAnnotation) => !(a.status === 'resolved' && a.outcome === 'rejected');

/** The link oriented as (actor, judgment): evidence is always the actor when only one end is evidence. */
function orient(link: CheckLink, byId: ReadonlyMap<string, CheckAnnotation>): { actor: CheckAnnotation; judged: CheckAnnotation } | null {
  const s = byId.get(link.sourceId);
  const t = byId.get(link.targetId);
  if (!s || !t || s.id === t.id) return null;
  if (t.tag === 'evidence' && s.tag !== 'evidence') return { actor: t, judged: s };
  return { actor: s, judged: t };
}

/** The passage of an annotation: the sentences of `text` that its position overlaps, or its quote. */
function passageSentences(a: CheckAnnotation, text: string): string[] {
  const p = a.position;
  if (!p || p.start < 0 || p.end > text.length || p.end <= p.start) return [a.quote];
  // Sentences never cross a "\n" (a block boundary): scan only the blocks the highlight touches.
  const from = text.lastIndexOf('\n', p.start - 1) + 1;
  const nl = text.indexOf('\n', p.end);
  const to = nl < 0 ? text.length : nl;
  const block = text.slice(from, to);
  const out = sentences(block)
    .filter(([s, e]) => from + s < p.end && from + e > p.start)
    .map(([s, e]) => block.slice(s, e));
  return out.length ? out : [a.quote];
}

/** The ICD 203 likelihood the passage's own words state: the quote's if it states one, else its sentences'. */
function statedLikelihood(a: CheckAnnotation, text: string): { likelihood: Likelihood; term: string } | null {
  for (const passage of [a.quote, ...passageSentences(a, text)]) {
    const likelihood = wordingLikelihood(passage);
    const term = likelihoodTerm(passage);
    if (likelihood && term) return { likelihood, term };
  }
  return null;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** Every check for the document, in document order of the annotations (orphans last), then by kind. */
export function reviewChecks(input: ReviewInput): ReviewCheck[] {
  const byId = new Map(input.annotations.map((a) => [a.id, a]));
  const supporters = new Map<string, CheckAnnotation[]>();
  const contradicters = new Map<string, Set<string>>();
  for (const link of input.links) {
    const o = orient(link, byId);
    if (!o || !counts(o.actor)) continue;
    if (link.type === 'supports') {
      const list = supporters.get(o.judged.id) ?? [];
      if (!list.some((x) => x.id === o.actor.id)) list.push(o.actor);
      supporters.set(o.judged.id, list);
    } else if (link.type === 'contradicts') {
      const set = contradicters.get(o.judged.id) ?? new Set<string>();
      set.add(o.actor.id);
      contradicters.set(o.judged.id, set);
    }
  }

  const out: ReviewCheck[] = [];
  const at = (a: CheckAnnotation) => (a.pageNote ? -1 : (a.position?.start ?? Infinity));
  const order = [...input.annotations].sort((a, b) => at(a) - at(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const a of order) {
    if (!checked(a)) continue;
    const push = (kind: CheckKind, message: string, related?: string[]) => out.push(related?.length ? { kind, annotationId: a.id, message, related } : { kind, annotationId: a.id, message });
    const sup = supporters.get(a.id) ?? [];
    const evidence = sup.filter((s) => s.tag === 'evidence');

    if (a.tag === 'assessment') {
      if (!a.likelihood) push('missing_likelihood', 'This assessment states no likelihood.');
      if (!a.confidence) push('missing_confidence', 'This assessment states no confidence.');
      const speculation = sup.filter((s) => s.tag === 'speculation');
      if (!evidence.length && speculation.length) push('speculation_only', `This assessment is supported only by speculation, not by evidence.`, speculation.map((s) => s.id));
      else if (!evidence.length) push('unsupported', 'No evidence supports this assessment.');
      if (a.likelihood && isLikelyOrStronger(a.likelihood) && evidence.length && evidence.every((e) => isWeakGrade(e.reliability, e.credibility))) {
        const grades = [...new Set(evidence.map((e) => grade(e.reliability, e.credibility)))].join(', ');
        push('weak_evidence', `Judged ${likelihoodLabel(a.likelihood)}, but its supporting evidence is all weakly graded (${grades}).`, evidence.map((e) => e.id));
      }
      if (a.likelihood && !a.pageNote) {
        const stated = statedLikelihood(a, input.text);
        if (stated && stated.likelihood !== a.likelihood) {
          push('wording_disagrees', `The passage says “${stated.term}” (${likelihoodLabel(stated.likelihood)}), but the team set ${likelihoodLabel(a.likelihood)}.`);
        }
      }
      for (const s of a.pageNote ? [] : passageSentences(a, input.text)) {
        const l = likelihoodTerm(s);
        const c = confidenceTerm(s);
        if (l && c) {
          push('mixed_likelihood_confidence', `One sentence states both a likelihood (“${l}”) and a confidence (“${c}”); ICD 203 keeps them apart.`);
          break;
        }
      }
    }

    const contra = contradicters.get(a.id);
    if (contra) {
      const both = sup.filter((s) => contra.has(s.id)).map((s) => s.id);
      if (both.length) push('conflicting_evidence', `${plural(both.length, 'An annotation', `${both.length} annotations`)} both ${plural(both.length, 'supports', 'support')} and ${plural(both.length, 'contradicts', 'contradict')} this judgment; worth discussing.`, both);
    }

    if (a.tag === 'speculation' && a.needsSource && a.status === 'open' && !evidence.length) push('needs_source', 'This speculation needs a source and is still open.');
  }
  return out;
}
