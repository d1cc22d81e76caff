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
 * (the P1 request). The last line is P1b: the create's CPU (server + PostgreSQL) divided by
the health check's, both from this run. CPU is read from /proc (Linux), summed over processes by name (`next-server`,
 * `postgres`), so it includes their helper threads (GC, libuv); the load generator is this process.
 * Runs on a fresh embedded PostgreSQL in .bench-ceiling/; prints a Markdown table.
 */
import autocannon from 'autocannon';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import postgres from 'postgres';
import { cpus, totalmem } from 'node:os';
import { apiUser, firstDocument, startServer, stopServer, waitHealthy } from '../test/servers';
import { numberArg } from './args';

const DURATION = numberArg('duration', 20);
const CONNECTIONS = numberArg('connections', 10);
const PORT = numberArg('port', 3460);
const DATA_DIR = '.bench-ceiling';
const TICK_MS = 10; // USER_HZ is 100 on Linux
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;

/**
 * CPU milliseconds by process name over `root` and its descendants (the server and the embedded
 * PostgreSQL this script started, not other servers on the machine), from /proc/<pid>/stat
 * (utime + stime); null off Linux.
 */
function cpuByName(root: number): Map<string, number> | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const procs = new Map<number, { ppid: number; name: string; ms: number }>();
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    procs.set(Number(pid), { ppid: Number(fields[1]), name, ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS });
  }
  const mine = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; hops++) {
      if (p === root) return true;
      p = procs.get(p)?.ppid ?? 0;
    }
    return false;
  };
  const out = new Map<string, number>();
  for (const [pid, { name, ms }] of procs) if (mine(pid)) out.set(name, (out.get(name) ?? 0) + ms);
  return out;
}

interface Phase {
  key: string;
  name: string;
  opts: autocannon.Options;
}

interface Measured {
  row: string;
  /** Server + PostgreSQL CPU ms per request (what P1b compares). */
  serverAndPg: number;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/**
 * Committed transactions in the database so far. A busy backend reports its counts at most once
 * a second and an idle one within 10 s (PGSTAT_IDLE_INTERVAL), so this waits 11 s first.
 */
async function commits(sql: postgres.Sql): Promise<number> {
  await new Promise((r) => setTimeout(r, 11_000));
  return Number((await sql<{ n: string }[]>`SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()`)[0].n);
}

async function measure(p: Phase, root: number, sql: postgres.Sql, xactsBefore: number): Promise<Measured & { xactsAfter: number }> {
  const before = cpuByName(root);
  const self = process.cpuUsage();
  // Every response's own time (autocannon's summary has no p95).
  const times: number[] = [];
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon({ duration: DURATION, connections: CONNECTIONS, ...p.opts }, (e, res) => (e ? reject(e) : resolve(res)));
    run.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  });
  const after = cpuByName(root);
  const mine = process.cpuUsage(self);
  const xactsAfter = await commits(sql);
  const xacts = xactsAfter - xactsBefore - 1; // minus this connection's own read
  const n = r.requests.total;
  // Process names are truncated by the kernel ("next-server (v1"), so match on the prefix.
  const sum = (m: Map<string, number>, prefix: string) => [...m].reduce((t, [k, v]) => (k.startsWith(prefix) ? t + v : t), 0);
  const per = (name: string) => (before && after ? (sum(after, name) - sum(before, name)) / n : NaN);
  const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
  const server = per('next-server');
  const pg = per('postgres');
  const gen = (mine.user + mine.system) / 1000 / n;
  times.sort((a, b) => a - b);
  const lat = [50, 95, 99].map((q) => pct(times, q).toFixed(0)).join(' / ');
  const row = `| ${p.name} | ${r.requests.average.toFixed(0)} | ${lat} | ${r.non2xx + r.errors} | ${fmt(server)} | ${fmt(pg)} | ${fmt(gen)} | ${fmt(server + pg + gen)} | ${(xacts / r.requests.total).toFixed(2)} |`;
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
    const phases = ONLY ? all.filter((p) => p.key === ONLY) : all;
    const sql = postgres(readFileSync(`${DATA_DIR}/database-url`, 'utf8'), { max: 1 });
    // A short warm-up of every route first, so JIT compilation is not charged to the first phase.
    for (const p of phases) await new Promise((r) => autocannon({ ...p.opts, duration: 3, connections: CONNECTIONS }, r));
    const rows: Measured[] = [];
    let xacts = await commits(sql);
    for (const p of phases) {
      const m = await measure(p, proc.pid!, sql, xacts);
      xacts = m.xactsAfter;
      rows.push(m);
    }
    await sql.end();
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
    console.log(`\n### ${new Date().toISOString().slice(0, 10)} — ${machine}\n`);
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
