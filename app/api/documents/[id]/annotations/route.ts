import { z } from 'zod';
import { ZCreateAnnotationSchema, ZIdempotencyKeySchema, ZListAnnotationsQuerySchema } from '@/lib/domain/api-schemas';
import { createAnnotation, listAnnotations, listRevisionComments } from '@/lib/server/annotations';
import { idempotencyKey, json, route } from '@/lib/server/http';

const ZQuery = ZListAnnotationsQuerySchema.extend({ include: z.enum(['comments']).optional() });

export const GET = route<{ id: string }>(async ({ actor, params, query }) => {
  const q = query(ZQuery);
  const annotations = await listAnnotations(actor, params.id, q);
  if (q.include !== 'comments') return json({ annotations });
  return json({ annotations, comments: await listRevisionComments(actor, params.id, q.revision) });
});

export const POST = route<{ id: string }>(async ({ actor, params, body, req }) => {
  const key = idempotencyKey(req, ZIdempotencyKeySchema);
  const result = await createAnnotation(actor, params.id, await body(ZCreateAnnotationSchema), key);
  return json(result.body, result.status);
});
