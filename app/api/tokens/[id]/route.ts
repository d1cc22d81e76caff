import { parsePathParams, ZIdParamsSchema } from '@/lib/domain/api-schemas';
import { noContent, route } from '@/lib/server/http';
import { revokeToken } from '@/lib/server/tokens';

export const DELETE = route<{ id: string }>(async ({ actor, params }) => {
  await revokeToken(actor, parsePathParams(ZIdParamsSchema, params).id);
  return noContent();
});
