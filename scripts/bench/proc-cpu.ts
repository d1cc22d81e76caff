/**
 * CPU time by process name from /proc (Linux), for benchmarks that charge a request's cost to
 * the server and to PostgreSQL: utime + stime of every process, summed by name.
 */
import { readFileSync, readdirSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU milliseconds by process name, from /proc/<pid>/stat (utime + stime); null off Linux. */
export function cpuByName(): Map<string, number> | null {
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

/**
 * CPU ms spent between two readings by processes whose name starts with `prefix` (the kernel
 * truncates names: "next-server (v1"); NaN off Linux.
 */
export function cpuSpent(before: Map<string, number> | null, after: Map<string, number> | null, prefix: string): number {
  if (!before || !after) return NaN;
  const sum = (m: Map<string, number>) => [...m].reduce((t, [k, v]) => (k.startsWith(prefix) ? t + v : t), 0);
  return sum(after) - sum(before);
}
