import { parsePathParams, ZCreateLinkSchema, ZIdParamsSchema } from '@/lib/domain/api-schemas';
import { json, route } from '@/lib/server/http';
import { createLink, precheckCreateLink } from '@/lib/server/links';

/** Links this annotation to another of its document (docs/api.md, "Tradecraft fields"). */
export const POST = route<{ id: string }>(async ({ actor, params, body }) => {
  precheckCreateLink(actor);
  const { id } = parsePathParams(ZIdParamsSchema, params);
  const result = await createLink(actor, id, await body(ZCreateLinkSchema));
  return json(result.body, result.status);
});
