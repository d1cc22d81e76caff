import 'server-only';
import type { ServerResponse } from 'node:http';

/**
 * The transport of the live streams (Server-Sent Events): the document event stream and the
 * notification stream write their frames to an SseSink and never see what carries them.
 *
 * Two carriers, one stream logic:
 * - a web ReadableStream, the body of a route handler's Response, which Next pipes to the socket
 *   (`next dev`, and any server that is not scripts/serve.mjs);
 * - the Node response itself (lib/server/direct.ts, called by scripts/serve.mjs): frames go to
 *   the socket with one `res.write` each. Next's web-stream pipe cost ~30 µs of CPU per reader per
 *   event and its suspended request chain ~77 kB per open stream (docs/benchmarks.md, P7).
 */
export interface SseSink {
  /** Queues bytes for the reader. */
  write(bytes: Uint8Array): void;
  /** Bytes written that the reader has not taken yet. */
  backlog(): number;
  /** Settles once the reader has room again (at once when it has), or the stream ended. */
  room(): Promise<void>;
  /** Ends the stream. */
  end(): void;
  /** Ends it as failed: the connection is cut, and the browser reconnects from its last id. */
  fail(reason: Error): void;
}

/** A stream's logic: `start` is called once with its sink and returns what to do when the reader goes away. */
export interface SseSource {
  start(sink: SseSink): () => void;
}

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  // no-store: the events are private data. no-transform: without it Next compresses and buffers the stream.
  'Cache-Control': 'no-store, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

/** Bytes queued before a web stream asks its source to wait (paced replays). */
const WEB_HIGH_WATER = 64 * 1024;

export function webStream(source: SseSource): ReadableStream<Uint8Array> {
  let gone = () => {};
  let wake: (() => void) | null = null;
  const wakeUp = () => {
    wake?.();
    wake = null;
  };
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        gone = source.start({
          write: (b) => c.enqueue(b),
          backlog: () => WEB_HIGH_WATER - (c.desiredSize ?? WEB_HIGH_WATER),
          room: () => ((c.desiredSize ?? 1) > 0 ? Promise.resolve() : new Promise<void>((r) => (wake = r))),
          end: () => {
            wakeUp();
            try {
              c.close();
            } catch {
              /* already closed or cancelled by the reader */
            }
          },
          fail: (e) => {
            wakeUp();
            c.error(e);
          },
        });
      },
      pull: wakeUp,
      cancel() {
        wakeUp();
        gone();
      },
    },
    { highWaterMark: WEB_HIGH_WATER, size: (chunk) => chunk.byteLength },
  );
}

/** Starts `source` on a Node response whose head is written; the reader is gone when the response closes. */
export function pipeToNode(source: SseSource, res: ServerResponse): void {
  const gone = source.start({
    write: (b) => void res.write(b),
    backlog: () => res.writableLength,
    room: () =>
      !res.writableNeedDrain || res.destroyed
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const done = () => {
              res.off('drain', done);
              res.off('close', done);
              resolve();
            };
            res.on('drain', done);
            res.on('close', done);
          }),
    end: () => res.end(),
    fail: () => res.destroy(),
  });
  if (res.destroyed) gone();
  else res.once('close', gone);
}

// A direct request's stream answer carries its source instead of a body (lib/server/direct.ts).
const directRequests = new WeakSet<Request>();
const sources = new WeakMap<Response, SseSource>();

/** Marks a request whose answer lib/server/direct.ts writes to the socket itself. */
export function markDirect(req: Request): void {
  directRequests.add(req);
}

/** A route's streaming answer: a web-stream body for Next, or the source itself for a direct request. */
export function sseResponse(req: Request, source: SseSource): Response {
  if (!directRequests.has(req)) return new Response(webStream(source), { headers: SSE_HEADERS });
  const res = new Response(null, { headers: SSE_HEADERS });
  sources.set(res, source);
  return res;
}

/** The source of a direct request's streaming answer (once); undefined for any other answer. */
export function takeSource(res: Response): SseSource | undefined {
  const s = sources.get(res);
  sources.delete(res);
  return s;
}
