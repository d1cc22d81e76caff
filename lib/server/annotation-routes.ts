import 'server-only';
import { parsePathParams, ZCreateAnnotationSchema, ZIdempotencyKeySchema, ZIdParamsSchema } from '@/lib/domain/api-schemas';
import { createAnnotation } from './annotations';
import { idempotencyKey, json, route } from './http';
import { precheck } from './prechecks';

/**
 * POST /api/documents/:id/annotations, the hottest write. Exported by the app's route file for
 * Next, and called by lib/server/direct.ts when scripts/serve.mjs hands it the socket.
 */
export const createAnnotationRoute = route<{ id: string }>(async ({ actor, params, body, req }) => {
  precheck.createAnnotation(actor);
  const { id } = parsePathParams(ZIdParamsSchema, params);
  const key = idempotencyKey(req, ZIdempotencyKeySchema);
  const result = await createAnnotation(actor, id, await body(ZCreateAnnotationSchema), key);
  return json(result.body, result.status);
});
