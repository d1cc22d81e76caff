/**
 * Where the CPU of one request goes (docs/benchmarks.md, "P1 ceiling"): one `npm start` process
 * driven flat out (no rate limit) by autocannon, per route, with the CPU time that the server
 * process, PostgreSQL and the load generator each spent per request.
 *
 *   npx tsx scripts/bench/ceiling.ts [--duration 20] [--connections 10]
 *
 * Routes: GET /api/health (the cheapest route there is: Next's pipeline, our route wrapper and
 * `SELECT 1`), GET /api/me (plus the bearer-token lookup), and POST /api/documents/:id/annotations
 * (the P1 request). CPU is read from /proc (Linux), summed over processes by name (`next-server`,
 * `postgres`), so it includes their helper threads (GC, libuv); the load generator is this process.
 * Runs on a fresh embedded PostgreSQL in .bench-ceiling/; prints a Markdown table.
 */
import autocannon from 'autocannon';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { apiUser, firstDocument, startServer, stopServer, waitHealthy } from '../test/servers';
import { numberArg } from './args';

const DURATION = numberArg('duration', 20);
const CONNECTIONS = numberArg('connections', 10);
const PORT = 3460;
const DATA_DIR = '.bench-ceiling';
const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU milliseconds by process name, from /proc/<pid>/stat (utime + stime); null off Linux. */
function cpuByName(): Map<string, number> | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const out = new Map<string, number>();
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    out.set(name, (out.get(name) ?? 0) + ms);
  }
  return out;
}

interface Phase {
  name: string;
  opts: autocannon.Options;
}

async function measure(p: Phase) {
  const before = cpuByName();
  const self = process.cpuUsage();
  const r = await new Promise<autocannon.Result>((resolve, reject) =>
    autocannon({ duration: DURATION, connections: CONNECTIONS, ...p.opts }, (e, res) => (e ? reject(e) : resolve(res))),
  );
  const after = cpuByName();
  const mine = process.cpuUsage(self);
  const n = r.requests.total;
  // Process names are truncated by the kernel ("next-server (v1"), so match on the prefix.
  const sum = (m: Map<string, number>, prefix: string) => [...m].reduce((t, [k, v]) => (k.startsWith(prefix) ? t + v : t), 0);
  const per = (name: string) => (before && after ? (sum(after, name) - sum(before, name)) / n : NaN);
  const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
  const server = per('next-server');
  const pg = per('postgres');
  const gen = (mine.user + mine.system) / 1000 / n;
  return `| ${p.name} | ${r.requests.average.toFixed(0)} | ${r.latency.p50} / ${r.latency.p99} | ${r.non2xx + r.errors} | ${fmt(server)} | ${fmt(pg)} | ${fmt(gen)} | ${fmt(server + pg + gen)} |`;
}

async function main() {
  rmSync(DATA_DIR, { recursive: true, force: true });
  const proc = startServer(PORT, { DATA_DIR, AUTH_SECRET: 'bench-secret-bench-secret-bench-secret', LOG_LEVEL: 'error', DB_POOL_SIZE: '20', API_TOKEN_RATE_LIMIT: '100000000' });
  const base = `http://localhost:${PORT}`;
  try {
    await waitHealthy(base, 240_000);
    const auth = await apiUser(base, { email: 'ceiling@example.test', name: 'Ceiling', password: 'bench password' });
    const { id: docId, text } = await firstDocument(base, auth);
    const body = () => {
      const start = Math.floor(Math.random() * (text.length - 40));
      return JSON.stringify({ tag: 'evidence', target: { quote: { exact: text.slice(start, start + 24) }, position: { start, end: start + 24 } } });
    };
    const phases: Phase[] = [
      { name: 'GET /api/health', opts: { url: `${base}/api/health` } },
      { name: 'GET /api/me', opts: { url: `${base}/api/me`, headers: auth } },
      {
        name: 'POST …/annotations',
        opts: {
          url: `${base}/api/documents/${docId}/annotations`, method: 'POST', headers: { 'content-type': 'application/json', ...auth },
          requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: body() }) }],
        },
      },
    ];
    // A short warm-up of every route first, so JIT compilation is not charged to the first phase.
    for (const p of phases) await new Promise((r) => autocannon({ ...p.opts, duration: 3, connections: CONNECTIONS }, r));
    const rows = [];
    for (const p of phases) rows.push(await measure(p));
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
    console.log(`\n### ${new Date().toISOString().slice(0, 10)} — ${machine}\n`);
    console.log(`One server process, ${CONNECTIONS} connections, no rate limit, ${DURATION} s per route. CPU in ms per request.\n`);
    console.log('| route | req/s | p50 / p99 ms | errors | server CPU | PostgreSQL CPU | load generator CPU | total CPU |');
    console.log('|---|---|---|---|---|---|---|---|');
    rows.forEach((r) => console.log(r));
  } finally {
    await stopServer(proc);
    rmSync(DATA_DIR, { recursive: true, force: true });
  }
}

await main();
