/**
 * Marginalia annotations as W3C Web Annotations (Web Annotation Data Model, JSON-LD with the
 * context http://www.w3.org/ns/anno.jsonld; a copy ships as ./anno-context.json for tests and
 * tools without network). Pure: rows in, plain objects out. docs/api.md, "Export", describes the
 * shape; `tradecraftFromBodies` reads our own tradecraft bodies back (the import).
 *
 * - ids are absolute IRIs under the app's base URL (`iris(base)`);
 * - the tag is a `classifying` TextualBody whose value is the tag;
 * - every live comment is a TextualBody (`commenting` at the top of the thread, `replying` below
 *   it) with its sanitised HTML as `text/html`, its creator and time;
 * - tradecraft fields, the status and the outcome are further TextualBodies, `assessing` or
 *   `describing`, each valued "<field>: <value>" (e.g. "likelihood: likely", "grade: B2");
 * - the target's `source` is the revision's IRI, with a TextQuoteSelector and a
 *   TextPositionSelector (an orphan, whose position is lost, has the quote alone); a page note
 *   (about the whole document) is `commenting` and its target the revision's IRI alone;
 * - a typed link is an annotation of its own: `linking`, body the other annotation's IRI and a
 *   `describing` body naming the type, target the annotation the link starts from.
 */
import { isPageNote, type ApiAnnotation, type ApiLink, type ApiTradecraft } from '../api-types';
import type { ExportComment } from '../export/types';
import { CONFIDENCES, grade, LIKELIHOODS, OUTCOMES, RELIABILITIES, type Confidence, type Likelihood, type Outcome, type Reliability } from '../tradecraft';

export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
export const LDP_CONTEXT = 'http://www.w3.org/ns/ldp.jsonld';
export const W3C_MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"';
/** Items per AnnotationPage. */
export const W3C_PAGE_SIZE = 200;

export interface Iris {
  annotation(id: string): string;
  link(annotationId: string, linkId: string): string;
  user(id: string): string;
  revision(documentId: string, revisionId: string): string;
  comment(id: string): string;
  exportPage(documentId: string, query: string, page?: number): string;
}

/** The IRIs of our resources under `base` (the app's origin, no trailing slash). */
export function iris(base: string): Iris {
  const b = base.replace(/\/+$/, '');
  return {
    annotation: (id) => `${b}/api/annotations/${encodeURIComponent(id)}`,
    link: (a, l) => `${b}/api/annotations/${encodeURIComponent(a)}/links/${encodeURIComponent(l)}`,
    user: (id) => `${b}/api/users/${encodeURIComponent(id)}`,
    revision: (doc, rev) => `${b}/api/documents/${encodeURIComponent(doc)}?revision=${encodeURIComponent(rev)}`,
    comment: (id) => `${b}/api/comments/${encodeURIComponent(id)}`,
    exportPage: (doc, query, page) =>
      `${b}/api/documents/${encodeURIComponent(doc)}/export?format=w3c${query}${page === undefined ? '' : `&page=${page}`}`,
  };
}

type Json = Record<string, unknown>;

const person = (i: Iris, a: { id: string; name: string }) => ({ id: i.user(a.id), type: 'Person', name: a.name });
const textBody = (purpose: string, value: string) => ({ type: 'TextualBody', purpose, value, format: 'text/plain' });

/** The tradecraft, status and outcome as bodies (only what is set). */
export function tradecraftBodies(a: ApiTradecraft & { status: string }): Json[] {
  const out: Json[] = [];
  if (a.likelihood) out.push(textBody('assessing', `likelihood: ${a.likelihood}`));
  if (a.confidence) out.push(textBody('assessing', `confidence: ${a.confidence}`));
  if (a.reliability || a.credibility) out.push(textBody('assessing', `grade: ${grade(a.reliability, a.credibility)}`));
  if (a.source) out.push(textBody('describing', `source: ${a.source}`));
  if (a.needsSource) out.push(textBody('describing', 'needs source: yes'));
  if (a.status === 'resolved') out.push(textBody('assessing', 'status: resolved'));
  if (a.outcome) out.push(textBody('assessing', `outcome: ${a.outcome}`));
  if (a.outcomeRationale) out.push(textBody('assessing', `outcome rationale: ${a.outcomeRationale}`));
  return out;
}

export interface TradecraftRead {
  likelihood?: Likelihood;
  confidence?: Confidence;
  reliability?: Reliability;
  credibility?: number;
  source?: string;
  needsSource?: boolean;
  resolved?: boolean;
  outcome?: Outcome;
  outcomeRationale?: string;
}

const FIELD = /^(likelihood|confidence|grade|source|needs source|status|outcome|outcome rationale): ([\s\S]+)$/;

/** Reads one of our "<field>: <value>" bodies; null when the value is not one of ours. */
export function readTradecraftValue(value: string, into: TradecraftRead): boolean {
  const m = FIELD.exec(value.trim());
  if (!m) return false;
  const [, field, raw] = m;
  const v = raw.trim();
  switch (field) {
    case 'likelihood':
      if (!(LIKELIHOODS as readonly string[]).includes(v)) return false;
      into.likelihood = v as Likelihood;
      return true;
    case 'confidence':
      if (!(CONFIDENCES as readonly string[]).includes(v)) return false;
      into.confidence = v as Confidence;
      return true;
    case 'grade': {
      const g = /^([A-F])?([1-6])?$/.exec(v);
      if (!g || (!g[1] && !g[2])) return false;
      if (g[1] && (RELIABILITIES as readonly string[]).includes(g[1])) into.reliability = g[1] as Reliability;
      if (g[2]) into.credibility = Number(g[2]);
      return true;
    }
    case 'source':
      into.source = v;
      return true;
    case 'needs source':
      into.needsSource = v === 'yes';
      return true;
    case 'status':
      into.resolved = v === 'resolved';
      return true;
    case 'outcome':
      if (!(OUTCOMES as readonly string[]).includes(v)) return false;
      into.outcome = v as Outcome;
      return true;
    case 'outcome rationale':
      into.outcomeRationale = v;
      return true;
  }
  return false;
}

/** The target: the revision's IRI with both selectors (the quote alone for an orphan; the IRI alone for a page note). */
function target(i: Iris, a: ApiAnnotation): Json | string {
  if (isPageNote(a)) return i.revision(a.documentId, a.revisionId);
  const quote = { type: 'TextQuoteSelector', exact: a.target.quote.exact, prefix: a.target.quote.prefix, suffix: a.target.quote.suffix };
  const selector = a.anchor === 'orphaned' ? [quote] : [quote, { type: 'TextPositionSelector', start: a.target.position.start, end: a.target.position.end }];
  return { type: 'SpecificResource', source: i.revision(a.documentId, a.revisionId), selector };
}

/**
 * One annotation with its thread. `comments` are the thread's live comments, oldest first (a
 * reply whose parent was deleted is still a reply).
 */
export function toW3cAnnotation(i: Iris, a: ApiAnnotation, comments: readonly ExportComment[]): Json {
  const body: Json[] = [
    { type: 'TextualBody', purpose: 'classifying', value: a.tag, format: 'text/plain' },
    ...comments.map((c) => ({
        id: i.comment(c.id),
        type: 'TextualBody',
        purpose: c.parentId === null ? 'commenting' : 'replying',
        value: c.html,
        format: 'text/html',
        creator: person(i, c.author),
        created: c.createdAt,
        ...(c.editedAt ? { modified: c.editedAt } : {}),
      })),
    ...tradecraftBodies(a),
  ];
  return {
    id: i.annotation(a.id),
    type: 'Annotation',
    motivation: isPageNote(a) ? 'commenting' : 'highlighting',
    created: a.createdAt,
    modified: a.updatedAt,
    creator: person(i, a.author),
    body,
    target: target(i, a),
  };
}

/** A typed link as a `linking` annotation: from its source annotation to its target. */
export function toW3cLink(i: Iris, l: ApiLink, maker: { id: string; name: string }): Json {
  return {
    id: i.link(l.sourceId, l.id),
    type: 'Annotation',
    motivation: 'linking',
    created: l.createdAt,
    modified: l.createdAt,
    creator: person(i, maker),
    body: [i.annotation(l.targetId), textBody('describing', `link: ${l.type}`)],
    target: i.annotation(l.sourceId),
  };
}

export interface PageInfo {
  /** The IRI of the collection (no page) or of one of its pages. */
  at: (page?: number) => string;
  page: number;
  total: number;
  /** Items per page (W3C_PAGE_SIZE unless said). */
  size?: number;
}

export const lastPage = (total: number, size = W3C_PAGE_SIZE) => Math.max(0, Math.ceil(total / size) - 1);

/** An AnnotationPage (without @context when embedded in the collection). */
export function w3cPage(p: PageInfo, items: unknown[], embedded: boolean): Json {
  const size = p.size ?? W3C_PAGE_SIZE;
  const last = lastPage(p.total, size);
  return {
    ...(embedded ? {} : { '@context': ANNO_CONTEXT }),
    id: p.at(p.page),
    type: 'AnnotationPage',
    partOf: embedded ? p.at() : { id: p.at(), type: 'AnnotationCollection', total: p.total },
    startIndex: p.page * size,
    ...(p.page < last ? { next: p.at(p.page + 1) } : {}),
    ...(p.page > 0 ? { prev: p.at(p.page - 1) } : {}),
    items,
  };
}

export interface CollectionInfo extends Omit<PageInfo, 'page'> {
  label: string;
  /** The Web Annotation Protocol's container: LDP BasicContainer too (its context and type). */
  container?: boolean;
  /** First page not embedded: `first` is its IRI (the protocol's PreferMinimalContainer). */
  minimal?: boolean;
}

/** The AnnotationCollection with its first page embedded (or named, when minimal). */
export function w3cCollection(p: CollectionInfo, firstItems: unknown[]): Json {
  return {
    '@context': p.container ? [ANNO_CONTEXT, LDP_CONTEXT] : ANNO_CONTEXT,
    id: p.at(),
    type: p.container ? ['BasicContainer', 'AnnotationCollection'] : 'AnnotationCollection',
    label: p.label,
    total: p.total,
    first: p.minimal ? p.at(0) : w3cPage({ ...p, page: 0 }, firstItems, true),
    last: p.at(lastPage(p.total, p.size)),
  };
}
