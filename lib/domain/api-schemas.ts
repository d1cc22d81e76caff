/**
 * Request schemas of the HTTP API (docs/api.md). Route handlers parse with these; services
 * receive the parsed `T...` types. Comment bodies are `unknown` here on purpose: their shape is
 * checked against the editor schema by comment-body.ts, never by a loose `z.any()`.
 */
import { z } from 'zod';
import { ROLES, STATUSES, TAGS } from './tags';

const id = z.string().min(1).max(64);

export const ZCreateUserSchema = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email({ message: 'must be an email address' })),
  name: z.string().trim().min(1, 'must not be empty').max(100),
  password: z.string().min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters'),
});
export type TCreateUser = z.infer<typeof ZCreateUserSchema>;

export const ZPatchUserSchema = z
  .object({ role: z.enum(ROLES).optional(), active: z.boolean().optional() })
  .refine((v) => v.role !== undefined || v.active !== undefined, { message: 'give role or active' });
export type TPatchUser = z.infer<typeof ZPatchUserSchema>;

export const ZCommentBodySchema = z.custom<object>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
  message: 'must be a Tiptap JSON document',
});

export const ZTargetSchema = z.object({
  quote: z.object({
    exact: z.string().min(1).max(10_000),
    prefix: z.string().max(256).optional(),
    suffix: z.string().max(256).optional(),
  }),
  position: z
    .object({ start: z.number().int().min(0), end: z.number().int().min(0) })
    .refine((p) => p.end > p.start, { message: 'end must be greater than start', path: ['end'] }),
});

export const ZCreateAnnotationSchema = z.object({
  tag: z.enum(TAGS),
  target: ZTargetSchema,
  comment: z.object({ body: ZCommentBodySchema }).optional(),
  /** The revision the target was taken from; if it is no longer current the answer is 409. */
  revisionId: id.optional(),
});
export type TCreateAnnotation = z.infer<typeof ZCreateAnnotationSchema>;

export const ZPatchAnnotationSchema = z
  .object({
    tag: z.enum(TAGS).optional(),
    status: z.enum(STATUSES).optional(),
    /** Re-attach (an orphan, or move a highlight) to this target in the current revision. */
    target: ZTargetSchema.optional(),
    version: z.number().int().min(1),
  })
  .refine((v) => v.tag !== undefined || v.status !== undefined || v.target !== undefined, { message: 'give tag, status or target' });
export type TPatchAnnotation = z.infer<typeof ZPatchAnnotationSchema>;

export const ZListAnnotationsQuerySchema = z.object({
  tag: z.enum(TAGS).optional(),
  status: z.enum(STATUSES).optional(),
  author: id.optional(),
  q: z.string().trim().min(1).max(200).optional(),
  revision: id.optional(),
});
export type TListAnnotationsQuery = z.infer<typeof ZListAnnotationsQuerySchema>;

export const ZCreateCommentSchema = z.object({ body: ZCommentBodySchema, parentId: id.optional() });
export type TCreateComment = z.infer<typeof ZCreateCommentSchema>;

export const ZPatchCommentSchema = z.object({ body: ZCommentBodySchema, version: z.number().int().min(1) });
export type TPatchComment = z.infer<typeof ZPatchCommentSchema>;

export const SOURCE_FORMATS = ['markdown', 'html', 'text'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];
/** Imported sources may be up to 2 MiB (counted in UTF-16 code units, which is never fewer than bytes/3). */
export const MAX_SOURCE_CHARS = 2 * 1024 * 1024;
const source = z.string().min(1, 'must not be empty').max(MAX_SOURCE_CHARS, 'must be at most 2 MiB');

export const ZCreateDocumentSchema = z.object({
  title: z.string().trim().min(1, 'must not be empty').max(300),
  format: z.enum(SOURCE_FORMATS),
  source,
});
export type TCreateDocument = z.infer<typeof ZCreateDocumentSchema>;

export const ZCreateRevisionSchema = z.union([
  z.object({ format: z.enum(SOURCE_FORMATS), source, baseRevisionId: id.optional() }).strict(),
  z.object({ content: ZCommentBodySchema, baseRevisionId: id.optional() }).strict(),
]);
export type TCreateRevision = z.infer<typeof ZCreateRevisionSchema>;

export const ZCreateTokenSchema = z.object({ name: z.string().trim().min(1).max(100) });

export const ZIdempotencyKeySchema = z.string().min(1).max(200);
