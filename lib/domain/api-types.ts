/** The resource shapes of the HTTP API (docs/api.md), shared by the server and the browser. */
import type { z } from 'zod';
import type { JsonNode } from './document-text';
import type { Suggestion } from './estimative-language';
import type { AnnotationStatus, Role, Tag } from './tags';
import type { ZConfidence, ZCredibility, ZLikelihood, ZLinkType, ZOutcome, ZReliability } from './tradecraft';

export type ApiLikelihood = z.infer<typeof ZLikelihood>;
export type ApiConfidence = z.infer<typeof ZConfidence>;
export type ApiReliability = z.infer<typeof ZReliability>;
export type ApiCredibility = z.infer<typeof ZCredibility>;
export type ApiOutcome = z.infer<typeof ZOutcome>;
export type ApiLinkType = z.infer<typeof ZLinkType>;

/**
 * The tradecraft fields of an annotation (docs/api.md, "Tradecraft fields"): null (false) when
 * unset or when the tag cannot carry them.
 */
export interface ApiTradecraft {
  /** Assessment: ICD 203 likelihood and analytic confidence. */
  likelihood: ApiLikelihood | null;
  confidence: ApiConfidence | null;
  /** Evidence: its source (text or URL) and Admiralty grade (reliability A–F, credibility 1–6). */
  source: string | null;
  reliability: ApiReliability | null;
  credibility: ApiCredibility | null;
  /** Speculation: marked as needing a source (cleared by a supporting link from evidence). */
  needsSource: boolean;
  /** How the thread was resolved; kept when reopened, replaced when resolved again with another. */
  outcome: ApiOutcome | null;
  outcomeRationale: string | null;
}

export interface ApiAuthor {
  id: string;
  name: string;
}

/** The tradecraft fields of a highlight that has none (a new one, before anything is set). */
export const NO_TRADECRAFT: ApiTradecraft = {
  likelihood: null, confidence: null, source: null, reliability: null, credibility: null, needsSource: false, outcome: null, outcomeRationale: null,
};

/** What an annotation is about: a passage (a highlight) or the whole document (a page note). */
export const SCOPES = ['passage', 'document'] as const;
export type AnnotationScope = (typeof SCOPES)[number];

/** A page note's target: no passage (an empty quote at 0–0); test `scope`, not the target. */
export const NO_TARGET: ApiAnnotation['target'] = { quote: { exact: '', prefix: '', suffix: '' }, position: { start: 0, end: 0 } };

/** A thread about the whole document (docs/api.md, "Page notes"), not about a passage. */
export const isPageNote = (a: { scope?: AnnotationScope }): boolean => a.scope === 'document';

/** What a list, a report or a spreadsheet shows for a thread's passage: a page note has none. */
export const PAGE_NOTE_QUOTE = 'About the whole document';
export const quoteText = (a: { scope?: AnnotationScope; target: { quote: { exact: string } } }): string => (isPageNote(a) ? PAGE_NOTE_QUOTE : a.target.quote.exact);

export interface ApiAnnotation extends ApiTradecraft {
  id: string;
  documentId: string;
  revisionId: string;
  tag: Tag;
  status: AnnotationStatus;
  /** `document`: a page note; its `target` is then NO_TARGET and it has no place in the text. */
  scope: AnnotationScope;
  target: { quote: { exact: string; prefix: string; suffix: string }; position: { start: number; end: number } };
  anchor: 'anchored' | 'orphaned';
  /** How it got its place in this revision: made here, carried over (kept/moved/fuzzy), lost (orphaned) or re-attached. */
  anchorMethod: AnchorMethod;
  /** Re-anchoring confidence in [0, 1]; null when made or re-attached here. */
  anchorScore: number | null;
  author: ApiAuthor;
  commentCount: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A typed link: `sourceId` supports, contradicts or depends on `targetId` (same document). */
export interface ApiLink {
  id: string;
  documentId: string;
  sourceId: string;
  targetId: string;
  type: ApiLinkType;
  createdById: string;
  createdAt: string;
}

/**
 * An estimative-language suggestion as `GET /api/documents/:id/suggestions` answers it: the
 * scanner's suggestion with its `key` (the first 32 hex digits of the sha256 of its sentence and
 * term, so the same sentence keeps its key across revisions); `dismissed` with `include=dismissed`.
 */
export interface ApiSuggestion extends Suggestion {
  key: string;
  dismissed?: boolean;
}

/**
 * A suggestion dismissed for the whole document (`POST .../suggestions/dismissals`), and the payload
 * of the `suggestion.dismissed` / `suggestion.restored` events (`dismissed: false`, without who and when).
 */
export interface ApiSuggestionDismissal {
  documentId: string;
  key: string;
  dismissed: boolean;
  dismissedById?: string;
  createdAt?: string;
}

/** A link as one of its two annotations lists it (`GET /api/annotations/:id`). */
export interface ApiAnnotationLink extends ApiLink {
  /** `outgoing`: this annotation is the source; `incoming`: it is the target. */
  direction: 'outgoing' | 'incoming';
  /** The annotation at the other end, with the start of its quote (at most 80 characters). */
  other: { id: string; tag: Tag; quote: string };
}

export interface ApiComment {
  id: string;
  annotationId: string;
  parentId: string | null;
  author: ApiAuthor;
  /** Null for a deleted comment kept as a tombstone because replies hang under it. */
  body: JsonNode | null;
  html: string;
  version: number;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
}

export type AnchorMethod = 'created' | 'kept' | 'moved' | 'fuzzy' | 'orphaned' | 'reattached';

export interface ApiDocumentSummary {
  id: string;
  title: string;
  revision: { id: string; number: number };
  /** Live annotations on the current revision (orphans included). */
  annotationCount: number;
  counts: Record<Tag, number> & { orphaned: number };
  updatedAt: string;
  /** Time of the newest change of any kind (the last event), or the creation time. */
  lastActivityAt: string;
  /** Only in the list of deleted documents (`?deleted=true`): when it was deleted. */
  deletedAt?: string;
}

/** A document's name and state, as a rename, delete or restore leaves it. */
export interface ApiDocumentState {
  id: string;
  title: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface ApiRevisionSummary {
  id: string;
  number: number;
  createdAt: string;
  createdBy: ApiAuthor | null;
}

export interface ApiDocument {
  id: string;
  title: string;
  revision: ApiRevisionSummary & { text: string; content: JsonNode };
  /** The current revision; differs from `revision` when an older one was asked for. */
  currentRevision: { id: string; number: number };
}

/** Outcome of re-anchoring every annotation onto a new revision. */
export interface ReanchorSummary {
  kept: number;
  moved: number;
  fuzzy: number;
  orphaned: number;
}

export interface ApiUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  createdAt: string;
}

/** One hit of `GET /api/search`: an annotation whose quote or a comment matched. */
export interface ApiSearchHit {
  annotationId: string;
  tag: Tag;
  status: AnnotationStatus;
  anchor: 'anchored' | 'orphaned';
  quote: string;
  author: ApiAuthor;
  commentCount: number;
  createdAt: string;
  /** Higher is better (ts_rank of the quote plus that of the best matching comment). */
  rank: number;
  /** The quote matched (else only a comment did). */
  inQuote: boolean;
  /** The best matching comment (its text, shortened around the match), if one matched. */
  comment: { id: string; text: string } | null;
}

/** `GET /api/search`: hits grouped by document, documents in the order of their best hit. */
export interface ApiSearchResult {
  q: string;
  total: number;
  documents: { document: { id: string; title: string }; hits: ApiSearchHit[] }[];
}
