import { ZListNotificationsQuerySchema } from '@/lib/domain/notification-api';
import { json, route } from '@/lib/server/http';
import { listNotifications } from '@/lib/server/notifications';

/** GET /api/notifications: mine, newest first, paged (`before`, `limit`), with the unread count. */
export const GET = route(async ({ actor, query }) => json(await listNotifications(actor, query(ZListNotificationsQuerySchema))));
