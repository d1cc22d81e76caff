import { AppError } from '@/lib/domain/errors';
import { openEventStream } from '@/lib/server/event-stream';
import { route } from '@/lib/server/http';

export const dynamic = 'force-dynamic';

/** Where to resume: the browser's Last-Event-ID on reconnect, else `?after=` from the page. */
function resumeAfter(req: Request): bigint {
  const raw = req.headers.get('last-event-id') ?? new URL(req.url).searchParams.get('after') ?? '0';
  if (!/^\d{1,19}$/.test(raw)) throw new AppError('bad_request', 'Last-Event-ID / after must be an event id');
  return BigInt(raw);
}

export const GET = route<{ id: string }>(async ({ actor, params, req }) => {
  const stream = await openEventStream(actor, params.id, resumeAfter(req), req.signal);
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      // no-transform: without it Next.js compresses and buffers the stream.
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    },
  });
});
