import { ZCreateUserSchema } from '@/lib/domain/api-schemas';
import { json, route } from '@/lib/server/http';
import { createUser, listUsers } from '@/lib/server/users';

export const POST = route(async ({ actor, body }) => json({ user: await createUser(actor, await body(ZCreateUserSchema)) }, 201), { auth: false });

export const GET = route(async ({ actor }) => json({ users: await listUsers(actor) }));
