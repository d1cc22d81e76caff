import { ZMentionableQuerySchema } from '@/lib/domain/notification-api';
import { json, route } from '@/lib/server/http';
import { mentionableUsers } from '@/lib/server/notifications';

/** GET /api/users/mentionable?q=: active members to mention, by name (emails for admins only). */
export const GET = route(async ({ actor, query }) => json({ users: await mentionableUsers(actor, query(ZMentionableQuerySchema).q) }));
