import { ZPatchUserSchema } from '@/lib/domain/api-schemas';
import { json, route } from '@/lib/server/http';
import { patchUser } from '@/lib/server/users';

export const PATCH = route<{ id: string }>(async ({ actor, params, body }) =>
  json({ user: await patchUser(actor, params.id, await body(ZPatchUserSchema)) }),
);
