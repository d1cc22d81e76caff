import { parsePathParams, ZIdParamsSchema, ZThreadCommentsQuerySchema } from '@/lib/domain/api-schemas';
import { listThreadComments } from '@/lib/server/annotations';
import { json, route } from '@/lib/server/http';

/** The comments of some threads of the document (`?annotations=id,id`), as the page needs them. */
export const GET = route<{ id: string }>(async ({ actor, params, query }) => {
  const { id } = parsePathParams(ZIdParamsSchema, params);
  const { annotations } = query(ZThreadCommentsQuerySchema);
  return json({ comments: await listThreadComments(actor, id, annotations) });
});
