/**
 * What benchmarks read about processes (Linux /proc; empty or NaN elsewhere): CPU time of a
 * process tree, resident memory, and a process's V8 heap (through its inspector).
 * Plus the percentiles and the machine line every benchmark prints.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

const TICK_MS = 10; // USER_HZ is 100 on Linux

export const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
export const machine = () => `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;

export interface ProcStat {
  pid: number;
  ppid: number;
  /** As the kernel shows it, truncated to 15 characters ("next-server (v1"). */
  name: string;
  /** utime + stime. */
  cpuMs: number;
}

function stats(): ProcStat[] | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const out: ProcStat[] = [];
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.push({ pid: Number(pid), ppid: Number(fields[1]), name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS });
  }
  return out;
}

/**
 * The processes under the given roots (the roots included), each with its CPU time so far: a
 * benchmark's own servers and database, not other programs of the same name on a shared machine.
 */
export function tree(roots: number[]): ProcStat[] {
  const all = stats() ?? [];
  const byParent = new Map<number, ProcStat[]>();
  for (const s of all) byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), s]);
  const out: ProcStat[] = all.filter((s) => roots.includes(s.pid));
  for (let i = 0; i < out.length; i++) out.push(...(byParent.get(out[i].pid) ?? []));
  return out;
}

/**
 * CPU time of a process tree so far, processes that have ended included (a PostgreSQL backend
 * that exits takes its CPU time out of /proc with it): call it again and again.
 */
export function treeCpu(roots: number[]): (select: (p: ProcStat) => boolean) => number {
  const last = new Map<number, ProcStat>();
  return (select) => {
    for (const p of tree(roots)) last.set(p.pid, p);
    let ms = 0;
    for (const p of last.values()) if (select(p)) ms += p.cpuMs;
    return ms;
  };
}

/** The whole machine's CPU so far (/proc/stat), in ms summed over cores: busy, and in all. */
export function machineCpu(): { busyMs: number; totalMs: number } {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = ticks[3] + ticks[4]; // idle + iowait
    return { busyMs: (total - idle) * TICK_MS, totalMs: total * TICK_MS };
  } catch {
    return { busyMs: NaN, totalMs: NaN };
  }
}

/** Resident memory of a process in bytes (VmRSS), NaN when unknown. */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

export interface HeapUsage {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/**
 * A Node process's memory after a full garbage collection, read through its inspector (SIGUSR1
 * opens it on 127.0.0.1:9229; heap-usage.mjs closes it again). One process at a time; null when
 * the inspector could not be reached or answered for another process.
 */
export function heapUsage(pid: number): HeapUsage | null {
  try {
    const out = execFileSync(process.execPath, ['--experimental-websocket', new URL('./heap-usage.mjs', import.meta.url).pathname, String(pid)], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'ignore'] });
    const r = JSON.parse(out) as HeapUsage & { pid: number };
    return r.pid === pid ? r : null;
  } catch {
    return null;
  }
}
