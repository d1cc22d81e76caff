import { once } from 'node:events';
import { createServer, get as httpGet, type Server } from 'node:http';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describe as describeRange } from '@/lib/domain/anchoring';
import { doc, makeDocument, makeUser, resetDb, sessionToken } from '@/scripts/test/db';
import { sseReader } from '@/scripts/test/sse';
import { createAnnotation } from './annotations';
import { createComment } from './comments';
import { db } from './db';
import { handleDirect } from './direct';
import { eventHub } from './event-hub';
import { MAX_BACKLOG_BYTES } from './event-stream';
import { API_STATIC_HEADERS } from './security-headers';
import { createToken } from './tokens';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { call } from '@/scripts/test/http';
import { passPrecompressed } from '@/scripts/serve.mjs';
import * as annotationsRoute from '@/app/api/documents/[id]/annotations/route';

/**
 * The live streams as scripts/serve.mjs serves them: through lib/server/direct.ts on a real
 * socket (a plain node:http server here), not through Next. The stream logic itself is tested in
 * event-stream.integration.test.ts; this is the carrying: headers, refusals, frames, a reader
 * that leaves, a reader that stops reading.
 */
let server: Server;
let base: string;
const handled: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    passPrecompressed(res); // as scripts/serve.mjs does before handing a request over
    if (handleDirect(req, res, path)) return void handled.push(path);
    res.statusCode = 404;
    res.end('not direct');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const aborts: AbortController[] = [];
afterEach(async () => {
  for (const a of aborts.splice(0)) a.abort();
  await expect.poll(() => eventHub().stats()).toEqual({ streams: 0, subscribers: 0, presenceEntries: 0 });
});

async function get(path: string, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  aborts.push(abort);
  const res = await fetch(base + path, { headers, signal: abort.signal });
  return { res, abort: () => abort.abort() };
}

describe('direct live streams (lib/server/direct.ts)', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  async function setup() {
    await resetDb();
    const document = await makeDocument();
    const ana = await makeUser('analyst', 'Ana');
    const ben = await makeUser('analyst', 'Ben');
    const text = document.revision.text;
    const at = (word: string) => describeRange(text, text.indexOf(word), text.indexOf(word) + word.length);
    const cookie = async (uid: string) => ({ cookie: `next-auth.session-token=${await sessionToken(uid)}` });
    return { document, ana, ben, at, cookie };
  }
  beforeEach(async () => {
    s = await setup();
  });

  it('streams a document’s events with the headers Next would have given, and presence', async () => {
    const { res } = await get(`/api/documents/${s.document.id}/events`, await s.cookie(s.ben.id));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store, no-transform');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    for (const [k, v] of Object.entries(API_STATIC_HEADERS)) expect(res.headers.get(k)).toBe(v);
    const r = sseReader(res.body!);
    await r.until((fs) => fs.some((f) => f.event === 'status'));
    await r.until((fs) => fs.some((f) => f.event === 'presence'));
    expect(r.frames.find((f) => f.event === 'presence')?.data).toEqual({ count: 1, users: [{ id: s.ben.id, name: 'Ben' }] });
    const a = (await createAnnotation(s.ana, s.document.id, { tag: 'evidence', target: s.at('artillery') })).body.annotation;
    await r.until((fs) => fs.some((f) => f.event === 'annotation.created'));
    expect(r.frames.find((f) => f.event === 'annotation.created')?.data).toMatchObject({ id: a.id, tag: 'evidence' });
    expect(handled).toContain(`/api/documents/${s.document.id}/events`);
  });

  it('resumes after Last-Event-ID as through Next', async () => {
    const a = (await createAnnotation(s.ana, s.document.id, { tag: 'evidence', target: s.at('artillery') })).body.annotation;
    const c = (await createComment(s.ana, a.id, { body: doc('one') })).body.comment!;
    const { res } = await get(`/api/documents/${s.document.id}/events`, { ...(await s.cookie(s.ben.id)), 'last-event-id': '2' });
    const r = sseReader(res.body!);
    await r.until((fs) => fs.some((f) => f.event === 'status'));
    expect(r.frames.filter((f) => f.id).map((f) => [f.event, (f.data as { id: string }).id])).toEqual([['comment.created', c.id]]);
  });

  it('answers refusals in the error envelope: signed out, unknown document, bad Last-Event-ID, bad id', async () => {
    const cookie = await s.cookie(s.ben.id);
    const cases: [string, Record<string, string>, number, string][] = [
      [`/api/documents/${s.document.id}/events`, {}, 401, 'unauthorized'],
      ['/api/notifications/events', {}, 401, 'unauthorized'],
      ['/api/documents/cmnotadocument00000000000/events', cookie, 404, 'not_found'],
      [`/api/documents/${s.document.id}/events`, { ...cookie, 'last-event-id': '12x' }, 400, 'bad_request'],
      [`/api/documents/${s.document.id}/events?after=-1`, cookie, 400, 'bad_request'],
      ['/api/documents/%00%F0%9F%92%A9/events', cookie, 400, 'bad_request'],
    ];
    for (const [path, headers, status, code] of cases) {
      const { res } = await get(path, headers);
      expect([path, res.status]).toEqual([path, status]);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('content-security-policy')).toBe(API_STATIC_HEADERS['Content-Security-Policy']);
      expect((await res.json()).error.code).toBe(code);
    }
  });

  it('leaves other methods and paths to Next', async () => {
    for (const [method, path] of [
      ['HEAD', `/api/documents/${s.document.id}/events`],
      ['POST', '/api/notifications/events'],
      ['GET', `/api/documents/${s.document.id}/events/`],
      ['GET', `/api/documents/${s.document.id}`],
      ['HEAD', `/api/documents/${s.document.id}/annotations`],
      ['GET', `/api/documents/${s.document.id}/annotations/comments`],
      ['PUT', `/api/documents/${s.document.id}/annotations`],
      ['POST', `/api/documents/${s.document.id}/annotations/`],
    ]) {
      const res = await fetch(base + path, { method });
      expect([method, path, res.status]).toEqual([method, path, 404]);
    }
  });

  it('a reader that goes away leaves no slot, subscription or presence behind', async () => {
    const { res, abort } = await get(`/api/documents/${s.document.id}/events`, await s.cookie(s.ben.id));
    const r = sseReader(res.body!);
    await r.until((fs) => fs.some((f) => f.event === 'presence'));
    expect(eventHub().stats()).toMatchObject({ streams: 1, subscribers: 1 });
    abort();
    await expect.poll(() => eventHub().stats()).toEqual({ streams: 0, subscribers: 0, presenceEntries: 0 });
  });

  it('cuts off a reader that stops reading once its queue passes the bound', { timeout: 90_000 }, async () => {
    const cookie = `next-auth.session-token=${await sessionToken(s.ben.id)}`;
    const socket = connect(Number(new URL(base).port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write(`GET /api/documents/${s.document.id}/events HTTP/1.1\r\nHost: localhost\r\nCookie: ${cookie}\r\n\r\n`);
    await once(socket, 'data'); // the head and the first frames
    socket.pause(); // and never read again
    let closed = false;
    socket.once('close', () => (closed = true));
    await expect.poll(() => eventHub().stats().presenceEntries).toBe(1);
    const a = (await createAnnotation(s.ana, s.document.id, { tag: 'evidence', target: s.at('artillery') })).body.annotation;
    // Each comment.created frame carries ~98 KB. The kernel's socket buffers take some megabytes
    // first; the server's own queue is what the bound counts.
    const big = doc('<&>"'.repeat(4900));
    let sent = 0;
    while (!closed && eventHub().stats().streams > 0 && sent < 400) {
      await createComment(s.ana, a.id, { body: big });
      sent++;
    }
    await expect.poll(() => eventHub().stats().streams).toBe(0);
    expect(sent * 90 * 1024).toBeGreaterThan(MAX_BACKLOG_BYTES);
    socket.destroy();
  });

  describe('listing the annotations', () => {
    const passes = process.env.MARGINALIA_PASSES_ENCODING;
    beforeEach(() => void (process.env.MARGINALIA_PASSES_ENCODING = '1')); // set by scripts/serve.mjs
    afterEach(() => void (passes === undefined ? delete process.env.MARGINALIA_PASSES_ENCODING : (process.env.MARGINALIA_PASSES_ENCODING = passes)));
    const decode = (coding: string | null, bytes: Buffer) => JSON.parse(String(coding === 'br' ? brotliDecompressSync(bytes) : coding === 'gzip' ? gunzipSync(bytes) : bytes));
    /** The answer's bytes as they came (fetch would decode them). */
    const raw = (path: string, headers: Record<string, string>) =>
      new Promise<{ status: number; headers: Headers; body: Buffer }>((resolve, reject) => {
        httpGet(base + path, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: new Headers(res.headers as Record<string, string>), body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });

    it('answers what the route function answers in-process, in every coding and every view, with its ETag and 304', async () => {
      const a = await createAnnotation(s.ana, s.document.id, { tag: 'evidence', target: s.at('artillery'), comment: { body: doc('Seen.') } });
      const cookie = await s.cookie(s.ben.id);
      for (const query of ['', '?include=comments', '?tag=evidence', `?revision=${s.document.revision.id}&include=comments`]) {
        const path = `/api/documents/${s.document.id}/annotations${query}`;
        const viaNext = await call(annotationsRoute.GET, 'GET', path, { cookie: cookie.cookie.split('=')[1], params: { id: s.document.id } });
        expect(viaNext.status).toBe(200);
        for (const accept of ['gzip, deflate, br, zstd', 'gzip', 'identity']) {
          // fetch would decode br and gzip itself and say nothing; undici sends its own Accept-Encoding unless told.
          const direct = await fetch(base + path, { headers: { ...cookie, 'accept-encoding': accept } });
          expect([query, accept, direct.status]).toEqual([query, accept, 200]);
          expect(await direct.json()).toEqual(viaNext.json);
          for (const [k, v] of Object.entries(API_STATIC_HEADERS)) expect(direct.headers.get(k)).toBe(v);
          expect(direct.headers.get('cache-control')).toBe('no-store');
          expect(direct.headers.get('etag')).toBe(viaNext.headers.get('etag'));
          expect(direct.headers.get('x-request-id')).toBeTruthy();
        }
      }
      expect(viaNextIds(await call(annotationsRoute.GET, 'GET', `/api/documents/${s.document.id}/annotations`, { cookie: cookie.cookie.split('=')[1], params: { id: s.document.id } }))).toEqual([a.body.annotation.id]);
      // The shared snapshot's bytes, in the coding the client prefers, as sent.
      const path = `/api/documents/${s.document.id}/annotations?include=comments`;
      for (const [accept, coding] of [['gzip, deflate, br, zstd', 'br'], ['gzip', 'gzip'], ['br;q=0, gzip;q=0', null]] as const) {
        const r = await raw(path, { ...cookie, 'accept-encoding': accept });
        expect([accept, r.headers.get('content-encoding')]).toEqual([accept, coding]);
        expect(r.headers.get('content-length')).toBe(String(r.body.length));
        expect(r.headers.get('vary')).toBe('Accept-Encoding');
        expect(decode(coding, r.body).comments).toHaveLength(1);
      }
      const etag = (await raw(path, cookie)).headers.get('etag')!;
      const again = await raw(path, { ...cookie, 'if-none-match': etag });
      expect([again.status, again.body.length, again.headers.get('etag')]).toEqual([304, 0, etag]);
      await createComment(s.ben, a.body.annotation.id, { body: doc('Agreed.') });
      expect((await raw(path, { ...cookie, 'if-none-match': etag })).status).toBe(200);
    });
    const viaNextIds = (r: { json: { annotations: { id: string }[] } }) => r.json.annotations.map((x) => x.id);

    it('compresses the answers that are not the snapshot\'s bytes (a filtered view, an error) as Next did, in the coding the client prefers', async () => {
      for (const word of ['artillery', 'shells', 'curly', 'measurable']) await createAnnotation(s.ana, s.document.id, { tag: 'evidence', target: s.at(word) });
      const cookie = await s.cookie(s.ben.id);
      const path = `/api/documents/${s.document.id}/annotations?tag=evidence`;
      const plain = await raw(path, { ...cookie, 'accept-encoding': 'identity' });
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(plain.body.length).toBeGreaterThan(1024);
      for (const [accept, coding] of [['gzip, deflate, br, zstd', 'br'], ['gzip', 'gzip'], ['gzip;q=0, br;q=0', null]] as const) {
        const r = await raw(path, { ...cookie, 'accept-encoding': accept });
        expect([accept, r.status, r.headers.get('content-encoding')]).toEqual([accept, 200, coding]);
        expect(r.headers.get('content-length')).toBe(String(r.body.length));
        expect(r.headers.get('vary')).toMatch(/accept-encoding/i);
        expect(decode(coding, r.body)).toEqual(JSON.parse(String(plain.body)));
      }
      // A small answer (an error) is not worth compressing.
      const small = await raw('/api/documents/cmnotadocument00000000000/annotations', { ...cookie, 'accept-encoding': 'gzip, br' });
      expect([small.status, small.headers.get('content-encoding')]).toEqual([404, null]);
    });

    it('refuses as through Next: signed out, unknown or malformed document, bad query', async () => {
      const cookie = await s.cookie(s.ana.id);
      const cases: [string, Record<string, string>, number, string][] = [
        [`/api/documents/${s.document.id}/annotations`, {}, 401, 'unauthorized'],
        ['/api/documents/cmnotadocument00000000000/annotations', cookie, 404, 'not_found'],
        ['/api/documents/%00%F0%9F%92%A9/annotations', cookie, 400, 'bad_request'],
        [`/api/documents/${s.document.id}/annotations?include=everything`, cookie, 400, 'bad_request'],
        [`/api/documents/${s.document.id}/annotations?tag=%00`, cookie, 400, 'bad_request'],
        // Not UTF-8 (a lone surrogate's bytes): decoded as U+FFFD, as URLs are, so it names no revision.
        [`/api/documents/${s.document.id}/annotations?revision=%ED%A0%80`, cookie, 404, 'not_found'],
        [`/api/documents/${s.document.id}/annotations?revision=${'r'.repeat(5000)}`, cookie, 400, 'bad_request'],
      ];
      for (const [p, headers, status, code] of cases) {
        const res = await fetch(base + p, { headers });
        expect([p, res.status, (await res.json()).error?.code]).toEqual([p, status, code]);
        expect(res.headers.get('content-security-policy')).toBe(API_STATIC_HEADERS['Content-Security-Policy']);
      }
    });
  });

  describe('creating a highlight', () => {
    const post = async (path: string, body: string | Uint8Array, headers: Record<string, string>) => {
      const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body as BodyInit });
      return { status: res.status, headers: res.headers, json: await res.json() };
    };

    it('creates it as through Next, by cookie or API token, with the headers Next would give; its event reaches a stream', async () => {
      const { res } = await get(`/api/documents/${s.document.id}/events`, await s.cookie(s.ben.id));
      const r = sseReader(res.body!);
      await r.until((fs) => fs.some((f) => f.event === 'status'));
      const path = `/api/documents/${s.document.id}/annotations`;
      const byCookie = await post(path, JSON.stringify({ tag: 'evidence', target: s.at('artillery') }), { ...(await s.cookie(s.ana.id)), origin: base });
      expect(byCookie.status).toBe(201);
      expect(byCookie.json.annotation).toMatchObject({ tag: 'evidence', author: { id: s.ana.id } });
      for (const [k, v] of Object.entries(API_STATIC_HEADERS)) expect(byCookie.headers.get(k)).toBe(v);
      expect(byCookie.headers.get('cache-control')).toBe('no-store');
      expect(byCookie.headers.get('x-request-id')).toBeTruthy();
      const token = (await createToken(s.ben, 'bench')).token;
      const byToken = await post(path, JSON.stringify({ tag: 'speculation', target: s.at('curly') }), { authorization: `Bearer ${token}` });
      expect(byToken.status).toBe(201);
      expect(byToken.headers.get('ratelimit-limit')).toBeTruthy();
      await r.until((fs) => fs.filter((f) => f.event === 'annotation.created').length === 2);
      expect(await db().annotation.count({ where: { documentId: s.document.id } })).toBe(2);
    });

    it('refuses as through Next: cross-site, signed out, bad JSON or fields, too large, unknown document; nothing is written', async () => {
      const path = `/api/documents/${s.document.id}/annotations`;
      const cookie = await s.cookie(s.ana.id);
      const good = JSON.stringify({ tag: 'evidence', target: s.at('artillery') });
      const cases: [string, string | Uint8Array, Record<string, string>, number, string][] = [
        [path, good, { ...cookie, 'sec-fetch-site': 'cross-site' }, 403, 'forbidden'],
        [path, good, { ...cookie, origin: 'https://evil.example' }, 403, 'forbidden'],
        [path, good, {}, 401, 'unauthorized'],
        [path, '{"tag":', cookie, 400, 'bad_request'],
        [path, good, { ...cookie, 'content-type': 'text/plain' }, 400, 'bad_request'],
        [path, JSON.stringify({ tag: 'evidence\u0000', target: s.at('artillery') }), cookie, 400, 'bad_request'],
        [path, JSON.stringify({ tag: 'evidence', target: s.at('artillery'), comment: { body: doc('\ud800') } }), cookie, 400, 'bad_request'],
        [path, new Uint8Array(2 * 1024 * 1024).fill(32), cookie, 413, 'payload_too_large'],
        ['/api/documents/cmnotadocument00000000000/annotations', good, cookie, 404, 'not_found'],
        ['/api/documents/%00%F0%9F%92%A9/annotations', good, cookie, 400, 'bad_request'],
        ['/api/documents/%F0%9F%92%A9/annotations', good, cookie, 404, 'not_found'],
      ];
      for (const [p, body, headers, status, code] of cases) {
        const res = await post(p, body, headers);
        expect([p, headers, res.status, res.json.error?.code]).toEqual([p, headers, status, code]);
        expect(res.headers.get('content-security-policy')).toBe(API_STATIC_HEADERS['Content-Security-Policy']);
      }
      expect(await db().annotation.count()).toBe(0);
    });

    it('reads a chunked body up to the limit and no further', async () => {
      const path = `/api/documents/${s.document.id}/annotations`;
      const chunks = async function* () {
        for (let i = 0; i < 64; i++) yield new Uint8Array(64 * 1024).fill(32);
      };
      const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(await s.cookie(s.ana.id)) }, body: Readable.toWeb(Readable.from(chunks())) as ReadableStream, duplex: 'half' } as RequestInit);
      expect(res.status).toBe(413);
      expect((await res.json()).error.code).toBe('payload_too_large');
    });
  });

  it('serves the notification stream too', async () => {
    const { res } = await get('/api/notifications/events', await s.cookie(s.ana.id));
    expect(res.status).toBe(200);
    const r = sseReader(res.body!);
    await r.until((fs) => fs.some((f) => f.event === 'notifications'));
    expect(r.frames.find((f) => f.event === 'notifications')?.data).toEqual({ unread: 0 });
  });
});
