import 'server-only';
import { parsePathParams, ZEventIdSchema, ZEventsQuerySchema, ZIdParamsSchema } from '@/lib/domain/api-schemas';
import { AppError } from '@/lib/domain/errors';
import { openEventStream } from './event-stream';
import { route } from './http';
import { openNotificationStream } from './notification-stream';
import { sseResponse } from './sse';

/**
 * The live streams' route handlers. The app's route files export them for Next, and
 * lib/server/direct.ts calls the same functions when scripts/serve.mjs hands it the socket.
 */

/**
 * Where to resume: the browser's Last-Event-ID on reconnect, else `?after=` from the page, else
 * the beginning. Either one that is not an event id is a 400 naming it: the browser only ever
 * sends back ids we gave it, so a bad one is a broken client, and guessing could skip events.
 */
function resumeAfter(header: string | null, query: { after?: bigint }): bigint {
  if (header === null) return query.after ?? 0n;
  const r = ZEventIdSchema.safeParse(header.trim());
  if (r.success) return r.data;
  throw new AppError('bad_request', 'Invalid Last-Event-ID header', r.error.issues.map((i) => ({ path: ['Last-Event-ID'], message: i.message })));
}

/** GET /api/documents/:id/events */
export const documentEvents = route<{ id: string }>(async ({ actor, params, req, query }) => {
  const { id } = parsePathParams(ZIdParamsSchema, params);
  const after = resumeAfter(req.headers.get('last-event-id'), query(ZEventsQuerySchema));
  return sseResponse(req, await openEventStream(actor, id, after, req.signal));
});

/** GET /api/notifications/events: the caller's unread count, live. */
export const notificationEvents = route(async ({ actor, req }) => sseResponse(req, openNotificationStream(actor, req.signal)));

/**
 * HEAD would otherwise run GET (Next derives HEAD from it) and open a stream nobody reads: its
 * slot and presence stayed taken while no connection was left. A stream has no headers worth
 * asking for on their own.
 */
export const streamHead = (what: string) =>
  route<Record<string, string>>(async () => {
    throw new AppError('method_not_allowed', `Open the ${what} with GET`, undefined, { Allow: 'GET' });
  });
