/**
 * P5 (docs/benchmarks.md): what a heavily annotated document costs the server against a bare one,
 * in the same run. One `npm start` process on a fresh embedded PostgreSQL in .bench-page/.
 *
 *   npx tsx --conditions=react-server scripts/bench/page-load.ts [--annotations 2000]
 *     [--comments-each 3] [--duration 15] [--connections 8] [--rate 20] [--open-duration 30] [--port 3480]
 *     [--only <regular expression on the targets' names>] [--generator wrk|autocannon]
 *
 * Documents: "heavy" is the default article with N highlights and 3 comments on each (2,000 and
 * 6,000), inserted straight into the database; "bare" is a copy of the same article (its content
 * published as the copy's second revision) with none.
 *
 * A page view is what a browser fetches that the server computes: the HTML of
 * /documents/:id, then every `<link rel="preload" as="fetch">` it names (the threads:
 * `GET …/annotations?v=…`, highlights, counts and links; comments load per thread as threads are
 * shown and are not counted here). The list API is `GET …/annotations` alone, and with
 * `include=comments` (every comment of the document). Every request says `Accept-Encoding: gzip, deflate, br, zstd`,
 * as a browser does, and carries the signed-in session cookie.
 *
 * Per target, two measurements:
 *  - closed loop: wrk (else autocannon; see GENERATOR), `--connections` connections flat out for `--duration` s: views per
 *    second, and the CPU per view of the server process and of PostgreSQL (from /proc);
 *  - open loop: `--rate` views per second for `--open-duration` s, each view's latency from its
 *    scheduled start to the end of its last response (a late start counts): p50 / p95 / p99.
 * The ratio heavy ÷ bare of views per second is the P5 figure (target ≥ 0.8).
 * Then each kind at the same fixed rate on both documents (half the slower one's views/s), whose
 * CPU per view bare ÷ heavy is what a heavy document costs the server at equal load; then the floor
 * for the list API (startFloor): the same two answers from a server doing nothing,
 * which shows how many heavy answers per second the load generator itself can take on this machine.
 * Last, the heavy list's first answer in a fresh process: at the start (its snapshot built from the
 * rows), and after the server is restarted (starting from the snapshot the first process stored).
 */
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { apiUser, firstDocument, sessionCookie, startServer, stopServer, waitHealthy } from '../test/servers';
import { numberArg as arg } from './args';
import { machine, treeCpu } from './proc';
import { pct, rng, seed } from './seed-annotations';

const N = arg('annotations', 2000);
const COMMENTS_EACH = arg('comments-each', 3);
const DURATION = arg('duration', 15);
const CONNECTIONS = arg('connections', 8);
const RATE = arg('rate', 20);
const OPEN_DURATION = arg('open-duration', 30);
const PORT = arg('port', 3480);
const BASE = `http://localhost:${PORT}`;
const ONLY = new RegExp(process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : '');
const DATA_DIR = '.bench-page';
/**
 * The closed loop's load generator: wrk (Debian's package, C, one thread) when it is installed,
 * else autocannon. autocannon, in JavaScript on one of the server's two cores, takes at most ~800
 * heavy list answers/s, which capped the list API's measured ratio whatever the server did; wrk
 * costs a fraction of that per answer. `--generator autocannon` forces the other.
 */
const GENERATOR = process.argv.includes('--generator')
  ? process.argv[process.argv.indexOf('--generator') + 1]
  : spawnSync('wrk', ['--version']).error ? 'autocannon' : 'wrk';
const USER = { email: 'page-bench@example.test', name: 'Page Bench', password: 'bench password' };

interface Target {
  name: string;
  /** The paths one view requests, in order. */
  paths: string[];
}

/** The page's path and the paths of the data it preloads. */
async function pageView(path: string, headers: Record<string, string>): Promise<string[]> {
  const html = await (await fetch(`${BASE}${path}`, { headers })).text();
  const preloads = [...html.matchAll(/<link[^>]*rel="preload"[^>]*>/g)].map((m) => m[0]).filter((l) => /as="fetch"/.test(l));
  return [path, ...preloads.map((l) => /href="([^"]+)"/.exec(l)![1].replace(/&amp;/g, '&'))];
}

/**
 * Closed loop (`viewsPerS` undefined: flat out) or a fixed rate of views per second (the CPU a view
 * costs when both documents are served the same load, below either's saturation: a server that is
 * not saturated, or waits on the load generator, batches less and pays more per request).
 */
async function closedLoop(t: Target, headers: Record<string, string>, cpu: ReturnType<typeof treeCpu>, base = BASE, viewsPerS?: number) {
  const server = (p: { name: string }) => p.name.startsWith('next-server') || p.name === FLOOR_NAME;
  const pg = (p: { name: string }) => p.name.startsWith('postgres');
  const before = { server: cpu(server), pg: cpu(pg) };
  const r = GENERATOR === 'wrk' ? await wrk(t, headers, base, viewsPerS) : await cannon(t, headers, base, viewsPerS);
  const after = { server: cpu(server), pg: cpu(pg) };
  const views = r.requests / t.paths.length;
  return {
    viewsPerS: views / r.seconds,
    errors: r.errors,
    // The server process (scripts/serve.mjs names itself so) and the embedded PostgreSQL, both
    // started by this benchmark's server process.
    serverMs: (after.server - before.server) / views,
    pgMs: (after.pg - before.pg) / views,
    bytesPerView: r.bytes / views,
  };
}

interface Load {
  requests: number;
  seconds: number;
  /** Bytes received, headers included. */
  bytes: number;
  /** Answers other than 2xx, and socket errors. */
  errors: number;
}

async function cannon(t: Target, headers: Record<string, string>, base: string, viewsPerS?: number): Promise<Load> {
  const r = await new Promise<autocannon.Result>((resolve, reject) =>
    autocannon({ url: base, duration: DURATION, connections: CONNECTIONS, headers, ...(viewsPerS ? { overallRate: Math.round(viewsPerS * t.paths.length) } : {}), requests: t.paths.map((path) => ({ method: 'GET', path })) }, (e, res) => (e ? reject(e) : resolve(res))),
  );
  return { requests: r.requests.total, seconds: r.duration, bytes: r.throughput.total, errors: r.non2xx + r.errors };
}

/**
 * wrk, one thread, its connections asking for the view's paths in turn; its Lua `done` prints the
 * totals. At a fixed rate, each request takes the next slot of one schedule (LuaJIT's ffi reads the
 * monotonic clock; wrk's `delay` waits whole ms until the slot), so the rate holds whatever the
 * latency, up to the server's saturation.
 */
async function wrk(t: Target, headers: Record<string, string>, base: string, viewsPerS?: number): Promise<Load> {
  const lua = path.join(mkdtempSync(path.join(tmpdir(), 'bench-wrk-')), 'view.lua');
  const pacing = viewsPerS ? `
    local ffi = require("ffi")
    ffi.cdef[[ typedef struct { long s; long ns; } ts; int clock_gettime(int, ts *); ]]
    local now = ffi.new("ts")
    local function ms() ffi.C.clock_gettime(1, now); return tonumber(now.s) * 1000 + tonumber(now.ns) / 1e6 end
    local interval, nextSlot = ${1000 / (viewsPerS * t.paths.length)}, nil
    delay = function()
      local t = ms()
      nextSlot = math.max((nextSlot or t) + interval, t - 50 * interval)
      return math.max(0, nextSlot - t)
    end` : '';
  writeFileSync(lua, `
    local paths = ${'{'}${t.paths.map((p) => JSON.stringify(p)).join(', ')}${'}'}
    ${Object.entries(headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`).join('\n')}
    local i = 0
    request = function() i = i % #paths + 1; return wrk.format("GET", paths[i]) end${pacing}
    done = function(s)
      local e = s.errors
      io.write(string.format("TOTALS %d %d %d %d\\n", s.requests, s.duration, s.bytes, e.status + e.connect + e.read + e.write + e.timeout))
    end`);
  try {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${DURATION}s`, '--latency', '-s', lua, base], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d));
      child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`))));
    });
    const m = /TOTALS (\d+) (\d+) (\d+) (\d+)/.exec(out);
    if (!m) throw new Error(`wrk printed no totals: ${out}`);
    return { requests: Number(m[1]), seconds: Number(m[2]) / 1e6, bytes: Number(m[3]), errors: Number(m[4]) };
  } finally {
    rmSync(path.dirname(lua), { recursive: true, force: true });
  }
}

const FLOOR_NAME = 'bench-floor';

/**
 * The floor: a bare node:http server (its own process) answering fixed bytes with no work at all,
 * measured with the same load generator in the same run. Given the two list answers exactly as our
 * server sent them (compressed, headers), it shows what sending those bytes costs on this machine, and
 * the views/s the load generator itself can take of each, so the list API's measured ratio can be
 * read against the ratio a server doing nothing would get.
 */
async function startFloor(bodies: Record<string, Buffer>, coding: string): Promise<{ base: string; pid: number; stop: () => void }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-floor-'));
  for (const [name, body] of Object.entries(bodies)) writeFileSync(path.join(dir, name), body);
  const src = `process.title = ${JSON.stringify(FLOOR_NAME)};
    const fs = require('node:fs'), http = require('node:http');
    const bodies = new Map(fs.readdirSync(process.argv[1]).map((n) => ['/' + n, fs.readFileSync(process.argv[1] + '/' + n)]));
    http.createServer((req, res) => {
      const b = bodies.get(req.url);
      res.writeHead(b ? 200 : 404, { 'content-type': 'application/json; charset=utf-8', 'content-encoding': process.env.CODING, 'content-length': b ? b.length : 0, 'cache-control': 'no-store', vary: 'Accept-Encoding' });
      res.end(b);
    }).listen(0, () => console.log(server.address().port));`.replace('http.createServer', 'const server = http.createServer');
  const child = spawn(process.execPath, ['-e', src, dir], { env: { ...process.env, CODING: coding }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
  return { base: `http://localhost:${port}`, pid: child.pid!, stop: () => { child.kill(); rmSync(dir, { recursive: true, force: true }); } };
}

/** A GET's body exactly as sent (undecoded), and its coding. */
function rawBody(path: string, headers: Record<string, string>): Promise<{ body: Buffer; coding: string }> {
  return new Promise((resolve, reject) => {
    http.get(`${BASE}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      const coding = res.headers['content-encoding'];
      res.on('end', () => (coding ? resolve({ body: Buffer.concat(chunks), coding }) : reject(new Error(`${path}: not compressed`))));
    }).on('error', reject);
  });
}

/** One GET on a keep-alive agent, its body read and dropped undecoded (as a browser's network stack on another machine would cost this one nothing). */
function get(agent: http.Agent, path: string, headers: Record<string, string>): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${BASE}${path}`, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
      res.on('error', () => resolve(false));
    });
    req.on('error', () => resolve(false));
  });
}

async function openLoopViews(t: Target, headers: Record<string, string>) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const latencies: number[] = [];
  let failed = 0;
  const total = RATE * OPEN_DURATION;
  const t0 = performance.now();
  const views: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const scheduled = t0 + (i * 1000) / RATE;
    const wait = scheduled - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    views.push((async () => {
      for (const p of t.paths) if (!(await get(agent, p, headers))) failed++;
      latencies.push(performance.now() - scheduled);
    })());
  }
  await Promise.all(views);
  agent.destroy();
  return { p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), failed };
}

/** Wall time of one GET, its body read. */
async function firstAnswer(path: string, headers: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${BASE}${path}`, { headers });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return performance.now() - t0;
}

async function main() {
  rmSync(DATA_DIR, { recursive: true, force: true });
  const serverEnv = { DATA_DIR, AUTH_SECRET: 'bench-secret-bench-secret-bench-secret', LOG_LEVEL: 'error', API_TOKEN_RATE_LIMIT: '100000000' };
  let server = startServer(PORT, serverEnv);
  let sql: postgres.Sql | undefined;
  try {
    await waitHealthy(BASE, 300_000);
    const auth = await apiUser(BASE, USER);
    const cookie = await sessionCookie(BASE, USER);
    const json = { ...auth, 'content-type': 'application/json' };
    const { id: heavyId } = await firstDocument(BASE, auth);
    const res = await fetch(`${BASE}/api/documents`, { method: 'POST', headers: json, body: JSON.stringify({ title: 'Bench: bare copy', format: 'markdown', source: '# Copy' }) });
    const bareId = ((await res.json()) as { document: { id: string } }).document.id;
    const full = (await (await fetch(`${BASE}/api/documents/${heavyId}`, { headers: auth })).json()) as { document: { revision: { content: unknown } } };
    const rev = await fetch(`${BASE}/api/documents/${bareId}/revisions`, { method: 'POST', headers: json, body: JSON.stringify({ content: full.document.revision.content }) });
    if (!rev.ok) throw new Error(`could not copy the article (${rev.status})`);

    sql = postgres(readFileSync(`${DATA_DIR}/database-url`, 'utf8'), { max: 2, onnotice: () => {} });
    const [{ id: authorId }] = await sql<{ id: string }[]>`SELECT id FROM "User" WHERE email = ${USER.email}`;
    const anchored = await seed(sql, heavyId, authorId, rng(1), N, () => COMMENTS_EACH);
    // As a real document's tables would be long after these rows were written (else autovacuum's
    // first pass over them runs during the measurements, counted as PostgreSQL's CPU).
    await sql`VACUUM ANALYZE "Annotation", "Comment", "Event"`;
    const [{ comments }] = await sql<{ comments: number }[]>`SELECT count(*)::int AS comments FROM "Comment" c JOIN "Annotation" a ON a.id = c."annotationId" WHERE a."documentId" = ${heavyId}`;

    // Chromium's own Accept-Encoding.
    const headers = { cookie, 'accept-encoding': 'gzip, deflate, br, zstd' };
    const list = (id: string, include = '') => `/api/documents/${id}/annotations${include}`;
    // The heavy list's first answer in this process: its snapshot is built from the rows.
    const cold = { built: await firstAnswer(list(heavyId), headers), loaded: NaN };
    const targets: Target[] = [
      { name: 'page view, bare', paths: await pageView(`/documents/${bareId}`, headers) },
      { name: 'page view, heavy', paths: await pageView(`/documents/${heavyId}`, headers) },
      { name: 'list API, bare', paths: [list(bareId)] },
      { name: 'list API, heavy', paths: [list(heavyId)] },
      { name: 'list API with every comment, bare', paths: [list(bareId, '?include=comments')] },
      { name: 'list API with every comment, heavy', paths: [list(heavyId, '?include=comments')] },
    ].filter((t) => ONLY.test(t.name));
    // Warm-up: JIT, the snapshots' first build, Next's route compilation caches.
    for (const t of targets) await new Promise((r) => autocannon({ url: BASE, duration: 3, connections: CONNECTIONS, headers, requests: t.paths.map((path) => ({ method: 'GET', path })) }, r));
    const cpu = treeCpu([server.pid!]);
    const rows: { t: Target; closed: Awaited<ReturnType<typeof closedLoop>>; open: Awaited<ReturnType<typeof openLoopViews>> }[] = [];
    for (const t of targets) rows.push({ t, closed: await closedLoop(t, headers, cpu), open: await openLoopViews(t, headers) });
    // The same load on both documents of a kind: half the slower one's closed-loop views/s.
    const kinds = ['page view', 'list API', 'list API with every comment'] as const;
    const equalLoad: { kind: string; viewsPerS: number; bare: Awaited<ReturnType<typeof closedLoop>>; heavy: Awaited<ReturnType<typeof closedLoop>> }[] = [];
    for (const kind of kinds) {
      const [bare, heavy] = ['bare', 'heavy'].map((doc) => rows.find((r) => r.t.name === `${kind}, ${doc}`));
      if (!bare || !heavy) continue;
      const viewsPerS = Math.floor(Math.min(bare.closed.viewsPerS, heavy.closed.viewsPerS) / 2);
      equalLoad.push({ kind, viewsPerS, bare: await closedLoop(bare.t, headers, cpu, BASE, viewsPerS), heavy: await closedLoop(heavy.t, headers, cpu, BASE, viewsPerS) });
    }
    // The floor for the list API: the same two answers, as sent, from a server doing nothing else.
    const [bareAnswer, heavyAnswer] = [await rawBody(list(bareId), headers), await rawBody(list(heavyId), headers)];
    if (bareAnswer.coding !== heavyAnswer.coding) throw new Error('the two list answers came in different codings');
    const floor = await startFloor({ bare: bareAnswer.body, heavy: heavyAnswer.body }, heavyAnswer.coding);
    const floorCpu = treeCpu([floor.pid]);
    const floorRows: { name: string; closed: Awaited<ReturnType<typeof closedLoop>> }[] = [];
    try {
      for (const doc of ['bare', 'heavy']) floorRows.push({ name: doc, closed: await closedLoop({ name: doc, paths: [`/${doc}`] }, headers, floorCpu, floor.base) });
    } finally {
      floor.stop();
    }
    // A second process (this one restarted) has no snapshot in memory: it starts from the row the
    // first one stored (lib/server/snapshots.ts) instead of reading every annotation and comment.
    await stopServer(server);
    server = startServer(PORT, serverEnv);
    await waitHealthy(BASE, 300_000);
    cold.loaded = await firstAnswer(list(heavyId), headers);

    const machineLine = machine();
    const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
    console.log(`\n### ${new Date().toISOString().slice(0, 16).replace('T', ' ')} — ${machineLine}\n`);
    console.log(`Heavy: ${N} highlights (${anchored} anchored), ${comments} comments. Closed loop: ${GENERATOR}, ${CONNECTIONS} connections for ${DURATION} s. Open loop: ${RATE} views/s for ${OPEN_DURATION} s.\n`);
    console.log('| target | requests per view | views/s (closed loop) | server CPU ms / view | PostgreSQL CPU ms / view | kB / view (as sent) | open loop p50 / p95 / p99 ms | errors |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const { t, closed: c, open: o } of rows) {
      console.log(`| ${t.name} | ${t.paths.length} | ${f(c.viewsPerS)} | ${f(c.serverMs, 2)} | ${f(c.pgMs, 2)} | ${f(c.bytesPerView / 1024)} | ${f(o.p50, 0)} / ${f(o.p95, 0)} / ${f(o.p99, 0)} | ${c.errors + o.failed} |`);
    }
    console.log(`\nThe floor (the two list answers, as sent, from a bare node:http server in its own process; same load generator, same run):\n`);
    console.log('| list answer | views/s (closed loop) | server CPU ms / view | kB / view |');
    console.log('|---|---|---|---|');
    for (const { name, closed: c } of floorRows) console.log(`| ${name} | ${f(c.viewsPerS)} | ${f(c.serverMs, 3)} | ${f(c.bytesPerView / 1024)} |`);
    const [floorBare, floorHeavy] = floorRows.map((r) => r.closed);
    console.log(`\nFloor heavy ÷ bare: views/s ${f(floorHeavy.viewsPerS / floorBare.viewsPerS, 3)}; the heavy answer's bytes cost ${f(floorHeavy.serverMs - floorBare.serverMs, 3)} ms more to send. The load generator takes at most ${f(floorHeavy.viewsPerS)} heavy answers/s, so the list API's measured ratio here cannot exceed ${f(floorHeavy.viewsPerS / (rows.find((r) => r.t.name === 'list API, bare')?.closed.viewsPerS ?? NaN), 2)} whatever the server does.`);
    // Heavy ÷ bare of one kind of request ('n/a' when --only left one of them out).
    const row = (kind: string, doc: string) => rows.find((r) => r.t.name === `${kind}, ${doc}`)?.closed;
    const ratio = (kind: string) => f((row(kind, 'heavy')?.viewsPerS ?? NaN) / (row(kind, 'bare')?.viewsPerS ?? NaN), 2);
    const cpuPerView = (kind: string, doc: string) => (row(kind, doc)?.serverMs ?? NaN) + (row(kind, doc)?.pgMs ?? NaN);
    const capacity = (kind: string) => f(cpuPerView(kind, 'bare') / cpuPerView(kind, 'heavy'), 2);
    console.log('\nThe same load on both (half the slower one\'s closed-loop views/s, for `--duration` s): server + PostgreSQL CPU ms per view.\n');
    console.log('| kind | views/s | bare: server / PostgreSQL | heavy: server / PostgreSQL | bare ÷ heavy |');
    console.log('|---|---|---|---|---|');
    for (const e of equalLoad) console.log(`| ${e.kind} | ${e.viewsPerS} | ${f(e.bare.serverMs, 2)} / ${f(e.bare.pgMs, 2)} | ${f(e.heavy.serverMs, 2)} / ${f(e.heavy.pgMs, 2)} | **${f((e.bare.serverMs + e.bare.pgMs) / (e.heavy.serverMs + e.heavy.pgMs), 2)}** |`);
    console.log(`\nThe heavy list's first answer in a fresh process (wall time, ms): ${f(cold.built, 0)} building its snapshot from the rows, ${f(cold.loaded, 0)} in a restarted process starting from the stored snapshot.`);
    console.log(`\nRatio heavy ÷ bare, views/s measured: ${kinds.map((k) => `${k} ${ratio(k)}`).join(', ')} (target ≥ 0.8).`);
    console.log(`Ratio of server + PostgreSQL CPU per view, bare ÷ heavy (the views/s ratio of a CPU-bound server): ${kinds.map((k) => `${k} ${capacity(k)}`).join(', ')}.`);
    console.log(`\n${JSON.stringify({ bench: 'P5', generator: GENERATOR, date: new Date().toISOString(), machine: machineLine, n: N, anchored, comments, cold, rows: rows.map((r) => ({ name: r.t.name, paths: r.t.paths.length, ...r.closed, ...r.open })), floor: floorRows, equalLoad })}`);
  } finally {
    await sql?.end().catch(() => {});
    await stopServer(server);
    rmSync(DATA_DIR, { recursive: true, force: true });
  }
}

await main();
