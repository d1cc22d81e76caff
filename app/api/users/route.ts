import { ZCreateUserSchema } from '@/lib/domain/api-schemas';
import { json, route } from '@/lib/server/http';
import { precheck } from '@/lib/server/prechecks';
import { checkRegistration, createUser, listUsers } from '@/lib/server/users';

export const POST = route(
  async ({ actor, body }) => {
    await checkRegistration(actor);
    return json({ user: await createUser(actor, await body(ZCreateUserSchema)) }, 201);
  },
  { auth: false },
);

export const GET = route(async ({ actor }) => {
  precheck.manageUsers(actor);
  return json({ users: await listUsers(actor) });
});
