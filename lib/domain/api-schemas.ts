/**
 * Request schemas of the HTTP API (docs/api.md). Route handlers parse with these; services
 * receive the parsed `T...` types. Comment bodies are `unknown` objects here on purpose: their
 * shape is checked against the editor schema by comment-body.ts, never by a loose `z.any()`.
 *
 * Every client string, in bodies, queries, paths and headers, is `safeText` (lib/domain/text.ts):
 * bounded, and without NUL or lone surrogates, which PostgreSQL cannot store. Every number that
 * reaches an `integer` column is bounded to its range.
 */
import { z } from 'zod';
import { isCommonPassword } from './common-passwords';
import { MAX_TITLE_LENGTH } from './document-title';
import { AppError } from './errors';
import { SCOPES } from './api-types';
import { ROLES, STATUSES, TAGS, type Tag } from './tags';
import { findUnsafeString, int32, safeText, textProblem, ZId } from './text';
import { fieldsForTag, ZConfidence, ZCredibility, ZLikelihood, ZLinkType, ZOutcome, ZReliability } from './tradecraft';

const id = ZId;

/** Path parameters of every `[id]` route. */
export const ZIdParamsSchema = z.object({ id: ZId });
export type TIdParams = z.infer<typeof ZIdParamsSchema>;

/**
 * A route's path parameters, checked like a body: an id with a NUL, a lone surrogate or over 64
 * characters is a 400 naming it (the database would refuse it with a 500 otherwise).
 */
export function parsePathParams<S extends z.ZodType>(schema: S, params: unknown): z.infer<S> {
  const r = schema.safeParse(params);
  if (r.success) return r.data;
  const fields = [...new Set(r.error.issues.map((i) => i.path.join('.') || 'path'))];
  throw new AppError('bad_request', `Invalid path parameter: ${fields.join(', ')}`, r.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })));
}

export const MIN_PASSWORD = 8;
export const MAX_PASSWORD = 128;
const password = z
  .string()
  .min(MIN_PASSWORD, `must be at least ${MIN_PASSWORD} characters`)
  .max(MAX_PASSWORD, `must be at most ${MAX_PASSWORD} characters`)
  .superRefine((s, ctx) => {
    // One message per password: a too short or too long one is not also reported as common.
    if (s.length < MIN_PASSWORD || s.length > MAX_PASSWORD) return;
    const problem = textProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
    else if (!s.trim()) ctx.addIssue({ code: 'custom', message: 'must not be only spaces' });
    else if (isCommonPassword(s)) ctx.addIssue({ code: 'custom', message: 'is one of the 10,000 most common passwords; choose another' });
  });

export const ZCreateUserSchema = z.object({
  email: safeText({ max: 254, trim: true }).toLowerCase().pipe(z.email({ message: 'must be an email address' })),
  name: safeText({ min: 1, max: 100, trim: true }),
  password,
});
export type TCreateUser = z.infer<typeof ZCreateUserSchema>;

export const ZPatchUserSchema = z
  .object({ role: z.enum(ROLES).optional(), active: z.boolean().optional() })
  .refine((v) => v.role !== undefined || v.active !== undefined, { message: 'give role or active' });
export type TPatchUser = z.infer<typeof ZPatchUserSchema>;

/**
 * A Tiptap JSON document (comment bodies, revision content): an object whose every string, keys
 * included, is storable text. The offending string's path is named in the 400.
 */
export const ZTiptapDocSchema = z
  .custom<object>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), { message: 'must be a Tiptap JSON document' })
  .superRefine((v, ctx) => {
    const problem = findUnsafeString(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
  });
/** The same schema under the name the comment routes use. */
export const ZCommentBodySchema = ZTiptapDocSchema;

export const ZTargetSchema = z.object({
  quote: z.object({
    exact: safeText({ min: 1, max: 10_000 }),
    prefix: safeText({ max: 256 }).optional(),
    suffix: safeText({ max: 256 }).optional(),
  }),
  position: z
    .object({ start: int32(0), end: int32(0) })
    .refine((p) => p.end > p.start, { message: 'end must be greater than start', path: ['end'] }),
});

/** Sources and outcome rationales: at most 2,000 characters (the columns are varchar(2000)). */
export const MAX_TRADECRAFT_TEXT = 2000;

/**
 * The judgment fields a highlight's tag may carry (docs/api.md, "Tradecraft fields"); null clears
 * one (as does `needsSource: false`). Which tag carries which is `fieldsForTag` (tradecraft.ts).
 */
const judgmentFields = {
  likelihood: ZLikelihood.nullable().optional(),
  confidence: ZConfidence.nullable().optional(),
  source: safeText({ min: 1, max: MAX_TRADECRAFT_TEXT, trim: true }).nullable().optional(),
  reliability: ZReliability.nullable().optional(),
  credibility: ZCredibility.nullable().optional(),
  needsSource: z.boolean().optional(),
};
export const JUDGMENT_FIELDS = Object.keys(judgmentFields) as (keyof typeof judgmentFields)[];
export type JudgmentField = (typeof JUDGMENT_FIELDS)[number];
export type TJudgment = { [K in JudgmentField]?: z.infer<(typeof judgmentFields)[K]> };

/** Whether `tag` may carry `field` (a set value; null and `false` are allowed on every tag). */
export const tagCarries = (tag: Tag, field: JudgmentField): boolean => (fieldsForTag(tag) as readonly string[]).includes(field);

/** A 400's details for judgment fields set on a tag that cannot carry them (empty when none). */
export function judgmentProblems(tag: Tag, input: TJudgment): { path: string[]; message: string }[] {
  return JUDGMENT_FIELDS.filter((f) => input[f] !== undefined && input[f] !== null && input[f] !== false && !tagCarries(tag, f)).map((f) => ({
    path: [f],
    message: `${/^[aeiou]/.test(tag) ? 'an' : 'a'} ${tag} highlight cannot carry ${f}${fieldsForTag(tag).length ? ` (it carries ${fieldsForTag(tag).join(', ')})` : ''}`,
  }));
}

export const ZCreateAnnotationSchema = z
  .object({
    tag: z.enum(TAGS),
    /** `document`: a page note, about the whole document, with no target (docs/api.md, "Page notes"). */
    scope: z.enum(SCOPES).optional(),
    /** Required for a highlight (scope `passage`, the default); a page note has none. */
    target: ZTargetSchema.optional(),
    comment: z.object({ body: ZCommentBodySchema }).optional(),
    /** The revision the target was taken from; if it is no longer current the answer is 409. */
    revisionId: id.optional(),
    ...judgmentFields,
  })
  .superRefine((v, ctx) => {
    if (v.scope === 'document' && v.target !== undefined) ctx.addIssue({ code: 'custom', path: ['target'], message: 'a page note (scope "document") is about the whole document and has no target' });
    if (v.scope !== 'document' && v.target === undefined) ctx.addIssue({ code: 'custom', path: ['target'], message: 'required (or scope "document" for a page note, which has none)' });
    for (const p of judgmentProblems(v.tag, v)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  });
export type TCreateAnnotation = z.infer<typeof ZCreateAnnotationSchema>;

export const ZPatchAnnotationSchema = z
  .object({
    tag: z.enum(TAGS).optional(),
    status: z.enum(STATUSES).optional(),
    /** Re-attach (an orphan, or move a highlight) to this target in the current revision. */
    target: ZTargetSchema.optional(),
    version: int32(1),
    ...judgmentFields,
    /** Only with `status: "resolved"` or on a resolved thread (checked by the service, which knows the status). */
    outcome: ZOutcome.nullable().optional(),
    outcomeRationale: safeText({ min: 1, max: MAX_TRADECRAFT_TEXT, trim: true }).nullable().optional(),
  })
  .refine((v) => (['tag', 'status', 'target', 'outcome', 'outcomeRationale', ...JUDGMENT_FIELDS] as const).some((k) => v[k] !== undefined), {
    message: `give tag, status, target, outcome, outcomeRationale or one of ${JUDGMENT_FIELDS.join(', ')}`,
  });
export type TPatchAnnotation = z.infer<typeof ZPatchAnnotationSchema>;

/** `POST /api/annotations/:id/links`. */
export const ZCreateLinkSchema = z.object({ targetId: id, type: ZLinkType });
export type TCreateLink = z.infer<typeof ZCreateLinkSchema>;

/** Path parameters of `/api/annotations/:id/links/:linkId`. */
export const ZLinkParamsSchema = z.object({ id: ZId, linkId: ZId });

/**
 * A suggestion's key (docs/api.md, "Suggestions"): 32 lower-case hex digits, the start of the
 * sha256 of its sentence and term. Checked as storable text first, so a NUL or a lone surrogate
 * is named like everywhere else.
 */
export const ZSuggestionKey = safeText({ min: 1, max: 64 }).pipe(z.string().regex(/^[0-9a-f]{32}$/, 'must be a suggestion key (32 lower-case hex digits)'));

/** `POST /api/documents/:id/suggestions/dismissals`. */
export const ZDismissSuggestionSchema = z.object({ key: ZSuggestionKey });

/** Path parameters of `/api/documents/:id/suggestions/dismissals/:key`. */
export const ZDismissalParamsSchema = z.object({ id: ZId, key: ZSuggestionKey });

/** `GET /api/documents/:id/suggestions`: `include=dismissed` lists dismissed suggestions too. */
export const ZSuggestionsQuerySchema = z.object({ include: z.enum(['dismissed']).optional() });

/** Search words (docs/api.md, "Search"): full-text, never a pattern. */
export const MAX_SEARCH_LENGTH = 200;
export const ZSearchText = safeText({ min: 1, max: MAX_SEARCH_LENGTH, trim: true });

const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');
/** A day (`2026-11-24`, the whole day in UTC) or an instant (ISO 8601 with zone). */
const dateBound = (endOfDay: boolean) =>
  z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time' })
    .transform((v) => new Date(v.length === 10 ? `${v}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z` : v))
    .refine((d) => !Number.isNaN(d.getTime()), 'must be a valid date');

export const ZListAnnotationsQuerySchema = z.object({
  /** One tag or several, comma-separated. */
  tag: z.string().max(100).transform((v) => v.split(',')).pipe(z.array(z.enum(TAGS)).min(1)).optional(),
  status: z.enum(STATUSES).optional(),
  author: id.optional(),
  /** Only the caller's highlights (`true`). */
  mine: flag.optional(),
  /** More than one comment (`true`), or at most one (`false`). */
  hasReplies: flag.optional(),
  /** Resolved with this outcome; `none`: resolved without one. */
  outcome: z.union([ZOutcome, z.literal('none')]).optional(),
  /** Created from / to (inclusive; a bare date covers its whole day, UTC). */
  from: dateBound(false).optional(),
  to: dateBound(true).optional(),
  q: ZSearchText.optional(),
  revision: id.optional(),
});
export type TListAnnotationsQuery = z.infer<typeof ZListAnnotationsQuerySchema>;

/** `GET /api/documents/:id/comments`: the threads whose comments to send (the page asks as they come into view). */
export const MAX_THREADS_PER_COMMENTS_REQUEST = 100;
export const ZThreadCommentsQuerySchema = z.object({
  annotations: z
    .string()
    .max(MAX_THREADS_PER_COMMENTS_REQUEST * 65)
    .transform((v) => v.split(','))
    .pipe(z.array(id).min(1).max(MAX_THREADS_PER_COMMENTS_REQUEST)),
});

/** `GET /api/search`: every document the caller may read. */
export const MAX_SEARCH_RESULTS = 100;
export const ZSearchQuerySchema = z.object({
  q: ZSearchText,
  /** Hits in all, best first (default 20, at most 100). */
  limit: z.coerce.number().int('must be an integer').min(1).max(MAX_SEARCH_RESULTS).default(20),
});
export type TSearchQuery = z.infer<typeof ZSearchQuerySchema>;

/** `GET /api/documents/:id`. */
/** An event id: a decimal PostgreSQL bigint (ids start at 1; 0 means "from the beginning"). */
const MAX_EVENT_ID = 2n ** 63n - 1n;
export const ZEventIdSchema = z
  .string()
  .regex(/^\d{1,19}$/, 'must be an event id (a whole number)')
  .transform((s) => BigInt(s))
  .refine((n) => n <= MAX_EVENT_ID, 'is beyond the largest event id');
/** `GET /api/documents/:id/events`: resume after this event. */
export const ZEventsQuerySchema = z.object({ after: ZEventIdSchema.optional() });

export const ZGetDocumentQuerySchema = z.object({ revision: id.optional() });

export const ZCreateCommentSchema = z.object({ body: ZCommentBodySchema, parentId: id.optional() });
export type TCreateComment = z.infer<typeof ZCreateCommentSchema>;

export const ZPatchCommentSchema = z.object({ body: ZCommentBodySchema, version: int32(1) });
export type TPatchComment = z.infer<typeof ZPatchCommentSchema>;

export const SOURCE_FORMATS = ['markdown', 'html', 'text'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];
/** Imported sources may be up to 2 MiB (counted in UTF-16 code units, which is never fewer than bytes/3). */
export const MAX_SOURCE_CHARS = 2 * 1024 * 1024;
const source = safeText({ min: 1, max: MAX_SOURCE_CHARS, maxMessage: 'must be at most 2 MiB' });

/** A document's title, on create and on rename. */
const title = safeText({ min: 1, max: MAX_TITLE_LENGTH, trim: true });

export const ZCreateDocumentSchema = z.object({
  title,
  format: z.enum(SOURCE_FORMATS),
  source,
});
export type TCreateDocument = z.infer<typeof ZCreateDocumentSchema>;

/** PATCH /api/documents/:id: a rename (the content changes through revisions). */
export const ZPatchDocumentSchema = z.object({ title });
export type TPatchDocument = z.infer<typeof ZPatchDocumentSchema>;

/** GET /api/documents: `deleted=true` lists the deleted documents instead (admins only). */
export const ZListDocumentsQuerySchema = z.object({ deleted: z.enum(['true', 'false']).optional() });

/**
 * Either an import (`format` + `source`) or the editor's JSON (`content`). One object rather than
 * a zod union, so that a bad field is named in the 400 (a union reports only "invalid input").
 */
export const ZCreateRevisionSchema = z
  .object({ format: z.enum(SOURCE_FORMATS).optional(), source: source.optional(), content: ZTiptapDocSchema.optional(), baseRevisionId: id.optional() })
  .strict()
  .superRefine((v, ctx) => {
    if (v.content !== undefined) {
      for (const k of ['format', 'source'] as const) {
        if (v[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: 'send either content or format and source' });
      }
    } else {
      for (const k of ['format', 'source'] as const) {
        if (v[k] === undefined) ctx.addIssue({ code: 'custom', path: [k], message: 'required (or send content)' });
      }
    }
  })
  .transform((v): { format: SourceFormat; source: string; baseRevisionId?: string } | { content: object; baseRevisionId?: string } =>
    v.content !== undefined ? { content: v.content, baseRevisionId: v.baseRevisionId } : { format: v.format!, source: v.source!, baseRevisionId: v.baseRevisionId },
  );
export type TCreateRevision = z.infer<typeof ZCreateRevisionSchema>;

export const ZCreateTokenSchema = z.object({ name: safeText({ min: 1, max: 100, trim: true }) });

const idempotencyKeyText = safeText({ min: 1, max: 200 });
/** The `Idempotency-Key` header; its problems are reported under the header's name. */
export const ZIdempotencyKeySchema = z.string().transform((v, ctx) => {
  const r = idempotencyKeyText.safeParse(v);
  if (r.success) return r.data;
  for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: ['Idempotency-Key'] });
  return z.NEVER;
});
