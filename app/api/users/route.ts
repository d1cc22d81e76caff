import { ZCreateUserSchema } from '@/lib/domain/api-schemas';
import { clientAddress } from '@/lib/server/client-address';
import { json, route } from '@/lib/server/http';
import { throttleSignUp } from '@/lib/server/rate-limit';
import { precheck } from '@/lib/server/prechecks';
import { checkRegistration, createUser, listUsers } from '@/lib/server/users';

export const POST = route(
  async ({ actor, body, req }) => {
    await checkRegistration(actor);
    // Anonymous sign-ups are throttled per client address (an admin adding people is not).
    if (!actor) await throttleSignUp(clientAddress(req.headers));
    return json({ user: await createUser(actor, await body(ZCreateUserSchema)) }, 201);
  },
  { auth: false },
);

export const GET = route(async ({ actor }) => {
  precheck.manageUsers(actor);
  return json({ users: await listUsers(actor) });
});
