import 'server-only';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NextRequest } from 'next/server';
import { createAnnotationRoute, listAnnotationsRoute } from './annotation-routes';
import { LINGER_BYTES, LINGER_MS } from './body';
import { encode, negotiateEncoding } from './content-encoding';
import { bytesOfResponse } from './direct-body';
import { log } from './log';
import { API_STATIC_HEADERS } from './security-headers';
import { markDirect, pipeToNode, takeSource } from './sse';
import { documentEvents, notificationEvents } from './stream-routes';

/**
 * Requests scripts/serve.mjs hands over with the socket instead of passing them through Next,
 * where Next's request pipeline is most of their cost (docs/benchmarks.md, P7 and P1b):
 * - the live streams' GETs. Thousands stay open at once (a briefing); through Next each event
 *   cost ~30 µs of CPU per reader in its web-stream pipe and each open stream ~77 kB of suspended
 *   request chain. Their frames go to the socket with `res.write` (lib/server/sse.ts, pipeToNode);
 * - creating a highlight, the write every analyst makes most;
 * - listing a document's annotations, the read every page view makes: the shared snapshot's
 *   bytes go to the socket in one write, uncopied (lib/server/direct-body.ts), in the coding
 *   scripts/serve.mjs passes on (passPrecompressed).
 * The route handler is the same function Next calls (the same `route()` wrapper: access policy,
 * validation, body limits, same-origin check, error envelope); only the carrying differs: the
 * request is built from the socket's.
 *
 * What Next would add to these answers is added here: next.config.js's headers
 * (API_STATIC_HEADERS). Anything else (other methods, a trailing slash) is left to Next.
 *
 * Registered on globalThis by instrumentation.ts (run by Next in the server process at start),
 * because scripts/serve.mjs is plain JavaScript and cannot import the app's TypeScript.
 */
type Handler = (req: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const byId = (m: RegExpExecArray) => ({ id: decodeURIComponent(m[1]) });
const ROUTES: { method: string; path: RegExp; handler: Handler; params: (m: RegExpExecArray) => Record<string, string> }[] = [
  { method: 'GET', path: /^\/api\/documents\/([^/]+)\/events$/, handler: documentEvents as Handler, params: byId },
  { method: 'GET', path: /^\/api\/notifications\/events$/, handler: notificationEvents as Handler, params: () => ({}) },
  { method: 'GET', path: /^\/api\/documents\/([^/]+)\/annotations$/, handler: listAnnotationsRoute as Handler, params: byId },
  { method: 'POST', path: /^\/api\/documents\/([^/]+)\/annotations$/, handler: createAnnotationRoute as Handler, params: byId },
];

export const DIRECT_HANDLER = Symbol.for('marginalia.direct');

/** Takes the request (true) when it is one of ROUTES; `pathname` is the request's, as checked by serve.mjs. */
export function handleDirect(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
  for (const r of ROUTES) {
    const m = r.method === req.method ? r.path.exec(pathname) : null;
    if (!m) continue;
    serve(r.handler, r.params(m), req, res).catch((e) => {
      log('error', 'direct request failed', { err: e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : String(e) });
      if (!res.headersSent) writeHead(res, 500, new Headers({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }));
      res.end(JSON.stringify({ error: { code: 'internal', message: 'Something went wrong on our side' } }));
    });
    return true;
  }
  return false;
}

/** The Node request as a NextRequest (headers as serve.mjs left them), aborted when the response closes. */
function nextRequest(req: IncomingMessage, res: ServerResponse): NextRequest {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const one of v) headers.append(k, one);
    else if (v !== undefined) headers.set(k, v);
  }
  const abort = new AbortController();
  res.once('close', () => abort.abort());
  // The Host header is the client's word and may not even parse; none of ROUTES reads the origin.
  const url = new URL(req.url ?? '/', 'http://localhost');
  // A GET's body, if any, is never read; others are read by the handler, up to its limit.
  const body = req.method === 'GET' ? (req.resume(), undefined) : bodyOf(req);
  const nreq = new NextRequest(url, { method: req.method, headers, body, signal: abort.signal, duplex: 'half' } as ConstructorParameters<typeof NextRequest>[1]);
  markDirect(nreq);
  return nreq;
}

/**
 * The request body as a web stream that reads the socket only when the handler asks (a pull
 * source), so a body refused unread (over its limit by Content-Length, or the caller not
 * allowed) is still unread when the answer has gone, and discardUnread can drop it.
 */
const pulled = new WeakSet<IncomingMessage>();
function bodyOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  let chunks: AsyncIterator<Buffer> | null = null;
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      pulled.add(req);
      chunks ??= req[Symbol.asyncIterator]();
      const { value, done } = await chunks.next();
      if (done) c.close();
      else c.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    },
    async cancel() {
      await chunks?.return?.();
    },
  }, { highWaterMark: 0 }); // nothing is read before the handler asks
}

/**
 * Closing a connection while its client is still sending resets it, and the reset can destroy
 * the answer before the client reads it. So a body nobody read is read and dropped once the
 * answer is out (the connection stays usable), for at most LINGER_MS or LINGER_BYTES, as body.ts's
 * discardRest does for a body cut off while read.
 */
function discardUnread(req: IncomingMessage) {
  if (req.complete || pulled.has(req)) return;
  let dropped = 0;
  // The socket may carry the connection's next request once this body has ended: never cut it then.
  const cut = () => void (req.complete || req.destroy());
  const late = setTimeout(cut, LINGER_MS);
  late.unref();
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.byteLength;
    if (dropped > LINGER_BYTES) cut();
  });
  req.once('end', () => clearTimeout(late));
  req.once('close', () => clearTimeout(late));
  req.resume();
}

function writeHead(res: ServerResponse, status: number, headers: Headers) {
  res.statusCode = status;
  for (const [k, v] of Object.entries(API_STATIC_HEADERS)) res.setHeader(k, v);
  for (const [k, v] of headers) if (k !== 'set-cookie') res.setHeader(k, v);
  const cookies = headers.getSetCookie();
  if (cookies.length) res.setHeader('set-cookie', cookies);
}

async function serve(handler: Handler, params: Record<string, string>, req: IncomingMessage, res: ServerResponse) {
  const answer = await handler(nextRequest(req, res), { params: Promise.resolve(params) });
  writeHead(res, answer.status, answer.headers);
  const source = takeSource(answer);
  if (source) {
    res.flushHeaders();
    pipeToNode(source, res);
    return;
  }
  const bytes = bytesOfResponse(answer) ?? (answer.body ? Buffer.from(await answer.arrayBuffer()) : undefined);
  res.end(bytes && (await compressed(req, res, bytes)));
  discardUnread(req);
}

/** Smaller answers are not worth compressing (Next's compression has the same threshold). */
const COMPRESS_OVER = 1024;

/**
 * An answer the handler did not encode itself (all but the snapshots' bytes, which serve.mjs's
 * passPrecompressed has already marked), compressed as Next's compression would have: in the
 * coding the client prefers of brotli and gzip, in zlib's thread pool.
 */
async function compressed(req: IncomingMessage, res: ServerResponse, bytes: Buffer): Promise<Buffer> {
  if (bytes.length <= COMPRESS_OVER || res.hasHeader('content-encoding')) return bytes;
  const vary = res.getHeader('vary');
  if (!/accept-encoding/i.test(String(vary ?? ''))) res.setHeader('vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding');
  const coding = negotiateEncoding(req.headers['accept-encoding']);
  if (!coding) return bytes;
  const out = await encode(coding, bytes);
  res.setHeader('content-encoding', coding);
  res.setHeader('content-length', out.length);
  return out;
}

/** Called by instrumentation.ts: makes handleDirect reachable from scripts/serve.mjs. */
export function registerDirect(): void {
  (globalThis as Record<symbol, unknown>)[DIRECT_HANDLER] = handleDirect;
}
