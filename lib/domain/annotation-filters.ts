/**
 * The reader's filters over a document's highlights: tags, status, "mine", the tradecraft
 * fields (likelihood, confidence, reliability, credibility, outcome), "has checks", and the search
 * words, author, "has replies" and creation dates. Pure, so the margin, the article, the claims
 * table and a shared URL (filter-url.ts) apply them the same way. The words are searched by the
 * server (full-text); the ids it found are passed in as `hits`. A tradecraft filter
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
  /** Search words ('' none): only the highlights the server's full-text search found. */
  q: string;
  /** Only this author's highlights (a user id; '' any). */
  author: string;
  /** 'yes': two or more comments (the opening one and a reply); 'no': at most one. */
  hasReplies: '' | 'yes' | 'no';
  /** Created on or after / on or before this day (YYYY-MM-DD, UTC; '' open). */
  from: string;
  to: string;
}

export const NO_FILTERS: FilterState = {
  tags: [], hideResolved: false, mine: false, likelihood: '', confidence: '', reliability: '', credibility: '', outcome: '', hasChecks: false,
  q: '', author: '', hasReplies: '', from: '', to: '',
};

/** How many of the Refine panel's filters (not tags, resolved, mine, words) are set. */
export function refinements(f: FilterState): number {
  return [f.likelihood, f.confidence, f.reliability, f.credibility, f.outcome, f.author, f.hasReplies, f.from, f.to].filter((v) => v !== '').length + (f.hasChecks ? 1 : 0);
}

/** The UTC day of an ISO date-time. */
const day = (iso: string) => iso.slice(0, 10);

function field<T>(want: FieldFilter<T>, has: boolean, value: T | null): boolean {
  if (want === '') return true;
  if (!has) return false;
  return want === 'none' ? value === null : value === want;
}

/**
 * `hits`: the ids the full-text search found for `f.q` (undefined while it is asked: nothing is
 * hidden by the words until the answer is there).
 */
export function matchesFilters(a: ApiAnnotation, f: FilterState, meId: string, checked?: ReadonlySet<string>, hits?: ReadonlySet<string>): boolean {
  return (
    (f.tags.length === 0 || f.tags.includes(a.tag)) &&
    !(f.hideResolved && a.status === 'resolved') &&
    (!f.mine || a.author.id === meId) &&
    field(f.likelihood, a.tag === 'assessment', a.likelihood) &&
    field(f.confidence, a.tag === 'assessment', a.confidence) &&
    field(f.reliability, a.tag === 'evidence', a.reliability) &&
    field(f.credibility, a.tag === 'evidence', a.credibility) &&
    field(f.outcome, a.status === 'resolved', a.outcome) &&
    (!f.hasChecks || !!checked?.has(a.id)) &&
    (!f.q || !hits || hits.has(a.id)) &&
    (!f.author || a.author.id === f.author) &&
    (f.hasReplies === '' || (a.commentCount >= 2) === (f.hasReplies === 'yes')) &&
    (!f.from || day(a.createdAt) >= f.from) &&
    (!f.to || day(a.createdAt) <= f.to)
  );
}

/** The highlights the filters keep; `checked` holds the ids the review checks name, `hits` those the search found. */
export function applyFilters(list: ApiAnnotation[], f: FilterState, meId: string, checked?: ReadonlySet<string>, hits?: ReadonlySet<string>): ApiAnnotation[] {
  return list.filter((a) => matchesFilters(a, f, meId, checked, hits));
}
