import { parsePathParams, ZLinkParamsSchema } from '@/lib/domain/api-schemas';
import { noContent, route } from '@/lib/server/http';
import { deleteLink } from '@/lib/server/links';

export const DELETE = route<{ id: string; linkId: string }>(async ({ actor, params }) => {
  const { id, linkId } = parsePathParams(ZLinkParamsSchema, params);
  await deleteLink(actor, id, linkId);
  return noContent();
});
