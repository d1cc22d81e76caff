/**
 * The API's answers as zod schemas, for the OpenAPI description (lib/server/openapi.ts). The
 * types in api-types.ts stay the source the code is written against; the checks at the end make
 * the compiler refuse any difference between a schema and its type, so the published description
 * cannot drift from what the handlers send.
 */
import { z } from 'zod';
import type {
  ApiAnnotation,
  ApiAnnotationLink,
  ApiAuthor,
  ApiComment,
  ApiDocument,
  ApiDocumentState,
  ApiDocumentSummary,
  ApiLink,
  ApiRevisionSummary,
  ApiSearchResult,
  ApiSuggestion,
  ApiSuggestionDismissal,
  ApiUser,
} from './api-types';
import { SCOPES } from './api-types';
import { CHECK_KINDS, type ReviewCheck } from './review-checks';
import { ROLES, STATUSES, TAGS } from './tags';
import { CONFIDENCES, LIKELIHOODS, LINK_TYPES, OUTCOMES, RELIABILITIES } from './tradecraft';

const iso = z.string().describe('ISO 8601 date-time');
const json = z.record(z.string(), z.unknown()).describe('A Tiptap / ProseMirror JSON node');
const ZCheckKind = z.enum(CHECK_KINDS);

export const ZApiAuthor = z.object({ id: z.string(), name: z.string() });

export const ZApiAnnotation = z.object({
  id: z.string(),
  documentId: z.string(),
  revisionId: z.string(),
  tag: z.enum(TAGS),
  status: z.enum(STATUSES),
  scope: z.enum(SCOPES).describe('`document`: a page note (about the whole document; its target is an empty quote at 0–0)'),
  target: z.object({
    quote: z.object({ exact: z.string(), prefix: z.string(), suffix: z.string() }),
    position: z.object({ start: z.number().int(), end: z.number().int() }),
  }),
  anchor: z.enum(['anchored', 'orphaned']),
  anchorMethod: z.enum(['created', 'kept', 'moved', 'fuzzy', 'orphaned', 'reattached']),
  anchorScore: z.number().nullable(),
  author: ZApiAuthor,
  commentCount: z.number().int(),
  version: z.number().int(),
  createdAt: iso,
  updatedAt: iso,
  likelihood: z.enum(LIKELIHOODS).nullable(),
  confidence: z.enum(CONFIDENCES).nullable(),
  source: z.string().nullable(),
  reliability: z.enum(RELIABILITIES).nullable(),
  credibility: z.number().int().min(1).max(6).nullable(),
  needsSource: z.boolean(),
  outcome: z.enum(OUTCOMES).nullable(),
  outcomeRationale: z.string().nullable(),
});

export const ZApiComment = z.object({
  id: z.string(),
  annotationId: z.string(),
  parentId: z.string().nullable(),
  author: ZApiAuthor,
  body: json.nullable(),
  html: z.string(),
  version: z.number().int(),
  createdAt: iso,
  editedAt: iso.nullable(),
  deleted: z.boolean(),
});

export const ZApiLink = z.object({
  id: z.string(),
  documentId: z.string(),
  sourceId: z.string(),
  targetId: z.string(),
  type: z.enum(LINK_TYPES),
  createdById: z.string(),
  createdAt: iso,
});

export const ZApiAnnotationLink = ZApiLink.extend({
  direction: z.enum(['outgoing', 'incoming']),
  other: z.object({ id: z.string(), tag: z.enum(TAGS), quote: z.string() }),
});

const counts = z.object({ evidence: z.number().int(), speculation: z.number().int(), assessment: z.number().int(), orphaned: z.number().int() });
export const ZApiDocumentSummary = z.object({
  id: z.string(),
  title: z.string(),
  revision: z.object({ id: z.string(), number: z.number().int() }),
  annotationCount: z.number().int(),
  counts,
  updatedAt: iso,
  lastActivityAt: iso,
  deletedAt: iso.optional(),
});

export const ZApiDocumentState = z.object({ id: z.string(), title: z.string(), updatedAt: iso, deletedAt: iso.nullable() });

export const ZApiRevisionSummary = z.object({ id: z.string(), number: z.number().int(), createdAt: iso, createdBy: ZApiAuthor.nullable() });

export const ZApiDocument = z.object({
  id: z.string(),
  title: z.string(),
  revision: ZApiRevisionSummary.extend({ text: z.string(), content: json }),
  currentRevision: z.object({ id: z.string(), number: z.number().int() }),
});

export const ZApiUser = z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(ROLES), active: z.boolean(), createdAt: iso });

export const ZApiSuggestion = z.object({
  quote: z.string(),
  position: z.object({ start: z.number().int(), end: z.number().int() }),
  term: z.string(),
  reason: z.string(),
  suggestedTag: z.enum(['speculation', 'assessment']),
  likelihood: z.enum(LIKELIHOODS).optional(),
  key: z.string(),
  dismissed: z.boolean().optional(),
});

export const ZApiSuggestionDismissal = z.object({ documentId: z.string(), key: z.string(), dismissed: z.boolean(), dismissedById: z.string().optional(), createdAt: iso.optional() });

export const ZReviewCheck = z.object({
  kind: ZCheckKind,
  annotationId: z.string(),
  message: z.string(),
  related: z.array(z.string()).optional(),
});

export const ZApiToken = z.object({ id: z.string(), name: z.string(), createdAt: iso, lastUsedAt: iso.nullable() });
export const ZApiNewToken = z.object({ id: z.string(), name: z.string(), token: z.string().describe('Shown once; send as `Authorization: Bearer <token>`'), createdAt: iso });

/** The one error envelope every failure uses (docs/api.md, "Errors"). */
export const ZApiError = z.object({
  error: z.object({
    code: z.enum(['bad_request', 'unauthorized', 'forbidden', 'not_found', 'method_not_allowed', 'conflict', 'payload_too_large', 'unprocessable', 'rate_limited', 'internal', 'unavailable']),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

export const ZApiSearchResult = z.object({
  q: z.string(),
  total: z.number().int(),
  documents: z.array(z.object({
    document: z.object({ id: z.string(), title: z.string() }),
    hits: z.array(z.object({
      annotationId: z.string(),
      tag: z.enum(TAGS),
      status: z.enum(STATUSES),
      anchor: z.enum(['anchored', 'orphaned']),
      quote: z.string(),
      author: ZApiAuthor,
      commentCount: z.number().int(),
      createdAt: iso,
      rank: z.number(),
      inQuote: z.boolean(),
      comment: z.object({ id: z.string(), text: z.string() }).nullable(),
    })),
  })),
});

// The compiler checks each schema against its type, both ways: a field added to one and not the other fails the build.
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Assignable both ways and with the same keys (an optional field missing on one side is a difference too). */
type Same<A, B> = Mutual<A, B> extends true ? Mutual<keyof A, keyof B> : false;
type Check<T extends true> = T;
export type SchemaChecks = [
  Check<Same<z.infer<typeof ZApiAuthor>, ApiAuthor>>,
  Check<Same<z.infer<typeof ZApiAnnotation>, ApiAnnotation>>,
  Check<Same<Omit<z.infer<typeof ZApiComment>, 'body'>, Omit<ApiComment, 'body'>>>,
  Check<Same<z.infer<typeof ZApiLink>, ApiLink>>,
  Check<Same<z.infer<typeof ZApiAnnotationLink>, ApiAnnotationLink>>,
  Check<Same<z.infer<typeof ZApiDocumentSummary>, ApiDocumentSummary>>,
  Check<Same<z.infer<typeof ZApiDocumentState>, ApiDocumentState>>,
  Check<Same<z.infer<typeof ZApiRevisionSummary>, ApiRevisionSummary>>,
  Check<Same<Omit<z.infer<typeof ZApiDocument>, 'revision'>, Omit<ApiDocument, 'revision'>>>,
  Check<Same<z.infer<typeof ZApiUser>, ApiUser>>,
  Check<Same<z.infer<typeof ZApiSuggestion>, ApiSuggestion>>,
  Check<Same<z.infer<typeof ZApiSuggestionDismissal>, ApiSuggestionDismissal>>,
  Check<Same<z.infer<typeof ZReviewCheck>, ReviewCheck>>,
  Check<Same<z.infer<typeof ZApiSearchResult>, ApiSearchResult>>,
];
