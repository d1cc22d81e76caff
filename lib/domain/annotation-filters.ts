/**
 * The reader's filters over a document's highlights: tags, status, "mine", and the tradecraft
 * fields (likelihood, confidence, reliability, credibility, outcome) and "has checks". Pure, so
 * the margin, the article and (later) a shared URL apply them the same way. A tradecraft filter
 * keeps only highlights that can carry that field: "likelihood: likely" shows assessments judged
 * likely; "none" shows those of that tag with the field not set.
 */
import type { ApiAnnotation } from './api-types';
import type { Tag } from './tags';
import type { Confidence, Credibility, Likelihood, Outcome, Reliability } from './tradecraft';

/** A field's filter: '' any, 'none' not set, else that value. */
export type FieldFilter<T> = '' | 'none' | T;

export interface FilterState {
  /** Tags shown; empty means all. */
  tags: Tag[];
  hideResolved: boolean;
  mine: boolean;
  likelihood: FieldFilter<Likelihood>;
  confidence: FieldFilter<Confidence>;
  reliability: FieldFilter<Reliability>;
  credibility: FieldFilter<Credibility>;
  /** Resolved threads with this outcome ('none': resolved without one). */
  outcome: FieldFilter<Outcome>;
  /** Only highlights that a review check names. */
  hasChecks: boolean;
}

export const NO_FILTERS: FilterState = {
  tags: [], hideResolved: false, mine: false, likelihood: '', confidence: '', reliability: '', credibility: '', outcome: '', hasChecks: false,
};

/** How many of the tradecraft filters (not tags, resolved, mine) are set. */
export function refinements(f: FilterState): number {
  return [f.likelihood, f.confidence, f.reliability, f.credibility, f.outcome].filter((v) => v !== '').length + (f.hasChecks ? 1 : 0);
}

function field<T>(want: FieldFilter<T>, has: boolean, value: T | null): boolean {
  if (want === '') return true;
  if (!has) return false;
  return want === 'none' ? value === null : value === want;
}

export function matchesFilters(a: ApiAnnotation, f: FilterState, meId: string, checked?: ReadonlySet<string>): boolean {
  return (
    (f.tags.length === 0 || f.tags.includes(a.tag)) &&
    !(f.hideResolved && a.status === 'resolved') &&
    (!f.mine || a.author.id === meId) &&
    field(f.likelihood, a.tag === 'assessment', a.likelihood) &&
    field(f.confidence, a.tag === 'assessment', a.confidence) &&
    field(f.reliability, a.tag === 'evidence', a.reliability) &&
    field(f.credibility, a.tag === 'evidence', a.credibility) &&
    field(f.outcome, a.status === 'resolved', a.outcome) &&
    (!f.hasChecks || !!checked?.has(a.id))
  );
}

/** The highlights the filters keep; `checked` holds the ids the review checks name. */
export function applyFilters(list: ApiAnnotation[], f: FilterState, meId: string, checked?: ReadonlySet<string>): ApiAnnotation[] {
  return list.filter((a) => matchesFilters(a, f, meId, checked));
}
