import { parsePathParams, ZEventIdSchema, ZEventsQuerySchema, ZIdParamsSchema } from '@/lib/domain/api-schemas';
import { AppError } from '@/lib/domain/errors';
import { openEventStream } from '@/lib/server/event-stream';
import { route } from '@/lib/server/http';

export const dynamic = 'force-dynamic';

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

export const GET = route<{ id: string }>(async ({ actor, params, req, query }) => {
  const { id } = parsePathParams(ZIdParamsSchema, params);
  const after = resumeAfter(req.headers.get('last-event-id'), query(ZEventsQuerySchema));
  const { body } = await openEventStream(actor, id, after, req.signal);
  return new Response(body, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      // no-store: the events are private data. no-transform: without it Next.js compresses and
      // buffers the stream.
      'Cache-Control': 'no-store, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    },
  });
});

/**
 * HEAD would otherwise run GET (Next derives HEAD from it) and open a stream nobody reads: its
 * slot and presence stayed taken while no connection was left. A stream has no headers worth
 * asking for on their own.
 */
export const HEAD = route<{ id: string }>(async () => {
  throw new AppError('method_not_allowed', 'Open the event stream with GET', undefined, { Allow: 'GET' });
});
