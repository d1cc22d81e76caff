/**
 * Where the CPU of one request goes (docs/benchmarks.md, "P1 ceiling"): one `npm start` process
 * driven flat out (no rate limit) by autocannon, per route, with the CPU time that the server
 * process, PostgreSQL and the load generator each spent per request.
 *
 *   npx tsx scripts/bench/ceiling.ts [--duration 20] [--connections 10] [--port 3460]
 *
 * --only <health|me|create>: run one route alone (with BENCH_PROF=<dir>, a V8 CPU profile of
 * the server is written when it stops, scripts/start.ts CPU_PROFILE_DIR: profile one route so).
 * The "PostgreSQL xacts" column counts committed transactions per request (pg_stat_database):
 * every statement outside an explicit transaction is one, so it counts the round trips.
 *
 * Routes: GET /api/health (the cheapest route there is: Next's pipeline, our route wrapper and
 * `SELECT 1`), GET /api/me (plus the bearer-token lookup), and POST /api/documents/:id/annotations
 * (the P1 request); then floors, statements sent from this process through postgres.js with no
 * HTTP and no server: `SELECT 1`, and the create's writes step by step (the annotation row, the
 * event row, NOTIFY, the event-order lock), for what PostgreSQL itself needs. The last line is
 * P1b: the create's CPU (server + PostgreSQL) divided by the health check's, both from this run.
 * CPU is read from /proc (Linux) for this server's process tree (scripts/bench/proc.ts), by name
 * (`next-server`, `postgres`), so it includes helper threads (GC, libuv) and PostgreSQL backends
 * that ended; the load generator is this process.
 * Runs on a fresh embedded PostgreSQL in .bench-ceiling/; prints a Markdown table.
 */
import autocannon from 'autocannon';
import { readFileSync, rmSync } from 'node:fs';
import postgres from 'postgres';
import { randomUUID } from 'node:crypto';
import { ADVISORY_LOCKS } from '../../lib/server/advisory-locks';
import { apiUser, firstDocument, startServer, stopServer, waitHealthy } from '../test/servers';
import { numberArg } from './args';
import { machine, pct, treeCpu } from './proc';

const DURATION = numberArg('duration', 20);
const CONNECTIONS = numberArg('connections', 10);
const PORT = numberArg('port', 3460);
const DATA_DIR = '.bench-ceiling';
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;

interface Phase {
  key: string;
  name: string;
  /** An HTTP route driven by autocannon, or `statement`: a statement run from here, no HTTP. */
  opts?: autocannon.Options;
  statement?: (db: postgres.Sql) => Promise<unknown>;
}

/** CONNECTIONS closed loops running `statement` on a pool of as many connections, for DURATION. */
async function runStatements(pool: postgres.Sql, statement: (db: postgres.Sql) => Promise<unknown>, durationS: number, times: number[]) {
  const until = Date.now() + durationS * 1000;
  let errors = 0;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (Date.now() < until) {
      const t0 = performance.now();
      await statement(pool).catch(() => errors++);
      times.push(performance.now() - t0);
    }
  }));
  return { total: times.length, average: times.length / durationS, errors };
}

interface Measured {
  row: string;
  /** Server + PostgreSQL CPU ms per request (what P1b compares). */
  serverAndPg: number;
}

/**
 * Committed transactions in the database so far. A busy backend reports its counts at most once
 * a second and an idle one within 10 s (PGSTAT_IDLE_INTERVAL), so this waits 11 s first.
 */
async function commits(sql: postgres.Sql): Promise<number> {
  await new Promise((r) => setTimeout(r, 11_000));
  return Number((await sql<{ n: string }[]>`SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()`)[0].n);
}

type Cpu = ReturnType<typeof treeCpu>;
// Process names are truncated by the kernel ("next-server (ma"), so match on the prefix.
const cpuOf = (cpu: Cpu) => ({ server: cpu((p) => p.name.startsWith('next-server')), pg: cpu((p) => p.name.startsWith('postgres')) });

async function measure(p: Phase, cpu: Cpu, sql: postgres.Sql, url: string, xactsBefore: number): Promise<Measured & { xactsAfter: number }> {
  const before = cpuOf(cpu);
  const self = process.cpuUsage();
  // Every response's own time (autocannon's summary has no p95).
  const times: number[] = [];
  // Ended after the CPU is read: an exiting backend takes its CPU time out of /proc with it.
  const pool = postgres(url, { max: CONNECTIONS, onnotice: () => {} });
  const r = p.statement
    ? await runStatements(pool, p.statement, DURATION, times)
    : await new Promise<{ total: number; average: number; errors: number }>((resolve, reject) => {
      const run = autocannon({ duration: DURATION, connections: CONNECTIONS, ...p.opts! }, (e, res) =>
        e ? reject(e) : resolve({ total: res.requests.total, average: res.requests.average, errors: res.non2xx + res.errors }));
      run.on('response', (_client, _status, _bytes, ms) => times.push(ms));
    });
  const after = cpuOf(cpu);
  const mine = process.cpuUsage(self);
  await pool.end();
  const xactsAfter = await commits(sql);
  const xacts = xactsAfter - xactsBefore - 1; // minus this connection's own read
  const n = r.total;
  const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
  const server = (after.server - before.server) / n;
  const pg = (after.pg - before.pg) / n;
  const gen = (mine.user + mine.system) / 1000 / n;
  const lat = [50, 95, 99].map((q) => pct(times, q).toFixed(0)).join(' / ');
  const row = `| ${p.name} | ${r.average.toFixed(0)} | ${lat} | ${r.errors} | ${p.statement ? '–' : fmt(server)} | ${fmt(pg)} | ${fmt(gen)} | ${fmt((p.statement ? 0 : server) + pg + gen)} | ${(xacts / n).toFixed(2)} |`;
  return { row, serverAndPg: server + pg, xactsAfter };
}

async function main() {
  rmSync(DATA_DIR, { recursive: true, force: true });
  const proc = startServer(PORT, { DATA_DIR, AUTH_SECRET: 'bench-secret-bench-secret-bench-secret', LOG_LEVEL: 'error', DB_POOL_SIZE: '20', API_TOKEN_RATE_LIMIT: '100000000',
    ...(process.env.BENCH_PROF ? { CPU_PROFILE_DIR: process.env.BENCH_PROF } : {}),
  });
  const base = `http://localhost:${PORT}`;
  try {
    await waitHealthy(base, 240_000);
    const auth = await apiUser(base, { email: 'ceiling@example.test', name: 'Ceiling', password: 'bench password' });
    const { id: docId, text } = await firstDocument(base, auth);
    const body = () => {
      const start = Math.floor(Math.random() * (text.length - 40));
      return JSON.stringify({ tag: 'evidence', target: { quote: { exact: text.slice(start, start + 24) }, position: { start, end: start + 24 } } });
    };
    const all: Phase[] = [
      { key: 'health', name: 'GET /api/health', opts: { url: `${base}/api/health` } },
      { key: 'me', name: 'GET /api/me', opts: { url: `${base}/api/me`, headers: auth } },
      {
        key: 'create',
        name: 'POST …/annotations',
        opts: {
          url: `${base}/api/documents/${docId}/annotations`, method: 'POST', headers: { 'content-type': 'application/json', ...auth },
          requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: body() }) }],
        },
      },
    ];
    const url = readFileSync(`${DATA_DIR}/database-url`, 'utf8');
    const sql = postgres(url, { max: 1 });
    // Floors: what PostgreSQL itself needs (no HTTP, no server), from this process through
    // postgres.js, prepared: the reference query, and the create's writes without the app.
    const [{ revisionId, authorId }] = await sql<{ revisionId: string; authorId: string }[]>`
      SELECT d."currentRevisionId" AS "revisionId", u.id AS "authorId" FROM "Document" d, "User" u WHERE d.id = ${docId} LIMIT 1`;
    const row = () => [`floor${randomUUID()}`, docId, revisionId, authorId, 'x'.repeat(24), 'p'.repeat(32), 's'.repeat(32)];
    all.push(
      { key: 'floor-select', name: 'floor: `SELECT 1` (postgres.js, no HTTP)', statement: (db) => db`SELECT 1` },
      {
        key: 'floor-insert', name: 'floor: `INSERT` of the annotation row alone',
        statement: (db) => db.unsafe(`INSERT INTO "Annotation" (id, "documentId", "revisionId", "authorId", tag, exact, prefix, suffix, start, "end", "updatedAt")
          VALUES ($1, $2, $3, $4, 'evidence', $5, $6, $7, 1, 25, now())`, row(), { prepare: true }),
      },
      {
        key: 'floor-event-bare', name: 'floor: the row + event row (no lock, no `NOTIFY`)',
        statement: (db) => db.unsafe(`WITH a AS (INSERT INTO "Annotation" (id, "documentId", "revisionId", "authorId", tag, exact, prefix, suffix, start, "end", "updatedAt")
            VALUES ($1, $2, $3, $4, 'evidence', $5, $6, $7, 1, 25, now()) RETURNING id)
          INSERT INTO "Event" ("documentId", type, "actorId", "resourceId", payload) SELECT $2, 'annotation.created', $4, a.id, $8::text::jsonb FROM a`,
        [...row(), JSON.stringify({ id: 'x'.repeat(25), text: 'y'.repeat(500) })], { prepare: true }),
      },
      {
        key: 'floor-event-notify', name: 'floor: the row + event row + `NOTIFY` (no lock)',
        statement: (db) => db.unsafe(`WITH a AS (INSERT INTO "Annotation" (id, "documentId", "revisionId", "authorId", tag, exact, prefix, suffix, start, "end", "updatedAt")
            VALUES ($1, $2, $3, $4, 'evidence', $5, $6, $7, 1, 25, now()) RETURNING id),
          e AS (INSERT INTO "Event" ("documentId", type, "actorId", "resourceId", payload) SELECT $2, 'annotation.created', $4, a.id, $8::text::jsonb FROM a RETURNING id)
          SELECT pg_notify('doc_events_floor', id::text) FROM e`,
        [...row(), JSON.stringify({ id: 'x'.repeat(25), text: 'y'.repeat(500) })], { prepare: true }),
      },
      {
        key: 'floor-event', name: 'floor: the row + ordered event + `NOTIFY`, one statement (the create\'s writes)',
        statement: (db) => db.unsafe(`WITH a AS (INSERT INTO "Annotation" (id, "documentId", "revisionId", "authorId", tag, exact, prefix, suffix, start, "end", "updatedAt")
            VALUES ($1, $2, $3, $4, 'evidence', $5, $6, $7, 1, 25, now()) RETURNING id),
          l AS (SELECT pg_advisory_xact_lock(${ADVISORY_LOCKS.eventOrder}) FROM a),
          e AS (INSERT INTO "Event" ("documentId", type, "actorId", "resourceId", payload) SELECT $2, 'annotation.created', $4, a.id, $8::text::jsonb FROM l, a RETURNING id)
          SELECT pg_notify('doc_events', id::text) FROM e`, [...row(), JSON.stringify({ id: 'x'.repeat(25), text: 'y'.repeat(500) })], { prepare: true }),
      },
      {
        key: 'floor-guard', name: 'floor: the same + the document row `FOR SHARE` (the revision guard)',
        statement: (db) => db.unsafe(`WITH d AS (SELECT id FROM "Document" WHERE id = $2 AND "currentRevisionId" = $3 AND "deletedAt" IS NULL FOR SHARE),
          a AS (INSERT INTO "Annotation" (id, "documentId", "revisionId", "authorId", tag, exact, prefix, suffix, start, "end", "updatedAt")
            SELECT $1, $2, $3, $4, 'evidence', $5, $6, $7, 1, 25, now() FROM d RETURNING id),
          l AS (SELECT pg_advisory_xact_lock(${ADVISORY_LOCKS.eventOrder}) FROM a),
          e AS (INSERT INTO "Event" ("documentId", type, "actorId", "resourceId", payload) SELECT $2, 'annotation.created', $4, a.id, $8::text::jsonb FROM l, a RETURNING id)
          SELECT pg_notify('doc_events', id::text) FROM e`, [...row(), JSON.stringify({ id: 'x'.repeat(25), text: 'y'.repeat(500) })], { prepare: true }),
      },
    );
    const phases = ONLY ? all.filter((p) => p.key === ONLY) : all;
    // A short warm-up of every route first, so JIT compilation is not charged to the first phase.
    for (const p of phases) {
      if (p.statement) {
        const pool = postgres(url, { max: CONNECTIONS, onnotice: () => {} });
        await runStatements(pool, p.statement, 3, []);
        await pool.end();
      }
      else await new Promise((r) => autocannon({ ...p.opts!, duration: 3, connections: CONNECTIONS }, r));
    }
    const rows: Measured[] = [];
    const cpu = treeCpu([proc.pid!]);
    let xacts = await commits(sql);
    for (const p of phases) {
      const m = await measure(p, cpu, sql, url, xacts);
      xacts = m.xactsAfter;
      rows.push(m);
    }
    await sql.end();
    console.log(`\n### ${new Date().toISOString().slice(0, 10)} — ${machine()}\n`);
    console.log(`One server process, ${CONNECTIONS} connections, no rate limit, ${DURATION} s per route. CPU in ms per request.\n`);
    console.log('| route | req/s | p50 / p95 / p99 ms | errors | server CPU | PostgreSQL CPU | load generator CPU | total CPU | PostgreSQL xacts |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    rows.forEach((r) => console.log(r.row));
    const health = rows[phases.findIndex((p) => p.key === 'health')];
    const create = rows[phases.findIndex((p) => p.key === 'create')];
    if (health && create) console.log(`\nP1b: create ÷ health, server + PostgreSQL CPU = ${create.serverAndPg.toFixed(2)} / ${health.serverAndPg.toFixed(2)} = **${(create.serverAndPg / health.serverAndPg).toFixed(2)}** (target ≤ 1.5)`);
  } finally {
    await stopServer(proc);
    rmSync(DATA_DIR, { recursive: true, force: true });
  }
}

await main();
