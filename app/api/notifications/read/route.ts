import { ZReadNotificationsSchema } from '@/lib/domain/notification-api';
import { json, route } from '@/lib/server/http';
import { markRead } from '@/lib/server/notifications';

/** POST /api/notifications/read: `{ ids }` or `{ all: true }`; answers the new unread count. */
export const POST = route(async ({ actor, body }) => json(await markRead(actor, await body(ZReadNotificationsSchema))));
