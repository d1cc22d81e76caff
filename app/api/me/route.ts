import { json, route } from '@/lib/server/http';
import { getUser } from '@/lib/server/users';

export const GET = route(async ({ actor }) => json({ user: await getUser(actor) }));
