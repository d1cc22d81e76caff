/**
 * P7, a briefing (docs/benchmarks.md): 2,000 readers of one document over two server processes.
 *
 *   npx tsx scripts/bench/briefing.ts [--readers 2000] [--join 30] [--rate 10] [--duration 60]
 *
 * Fresh embedded PostgreSQL in .bench-briefing/, two `npm start` processes on 3471 and 3472 with
 * the product's default limits (nothing lifted). Every reader is its own user with its own API
 * token (written straight into the database: signing 2,000 people up through the API would
 * measure sign-up), as in a real briefing; readers alternate between the processes.
 *
 * Phase 1, the join storm: the readers join over --join seconds. CPU of the servers, PostgreSQL
 * and this process (the readers' worker included) is read from /proc when 25 %, 50 % and 100 % of
 * them are live, so CPU per joining reader can be compared between the segments (it stays flat if
 * joining is linear in readers). Presence frames are counted at the readers, during the storm and
 * for 10 s of quiet afterwards. Memory of each server (RSS, and the V8 heap after a full GC,
 * through the inspector) before the storm, with every reader open, and after they all left.
 *
 * Phase 2: --rate creates/s through the API (alternating processes) for --duration seconds; each
 * reader records event createdAt → receipt; afterwards, missing and duplicate events per reader.
 */
import postgres from 'postgres';
import { apiUser, firstDocument } from '../test/servers';
import { numberArg } from './args';
import { openLoop } from './open-loop';
import { fmt, heapUsage, machine, machineCpu, pct, rssBytes, tree, treeCpu, type HeapUsage } from './proc';
import { highlightBody, startReaders, startTwoServers } from './two-servers';

const READERS = numberArg('readers', 2000);
const JOIN_S = numberArg('join', 30);
const RATE = numberArg('rate', 10);
const DURATION = numberArg('duration', 60);
const QUIET_S = 10;
const PORTS: [number, number] = [3471, 3472];
const DATA_DIR = '.bench-briefing';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

interface PresenceReport {
  frames: number;
  maxFrames: number;
  meanPerSecond: number;
  maxPerSecond: number;
  lowestCount: number;
  highestCount: number;
}
interface Report {
  seen: number[];
  live: number;
  presence: PresenceReport;
}

async function main() {
  const servers = await startTwoServers(PORTS, DATA_DIR);
  try {
    const roots = servers.procs.map((p) => p.pid!);
    // The Next process of each server: the child of its `npm start` that is not PostgreSQL.
    const nextPid = (root: number) => tree([root]).find((p) => p.pid !== root && p.ppid === root && !p.name.startsWith('postgres'))?.pid ?? NaN;
    const serverPids = roots.map(nextPid);
    /** CPU ms so far: servers (every process of theirs but PostgreSQL), PostgreSQL, this process. */
    const cpuOf = treeCpu(roots);
    const cpu = () => {
      const self = process.cpuUsage();
      return {
        at: performance.now(), server: cpuOf((p) => !p.name.startsWith('postgres')), pg: cpuOf((p) => p.name.startsWith('postgres')),
        generator: (self.user + self.system) / 1000, machine: machineCpu(),
      };
    };
    /** The whole machine's busy share between two readings (other programs included), %. */
    const busy = (a: Cpu, b: Cpu) => ((b.machine.busyMs - a.machine.busyMs) / (b.machine.totalMs - a.machine.totalMs)) * 100;
    type Cpu = ReturnType<typeof cpu>;
    const memory = () => serverPids.map((pid) => heapUsage(pid) ?? ({ rss: rssBytes(pid), heapTotal: NaN, heapUsed: NaN, external: NaN, arrayBuffers: NaN } satisfies HeapUsage));

    const base = `http://localhost:${PORTS[0]}`;
    const auth = await apiUser(base, { email: 'briefer@example.test', name: 'Briefer', password: 'bench password' });
    const { id: docId, text } = await firstDocument(base, auth);
    const sql = postgres(servers.databaseUrl, { max: 1 });
    await sql`
      INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt")
      SELECT 'reader-' || i, 'reader' || i || '@example.test', 'Reader ' || lpad(i::text, 4, '0'), 'not a password hash', now()
      FROM generate_series(1, ${READERS}::int) i`;
    await sql`
      INSERT INTO "ApiToken" (id, "userId", name, "tokenHash")
      SELECT 'reader-token-' || i, 'reader-' || i, 'briefing', encode(sha256(('mgl_reader_' || i)::bytea), 'hex')
      FROM generate_series(1, ${READERS}::int) i`;
    const [{ max }] = await sql<{ max: string }[]>`SELECT coalesce(max(id), 0)::text AS max FROM "Event"`;
    const url = (i: number) => `http://localhost:${PORTS[i % 2]}/api/documents/${docId}/events?after=${max}`;

    // Warm-up: the stream route compiled and its modules loaded, so the memory before the storm
    // does not count them. 10 streams on each process (the briefer's limit per process).
    const warm = startReaders({ urls: Array.from({ length: 20 }, (_, i) => url(i)), authorization: auth.authorization });
    await warm.message('ready');
    warm.worker.postMessage({ type: 'stop' });
    await warm.message('done');
    await warm.worker.terminate();
    await sleep(3000);
    const memBefore = memory();

    // Phase 1: the join storm.
    const milestones = [READERS / 4, READERS / 2, READERS].map(Math.round);
    const marks: (Cpu & { live: number })[] = [{ ...cpu(), live: 0 }];
    const readers = startReaders({
      urls: Array.from({ length: READERS }, (_, i) => url(i)),
      authorizations: Array.from({ length: READERS }, (_, i) => `Bearer mgl_reader_${i + 1}`),
      spreadMs: JOIN_S * 1000,
      milestones,
    });
    readers.worker.on('message', (m: { type: string; live?: number }) => {
      if (m.type === 'live') marks.push({ ...cpu(), live: m.live! });
    });
    const report = async () => {
      readers.worker.postMessage({ type: 'report' });
      return readers.message<Report>('report');
    };
    const { failed } = await readers.message<{ failed: (number | string)[] }>('ready');
    const joinDeadline = Date.now() + (JOIN_S + 120) * 1000;
    let r = await report();
    while (r.live < READERS - failed.length && Date.now() < joinDeadline) {
      await sleep(250);
      r = await report();
    }
    // Everybody is in the count everywhere (presence is announced at most once a second).
    const settleBy = Date.now() + 15_000;
    while ((r.presence.lowestCount < READERS - failed.length) && Date.now() < settleBy) {
      await sleep(250);
      r = await report();
    }
    const stormEnd = { ...cpu(), live: r.live };
    const stormPresence = r.presence;
    const stormSeconds = (stormEnd.at - marks[0].at) / 1000;

    // Quiet: everybody present, nothing happening.
    readers.worker.postMessage({ type: 'reset' });
    const quiet0 = cpu();
    await sleep(QUIET_S * 1000);
    const quiet1 = cpu();
    const quietPresence = (await report()).presence;
    const memOpen = memory();

    // Phase 2: events.
    readers.worker.postMessage({ type: 'reset' });
    const load0 = cpu();
    const load = await openLoop({
      urls: PORTS.map((port) => `http://localhost:${port}/api/documents/${docId}/annotations`),
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      rate: RATE,
      durationS: DURATION,
      connections: 4,
      body: highlightBody(text),
    });
    const load1 = cpu();
    const created = (await sql<{ id: string }[]>`SELECT id FROM "Annotation"`).map((x) => x.id);
    const drainBy = Date.now() + 30_000;
    while (Date.now() < drainBy) {
      const { seen } = await report();
      if (seen.reduce((a, b) => a + b, 0) >= created.length * (READERS - failed.length)) break;
      await sleep(250);
    }
    readers.worker.postMessage({ type: 'stop' });
    const done = await readers.message<{ latencies: number[]; seen: string[][]; duplicates: number; presence: PresenceReport; spread: [number, number][] }>('done');
    await readers.worker.terminate();
    const createdIds = new Set(created);
    const missing = done.seen.reduce((n, ids) => n + created.length - new Set(ids.filter((id) => createdIds.has(id))).size, 0);
    const lat = done.latencies;
    // Every stream gone: what stays behind.
    await sleep(3000);
    const memAfter = memory();
    await sql.end();

    // The report.
    const perProcess = [Math.ceil(READERS / 2), Math.floor(READERS / 2)];
    console.log(`\n### ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${machine()}\n`);
    console.log(`${READERS} readers (one user and API token each) over 2 processes, joining over ${JOIN_S} s; then ${RATE} creates/s for ${DURATION} s. Default limits.\n`);
    console.log(`**Join storm**: ${r.live} of ${READERS} live after ${fmt(stormSeconds)} s, ${failed.length} refused or failed${failed.length ? ` (${[...new Set(failed)].join(', ')})` : ''}; every reader's last presence said ${stormPresence.lowestCount}–${stormPresence.highestCount} people.\n`);
    console.log('| readers live | CPU ms per joining reader: servers | PostgreSQL | generator | total | servers + PostgreSQL, % of one core | machine busy (all programs) |');
    console.log('|---|---|---|---|---|---|---|');
    const segments = [...marks, stormEnd];
    for (let i = 1; i < segments.length; i++) {
      const a = segments[i - 1];
      const b = segments[i];
      const n = b.live - a.live;
      if (n <= 0) continue;
      const d = (k: 'server' | 'pg' | 'generator') => (b[k] - a[k]) / n;
      const share = ((b.server - a.server + b.pg - a.pg) / (b.at - a.at)) * 100;
      console.log(`| ${a.live} → ${b.live} | ${fmt(d('server'), 2)} | ${fmt(d('pg'), 2)} | ${fmt(d('generator'), 2)} | ${fmt(d('server') + d('pg') + d('generator'), 2)} | ${fmt(share, 0)} % | ${fmt(busy(a, b), 0)} % |`);
    }
    console.log(`\n**Presence frames** at the readers during the storm: ${stormPresence.frames} in all (${fmt(stormPresence.frames / READERS)} per reader, at most ${stormPresence.maxFrames} for one), each reader's first frame (who is there as it joins) aside, ${fmt(stormPresence.meanPerSecond, 2)} broadcasts per reader per second on average, at most ${fmt(stormPresence.maxPerSecond, 2)} (readers live ≥ 5 s). `
      + `Quiet ${QUIET_S} s afterwards: ${quietPresence.frames} frames (${fmt(quietPresence.meanPerSecond, 3)}/reader/s); CPU ${fmt((quiet1.server - quiet0.server) / QUIET_S / 10, 1)} % of a core for the servers, ${fmt((quiet1.pg - quiet0.pg) / QUIET_S / 10, 1)} % for PostgreSQL.\n`);
    console.log('| memory (per server process) | before | with the readers open | after they left | per open stream |');
    console.log('|---|---|---|---|---|');
    for (let i = 0; i < 2; i++) {
      for (const k of ['rss', 'heapUsed', 'external'] as const) {
        console.log(`| process ${i + 1} ${k} (MiB) | ${mb(memBefore[i][k])} | ${mb(memOpen[i][k])} | ${mb(memAfter[i][k])} | ${kb((memOpen[i][k] - memBefore[i][k]) / perProcess[i])} kB |`);
      }
    }
    console.log(`\n**Delivery** (${created.length} events × ${READERS - failed.length} readers; load ${load.ok} ok, ${load.non2xx} non-2xx${load.non2xx ? ` ${JSON.stringify(load.failures)}` : ''}, ${load.errors} errors, create p50/p95/p99 ${fmt(pct(load.latencies, 50))} / ${fmt(pct(load.latencies, 95))} / ${fmt(pct(load.latencies, 99))} ms):\n`);
    console.log('| measure | p50 ms | p95 ms | p99 ms | receipts | missing | duplicates |');
    console.log('|---|---|---|---|---|---|---|');
    console.log(`| createdAt → SSE receipt | ${fmt(pct(lat, 50))} | ${fmt(pct(lat, 95))} | ${fmt(pct(lat, 99))} | ${lat.length} | ${missing} | ${done.duplicates} |`);
    // Where the time goes: before the first reader has an event (commit, notify, the hub's read),
    // and from the first reader to the last (the fan-out, and the readers' own worker).
    const first = done.spread.map(([f]) => f);
    const spread = done.spread.map(([f, l]) => l - f);
    console.log(`| … to the event's first receipt | ${fmt(pct(first, 50))} | ${fmt(pct(first, 95))} | ${fmt(pct(first, 99))} | ${first.length} events | | |`);
    console.log(`| first → last receipt of an event | ${fmt(pct(spread, 50))} | ${fmt(pct(spread, 95))} | ${fmt(pct(spread, 99))} | | | |`);
    const secs = (load1.at - load0.at) / 1000;
    console.log(`\nCPU during the events: servers ${fmt((load1.server - load0.server) / secs / 10, 0)} %, PostgreSQL ${fmt((load1.pg - load0.pg) / secs / 10, 0)} %, generator and readers ${fmt((load1.generator - load0.generator) / secs / 10, 0)} % of one core; the machine (every program on it) was ${fmt(busy(load0, load1), 0)} % busy. Presence frames meanwhile: ${fmt(done.presence.meanPerSecond, 3)}/reader/s.`);
  } finally {
    await servers.stop();
  }
}

await main();
