import { AppError } from '@/lib/domain/errors';
import { route } from '@/lib/server/http';
import { openNotificationStream } from '@/lib/server/notification-stream';

export const dynamic = 'force-dynamic';

/** GET /api/notifications/events: the caller's unread count, live (Server-Sent Events). */
export const GET = route(async ({ actor, req }) =>
  new Response(openNotificationStream(actor, req.signal), {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      // no-store: private data. no-transform: without it Next.js compresses and buffers the stream.
      'Cache-Control': 'no-store, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    },
  }),
);

/** HEAD would run GET (Next derives it) and open a stream nobody reads. */
export const HEAD = route(async () => {
  throw new AppError('method_not_allowed', 'Open the notification stream with GET', undefined, { Allow: 'GET' });
});
