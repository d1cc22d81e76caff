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
});
export type TCreateAnnotation = z.infer<typeof ZCreateAnnotationSchema>;

export const ZPatchAnnotationSchema = z
  .object({ tag: z.enum(TAGS).optional(), status: z.enum(STATUSES).optional(), version: z.number().int().min(1) })
  .refine((v) => v.tag !== undefined || v.status !== undefined, { message: 'give tag or status' });
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

export const ZCreateDocumentSchema = z.object({
  title: z.string().trim().min(1).max(300),
  format: z.enum(['markdown', 'text']),
  source: z.string().min(1).max(2 * 1024 * 1024),
});
export type TCreateDocument = z.infer<typeof ZCreateDocumentSchema>;

export const ZCreateTokenSchema = z.object({ name: z.string().trim().min(1).max(100) });

export const ZIdempotencyKeySchema = z.string().min(1).max(200);
