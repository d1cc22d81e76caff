/**
 * P1 + P2 (docs/benchmarks.md): create-annotation latency under load, and commit -> receipt
 * latency of live events for SSE subscribers spread over two server processes, in one run;
 * plus the raw floor (a plain INSERT of the same row shape through postgres.js, no HTTP).
 *
 *   npx tsx scripts/bench/live-load.ts [--duration 60] [--rate 200] [--connections 50] [--subscribers 100] [--warmup 10] [--port 3401]
 *
 * --port: the first server's port (the second is the next one); any other than the default also
 * gets its own data directory, so two benchmarks can run side by side.
 *
 * Runs on a fresh embedded PostgreSQL in .bench-data/ with two `next start` processes (the app
 * must build; scripts/start.ts does that when needed). Loopback only; bounded in time.
 * Prints a Markdown table to paste into docs/benchmarks.md.
 */
import postgres from 'postgres';
import { apiUser, firstDocument } from '../test/servers';
import { numberArg } from './args';
import { openLoop } from './open-loop';
import { fmt, machine, pct } from './proc';
import { highlightBody, startReaders, startTwoServers } from './two-servers';

const arg = numberArg;
const DURATION = arg('duration', 60);
const RATE = arg('rate', 200);
const CONNECTIONS = arg('connections', 50);
const SUBSCRIBERS = arg('subscribers', 100);
/** Seconds of load at the same rate before measuring, so JIT compilation and cold caches of freshly started processes are not measured. */
const WARMUP = arg('warmup', 10);
const PORT = arg('port', 3401);
const PORTS: [number, number] = [PORT, PORT + 1];
const DATA_DIR = PORT === 3401 ? '.bench-data' : `.bench-data-${PORT}`;
async function main() {
  const servers = await startTwoServers(PORTS, DATA_DIR, {
    DB_POOL_SIZE: '20',
    // Every reader is the one bench user; the default of 10 streams per user would refuse the rest.
    STREAMS_PER_USER: String(SUBSCRIBERS),
    // One token drives the whole load: lift its per-minute limit (throttling is not what is measured).
    API_TOKEN_RATE_LIMIT: '100000000',
  });
  const dbUrl = servers.databaseUrl;
  try {
    const base = `http://localhost:${PORTS[0]}`;

    // A user and an API token.
    const json = { 'content-type': 'application/json' };
    const auth = await apiUser(base, { email: 'bench@example.test', name: 'Bench', password: 'bench password' });
    const { id: docId, text } = await firstDocument(base, auth);

    // P2 subscribers, half on each process. Latency = receipt - the event's createdAt (its
    // transaction's start time, so this over-estimates commit -> receipt by the transaction time).
    const sqlStart = postgres(dbUrl, { max: 1 });
    const [{ max }] = await sqlStart<{ max: string }[]>`SELECT coalesce(max(id), 0)::text AS max FROM "Event"`;
    await sqlStart.end();
    const { worker: readers, message } = startReaders({
      urls: Array.from({ length: SUBSCRIBERS }, (_, i) => `http://localhost:${PORTS[i % 2]}/api/documents/${docId}/events?after=${max}`),
      authorization: auth.authorization,
    });
    if (SUBSCRIBERS) await message('ready');
    await new Promise((r) => setTimeout(r, 2000));

    // P1: create-annotation load.
    const body = highlightBody(text);
    const sql = postgres(dbUrl, { max: 1 });
    // Waits (up to 30 s) until every reader has every annotation created so far.
    const drain = async () => {
      const expected = Number((await sql<{ n: string }[]>`SELECT count(*)::text AS n FROM "Annotation"`)[0].n) * SUBSCRIBERS;
      const until = Date.now() + 30_000;
      while (Date.now() < until) {
        readers.postMessage({ type: 'report' });
        const { seen } = (await message('report')) as { seen: number[] };
        if (seen.reduce((a, b) => a + b, 0) >= expected) return;
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    // P1 load goes to both processes in turn, as a load balancer would spread it, at a steady
    // rate (open loop, see open-loop.ts for why not autocannon's rate limit).
    const load = (durationS: number) => openLoop({
      urls: PORTS.map((port) => `http://localhost:${port}/api/documents/${docId}/annotations`),
      method: 'POST',
      headers: { ...json, ...auth },
      rate: RATE,
      durationS,
      connections: CONNECTIONS,
      body,
    });
    if (WARMUP > 0) {
      await load(WARMUP);
      await drain();
      readers.postMessage({ type: 'reset' });
    }
    const p1Run = await load(DURATION);
    const p1Latencies = p1Run.latencies;
    const p1 = { total: p1Run.sent, rate: p1Run.achieved, errors: p1Run.errors, non2xx: p1Run.non2xx, lag: p1Run.maxSchedulerLagMs };
    // Let the backlog drain, then collect what every reader received.
    const created = (await sql<{ id: string }[]>`SELECT id FROM "Annotation"`).map((r) => r.id);
    await drain();
    readers.postMessage({ type: 'stop' });
    const done = (await message('done')) as { latencies: number[]; seen: string[][]; duplicates: number };
    await readers.terminate();
    const latencies = done.latencies;
    const duplicates = done.duplicates;
    const createdIds = new Set(created);
    const gaps = done.seen.reduce((n, ids) => n + created.length - new Set(ids.filter((id) => createdIds.has(id))).size, 0);
    if (gaps && process.env.BENCH_DEBUG) done.seen.forEach((ids, i) => console.error(`subscriber ${i}: ${created.length - new Set(ids).size} missing`));

    // The floor: the same row shape through postgres.js at the same concurrency and rate, no HTTP.
    const [{ revisionId, authorId }] = await sql<{ revisionId: string; authorId: string }[]>`SELECT "revisionId", "authorId" FROM "Annotation" LIMIT 1`;
    const floor: number[] = [];
    const floorPool = postgres(dbUrl, { max: CONNECTIONS });
    const floorEnd = Date.now() + Math.min(DURATION, 20) * 1000;
    const interval = 1000 / RATE;
    let next = Date.now();
    const inflight: Promise<void>[] = [];
    while (Date.now() < floorEnd) {
      next += interval;
      const t0 = performance.now();
      inflight.push(
        floorPool`INSERT INTO "Annotation" (id, "documentId", "revisionId", "authorId", tag, exact, prefix, suffix, start, "end", "updatedAt")
                  VALUES (${`floor${crypto.randomUUID()}`}, ${docId}, ${revisionId}, ${authorId}, 'evidence', ${'x'.repeat(24)}, ${'p'.repeat(32)}, ${'s'.repeat(32)}, 1, 25, now())`.then(() => {
          floor.push(performance.now() - t0);
        }),
      );
      const wait = next - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await Promise.all(inflight);
    await floorPool.end();
    await sql.end();

    console.log(`\n### ${new Date().toISOString().slice(0, 10)} — ${machine()}\n`);
    console.log(`Run: ${DURATION} s after ${WARMUP} s of warm-up at the same rate, ${CONNECTIONS} connections, target ${RATE} req/s, ${SUBSCRIBERS} SSE subscribers over 2 processes.\n`);
    console.log('| measure | p50 ms | p95 ms | p99 ms | other |');
    console.log('|---|---|---|---|---|');
    console.log(`| P1 create annotation (HTTP, 2 processes) | ${fmt(pct(p1Latencies, 50))} | ${fmt(pct(p1Latencies, 95))} | ${fmt(pct(p1Latencies, 99))} | ${p1.total} requests, ${p1.rate.toFixed(0)} req/s, ${p1.errors} errors (incl. timeouts), ${p1.non2xx} non-2xx; generator lag ≤ ${p1.lag.toFixed(0)} ms |`);
    console.log(`| P2 transaction start → SSE receipt | ${fmt(pct(latencies, 50))} | ${fmt(pct(latencies, 95))} | ${fmt(pct(latencies, 99))} | ${latencies.length} receipts, ${created.length} events × ${SUBSCRIBERS} subscribers, ${gaps} missing after draining, ${duplicates} duplicates |`);
    console.log(`| floor: INSERT via postgres.js | ${fmt(pct(floor, 50))} | ${fmt(pct(floor, 95))} | ${fmt(pct(floor, 99))} | ${floor.length} inserts |`);
    console.log(`\nRatio app/floor: p50 ${fmt(pct(p1Latencies, 50) / pct(floor, 50))}×, p95 ${fmt(pct(p1Latencies, 95) / pct(floor, 95))}×`);
  } finally {
    await servers.stop();
  }
}

await main();
