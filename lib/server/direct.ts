import 'server-only';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NextRequest } from 'next/server';
import { log } from './log';
import { API_STATIC_HEADERS } from './security-headers';
import { markDirect, pipeToNode, takeSource } from './sse';
import { documentEvents, notificationEvents } from './stream-routes';

/**
 * Requests scripts/serve.mjs hands over with the socket instead of passing them through Next:
 * the live streams' GETs. Thousands of them stay open at once (a briefing), and through Next each
 * event cost ~30 µs of CPU per reader in its web-stream pipe and each open stream ~77 kB of
 * suspended request chain (docs/benchmarks.md, P7). Here the route handler is the same function
 * Next calls (lib/server/stream-routes.ts: the same access policy, validation and error
 * envelope); only the carrying differs: the request is built from the socket's, and the frames
 * go to the socket with `res.write` (lib/server/sse.ts, pipeToNode).
 *
 * What Next would add to these answers is added here: next.config.js's headers
 * (API_STATIC_HEADERS). Anything else (other methods, a trailing slash) is left to Next.
 *
 * Registered on globalThis by instrumentation.ts (run by Next in the server process at start),
 * because scripts/serve.mjs is plain JavaScript and cannot import the app's TypeScript.
 */
type Handler = (req: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const ROUTES: { path: RegExp; handler: Handler; params: (m: RegExpExecArray) => Record<string, string> }[] = [
  { path: /^\/api\/documents\/([^/]+)\/events$/, handler: documentEvents as Handler, params: (m) => ({ id: decodeURIComponent(m[1]) }) },
  { path: /^\/api\/notifications\/events$/, handler: notificationEvents as Handler, params: () => ({}) },
];

export const DIRECT_HANDLER = Symbol.for('marginalia.direct');

/** Takes the request (true) when it is one of ROUTES; `pathname` is the request's, as checked by serve.mjs. */
export function handleDirect(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
  if (req.method !== 'GET') return false;
  for (const r of ROUTES) {
    const m = r.path.exec(pathname);
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
  const nreq = new NextRequest(new URL(req.url ?? '/', `http://${headers.get('host') ?? 'localhost'}`), { headers, signal: abort.signal });
  markDirect(nreq);
  return nreq;
}

function writeHead(res: ServerResponse, status: number, headers: Headers) {
  res.statusCode = status;
  for (const [k, v] of Object.entries(API_STATIC_HEADERS)) res.setHeader(k, v);
  for (const [k, v] of headers) if (k !== 'set-cookie') res.setHeader(k, v);
  const cookies = headers.getSetCookie();
  if (cookies.length) res.setHeader('set-cookie', cookies);
}

async function serve(handler: Handler, params: Record<string, string>, req: IncomingMessage, res: ServerResponse) {
  req.resume(); // a GET's body, if any, is not read
  const answer = await handler(nextRequest(req, res), { params: Promise.resolve(params) });
  writeHead(res, answer.status, answer.headers);
  const source = takeSource(answer);
  if (source) {
    res.flushHeaders();
    pipeToNode(source, res);
    return;
  }
  res.end(answer.body ? Buffer.from(await answer.arrayBuffer()) : undefined);
}

/** Called by instrumentation.ts: makes handleDirect reachable from scripts/serve.mjs. */
export function registerDirect(): void {
  (globalThis as Record<symbol, unknown>)[DIRECT_HANDLER] = handleDirect;
}
