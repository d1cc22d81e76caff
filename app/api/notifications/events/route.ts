import { notificationEvents, streamHead } from '@/lib/server/stream-routes';

export const dynamic = 'force-dynamic';

/** GET /api/notifications/events: the caller's unread count, live (Server-Sent Events); see lib/server/stream-routes.ts. */
export const GET = notificationEvents;
export const HEAD = streamHead('notification stream');
