/**
 * The HTTP server in front of Next (started by scripts/start.ts; plain ESM so Next's own module
 * loading is not run through a TypeScript loader). Next is used as a library (`next({ dev })`);
 * this file does only what a route handler cannot do, because it never sees the socket:
 *
 * 1. The client address. Route handlers read it from one header that only this server sets
 *    (any copy a client sends is removed). It is the socket's peer, unless that peer is one of
 *    TRUSTED_PROXIES (comma-separated addresses or CIDR ranges; default none), in which case
 *    X-Forwarded-For is walked from the right past the trusted hops. A client can therefore not
 *    choose the address the sign-in throttle counts under.
 * 2. A hard ceiling on declared body sizes (413 before any byte is read). Bodies without a
 *    Content-Length (chunked) are cut off by the readers in lib/server/body.ts at each route's
 *    own limit. Anything but GET/HEAD outside /api/ is 405: no page takes a body.
 * 3. Forwarding headers (X-Forwarded-*, X-Real-IP, Forwarded) only from TRUSTED_PROXIES, and
 *    HSTS on every answer when the public URL (NEXTAUTH_URL) is https.
 * 4. Bodies a route already compressed (the document snapshots' cached gzip or brotli,
 *    lib/server/snapshots.ts). Next drops a route's own Content-Encoding and compresses the body
 *    again, so such a route says `X-Marginalia-Content-Encoding: gzip` (or `br`) instead; here that becomes
 *    the Content-Encoding, which also tells Next's compression to leave the body alone.
 * 5. Shutdown on SIGTERM/SIGINT: stop accepting, let open requests finish (live streams end
 *    themselves on SIGTERM, see lib/server/event-hub.ts), refuse (503, Connection: close) any
 *    request that still arrives on a kept-alive connection, then exit; forced after 8 s.
 * 6. The live streams (GET …/events), and a document's annotations (GET and POST
 *    …/annotations) go to lib/server/direct.ts, which runs the same route handlers as Next but
 *    writes their answers to the socket itself: thousands of streams stay open at once, and
 *    Next's pipe and request chain cost CPU per frame, memory per stream and about half of a
 *    list's or a create's cost. Not in dev, where Next reloads the modules that handler comes from.
 */
import { createServer } from 'node:http';
import { BlockList, isIP } from 'node:net';
import path from 'node:path';
import next from 'next';

export const CLIENT_ADDRESS_HEADER = 'x-marginalia-client-address';
/** A route's own encoding of its body (lib/server/snapshots.ts sets it; see 4. above). */
export const PRECOMPRESSED_HEADER = 'x-marginalia-content-encoding';

/** Turns the route's PRECOMPRESSED_HEADER into Content-Encoding as Next sets it on `res`. */
export function passPrecompressed(res) {
  const setHeader = res.setHeader;
  res.setHeader = function setHeaderPassingEncoding(name, value) {
    if (typeof name === 'string' && name.toLowerCase() === PRECOMPRESSED_HEADER) {
      const v = String(Array.isArray(value) ? value[0] : value).toLowerCase();
      return v === 'gzip' || v === 'br' ? setHeader.call(this, 'Content-Encoding', v) : this;
    }
    return setHeader.call(this, name, value);
  };
}
/** Where instrumentation.ts leaves lib/server/direct.ts's handler (a production server only). */
const DIRECT_HANDLER = Symbol.for('marginalia.direct');
/** The largest body any route accepts (document import: 8 MiB); per-route limits are lower. */
const MAX_DECLARED_BODY = 8 * 1024 * 1024;

const root = path.resolve(import.meta.dirname, '..');
const dev = process.argv.includes('--dev');
const port = Number(process.env.PORT ?? 3000);

/** Strips the IPv4-mapped IPv6 prefix so "::ffff:10.0.0.1" and "10.0.0.1" are one address. */
export function normalizeAddress(a) {
  if (typeof a !== 'string') return null;
  const s = a.trim().replace(/^\[|\]$/g, '');
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(s);
  const out = m ? m[1] : s;
  return isIP(out) ? out.toLowerCase() : null;
}

export function trustedProxies(spec) {
  const list = new BlockList();
  for (const raw of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [addr, bits] = raw.split('/');
    const a = normalizeAddress(addr);
    if (!a) throw new Error(`TRUSTED_PROXIES: "${raw}" is not an IP address or CIDR range`);
    const type = isIP(a) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(a, type);
    else list.addSubnet(a, Number(bits), type);
  }
  return list;
}

/** The client's address: the socket peer, or the first untrusted hop of X-Forwarded-For behind trusted proxies. */
export function clientAddress(peer, forwardedFor, trusted) {
  let addr = normalizeAddress(peer);
  if (!addr) return 'unknown';
  const isTrusted = (a) => isTrustedPeer(a, trusted);
  const hops = (forwardedFor ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  while (isTrusted(addr) && hops.length) {
    const next = normalizeAddress(hops.pop());
    if (!next) break; // a malformed hop: stop at the last address we can vouch for
    addr = next;
  }
  return addr;
}

/**
 * Lingering close. When a response ends a connection while the client is still sending a body
 * (a 413 before the body was read), closing the socket with unread data makes the kernel send a
 * reset, and a reset can destroy the answer before the client reads it. So instead of closing at
 * once, send FIN, then read and discard what still arrives until the client closes, at most
 * LINGER_MS (as nginx's lingering_close does).
 */
const LINGER_MS = 2000;
function lingerOnClose(socket) {
  socket.destroySoon = function destroySoon() {
    if (this.destroyed) return;
    this.end();
    this.removeAllListeners('data');
    this.on('data', () => {});
    this.resume();
    const late = setTimeout(() => this.destroy(), LINGER_MS);
    late.unref();
    this.once('end', () => {
      clearTimeout(late);
      this.destroy();
    });
  };
}

/** The methods any route of the app answers; others (TRACE, PROPFIND, …) made Next answer a bare 500 or 400. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The request target, checked: origin-form only (`/path?query`; the absolute form belongs to
 * forward proxies, and Next redirected to the host it named), with valid percent-encoding (Next
 * answered a bare 500 for `%ff`). `path` is normalised as Next will route it.
 */
export function requestTarget(url) {
  if (typeof url !== 'string' || !url.startsWith('/') || url.startsWith('//')) return { ok: false, message: 'The request target must be a path' };
  try {
    const parsed = new URL(url, 'http://localhost');
    decodeURIComponent(parsed.pathname);
    return { ok: true, path: parsed.pathname };
  } catch {
    return { ok: false, message: 'The request path is not valid percent-encoded UTF-8' };
  }
}

/** An answer in the API's error envelope (also for pages: these requests never reach one). */
function answer(res, status, code, message, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify({ error: { code, message } }));
}

function tooLarge(res) {
  const body = JSON.stringify({ error: { code: 'payload_too_large', message: 'Request body is over the limit', details: { limit: MAX_DECLARED_BODY } } });
  // No `Connection: close`: closing with unread data resets the socket and can lose this answer;
  // the unread body is discarded as it arrives (req.resume()).
  res.writeHead(413, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(body);
}

const FORWARDING_HEADERS = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'x-real-ip', 'forwarded'];
/** Same value as lib/server/security-headers.ts (HSTS), which sets it on pages. */
const HSTS = 'max-age=63072000';

export function isTrustedPeer(peer, trusted) {
  const a = normalizeAddress(peer);
  return a !== null && trusted.check(a, isIP(a) === 6 ? 'ipv6' : 'ipv4');
}

async function main() {
  const trusted = trustedProxies(process.env.TRUSTED_PROXIES);
  // Served to users over https (TLS ends at a balancer): every answer says so, API ones included.
  const publicHttps = (process.env.NEXTAUTH_URL ?? '').toLowerCase().startsWith('https:');
  // Tells lib/server/client-address.ts that the header is ours (set on every request below).
  process.env.MARGINALIA_CLIENT_ADDRESS_HEADER = '1';
  // Tells lib/server/snapshots.ts that a route's X-Marginalia-Content-Encoding is honoured (passPrecompressed).
  process.env.MARGINALIA_PASSES_ENCODING = '1';
  process.title = `next-server (marginalia${dev ? ' dev' : ''})`;
  const app = next({ dev, dir: root, port, hostname: 'localhost' });
  const handle = app.getRequestHandler();
  await app.prepare();

  let stopping = false;
  const server = createServer((req, res) => {
    // Shutting down: a request on a kept-alive connection (server.close only stops new ones) is
    // refused and its connection closed, so a reconnecting live stream is not accepted, told
    // "live", and dropped again a moment later (the Reconnecting banner flickered so).
    if (stopping) {
      answer(res, 503, 'unavailable', 'This server is shutting down; try again in a moment', { connection: 'close', 'retry-after': '2' });
      req.resume();
      return;
    }
    const xff = req.headers['x-forwarded-for'];
    req.headers[CLIENT_ADDRESS_HEADER] = clientAddress(req.socket.remoteAddress, Array.isArray(xff) ? xff.join(',') : xff, trusted);
    // What a proxy says about the original request (host, scheme, client) is believed only from
    // a trusted proxy; from anyone else it is dropped, and Next fills in the connection's own.
    if (!isTrustedPeer(req.socket.remoteAddress, trusted)) for (const h of FORWARDING_HEADERS) delete req.headers[h];
    if (publicHttps || req.headers['x-forwarded-proto'] === 'https') res.setHeader('Strict-Transport-Security', HSTS);
    const target = requestTarget(req.url);
    if (!target.ok) {
      answer(res, 400, 'bad_request', target.message);
      req.resume();
      return;
    }
    if (!METHODS.has(req.method ?? '')) {
      answer(res, 405, 'method_not_allowed', `${String(req.method).slice(0, 20)} is not a method this server answers`, { allow: [...METHODS].join(', ') });
      req.resume();
      return;
    }
    // Pages and assets are only ever read: the app has no server actions or page forms, and Next
    // would otherwise read (and discard) whatever body such a request brings. (`next dev` posts
    // to its own tooling routes, so only in production.) Decided on the normalised path, as Next
    // will route it (`/api/../signin` is a page).
    if (!dev && !target.path.startsWith('/api/') && req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('Method not allowed\n');
      req.resume();
      return;
    }
    const declared = req.headers['content-length'];
    if (declared !== undefined && !(Number(declared) <= MAX_DECLARED_BODY)) {
      tooLarge(res);
      req.resume();
      return;
    }
    passPrecompressed(res);
    // The live streams, answered without Next's request pipeline (lib/server/direct.ts; see 6.).
    if (!dev && globalThis[DIRECT_HANDLER]?.(req, res, target.path)) return;
    handle(req, res).catch((e) => {
      console.error(JSON.stringify({ level: 'error', msg: 'request failed', err: String(e) }));
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ error: { code: 'internal', message: 'Something went wrong on our side' } }));
    });
  });
  server.on('connection', lingerOnClose);
  server.listen(port, () => console.log(`[marginalia] ready on http://localhost:${port}`));

  const stop = () => {
    if (stopping) return;
    stopping = true;
    const late = setTimeout(() => process.exit(0), 8000);
    late.unref();
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((e) => {
    console.error(`[marginalia] ${e instanceof Error ? e.stack : String(e)}`);
    process.exit(1);
  });
}
