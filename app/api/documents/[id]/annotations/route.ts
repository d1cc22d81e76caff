import { z } from 'zod';
import { parsePathParams, ZIdParamsSchema, ZListAnnotationsQuerySchema } from '@/lib/domain/api-schemas';
import { listAnnotationsAndLinks, listRevisionComments, sharedSnapshot } from '@/lib/server/annotations';
import { conditionalRead } from '@/lib/server/conditional';
import { createAnnotationRoute } from '@/lib/server/annotation-routes';
import { json, route } from '@/lib/server/http';
import { snapshotResponse } from '@/lib/server/snapshots';

const ZQuery = ZListAnnotationsQuerySchema.extend({ include: z.enum(['comments']).optional() });

export const GET = route<{ id: string }>(async ({ actor, params, query, req }) => {
  const { id } = parsePathParams(ZIdParamsSchema, params);
  const q = query(ZQuery);
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

/** Creates a highlight (lib/server/annotation-routes.ts, also served directly by scripts/serve.mjs). */
export const POST = createAnnotationRoute;
