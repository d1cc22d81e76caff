import { parsePathParams, ZIdParamsSchema, ZPatchUserSchema } from '@/lib/domain/api-schemas';
import { json, route } from '@/lib/server/http';
import { precheck } from '@/lib/server/prechecks';
import { patchUser } from '@/lib/server/users';

export const PATCH = route<{ id: string }>(async ({ actor, params, body }) => {
  precheck.manageUsers(actor);
  const { id } = parsePathParams(ZIdParamsSchema, params);
  return json({ user: await patchUser(actor, id, await body(ZPatchUserSchema)) });
});
