import 'server-only';
import { z } from 'zod';
import { parsePathParams, ZCreateAnnotationSchema, ZIdempotencyKeySchema, ZIdParamsSchema, ZListAnnotationsQuerySchema } from '@/lib/domain/api-schemas';
import { createAnnotation, listAnnotationsAndLinks, listRevisionComments, sharedSnapshot } from './annotations';
import { conditionalRead } from './conditional';
import { idempotencyKey, json, route } from './http';
import { precheck } from './prechecks';
import { snapshotResponse } from './snapshots';

const ZListQuery = ZListAnnotationsQuerySchema.extend({ include: z.enum(['comments']).optional() });

/**
 * GET /api/documents/:id/annotations, the read every page view makes. Exported by the app's
 * route file for Next, and called by lib/server/direct.ts when scripts/serve.mjs hands it the socket.
 */
export const listAnnotationsRoute = route<{ id: string }>(async ({ actor, params, query, req }) => {
  const { id } = parsePathParams(ZIdParamsSchema, params);
  const q = query(ZListQuery);
  // ETag and 304 (lib/server/conditional.ts): an unchanged document answers without being read.
  return conditionalRead(req, actor, id, async (head) => {
    // Unfiltered, current revision: the shared snapshot's bytes (lib/server/snapshots.ts).
    const shared = await sharedSnapshot(actor, id, { ...q, include: undefined } as typeof q, head);
    if (shared) return snapshotResponse(req.headers.get('accept-encoding'), shared, q.include === 'comments' ? 'annotations+comments' : 'annotations');
    // `links`: every link with an end among the listed annotations (docs/api.md, "Tradecraft fields").
    const { annotations, links } = await listAnnotationsAndLinks(actor, id, q);
    if (q.include !== 'comments') return json({ annotations, links });
    return json({ annotations, links, comments: await listRevisionComments(actor, id, q.revision) });
  });
});

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
