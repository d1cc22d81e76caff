/**
 * CPU time of a process tree from /proc (Linux), for benchmarks that charge a request's cost to
 * the server and to PostgreSQL: utime + stime of the root and all its descendants, by name. By
 * tree, not by name alone: other servers and databases on a shared machine are not counted.
 */
import { readFileSync, readdirSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

interface Proc { pid: number; ppid: number; name: string; ms: number }

function processes(): Proc[] | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const out: Proc[] = [];
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.push({ pid: Number(pid), ppid: Number(fields[1]), name, ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS });
  }
  return out;
}

/**
 * CPU milliseconds by pid of `root` and its descendants; null off Linux. Compare two readings
 * per pid (cpuSpent): a process that ended between them is left out of both.
 */
export function treeCpu(root: number): Map<number, { name: string; ms: number }> | null {
  const all = processes();
  if (!all) return null;
  const children = new Map<number, Proc[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out = new Map<number, { name: string; ms: number }>();
  const self = all.find((p) => p.pid === root);
  const todo = self ? [self] : [];
  while (todo.length) {
    const p = todo.pop()!;
    out.set(p.pid, { name: p.name, ms: p.ms });
    todo.push(...(children.get(p.pid) ?? []));
  }
  return out;
}

/**
 * CPU ms spent between two readings by the processes of the tree whose name starts with
 * `prefix` (the kernel truncates names: "next-server (m"); NaN off Linux. Processes that started
 * meanwhile count from zero.
 */
export function cpuSpent(before: ReturnType<typeof treeCpu>, after: ReturnType<typeof treeCpu>, prefix: string): number {
  if (!before || !after) return NaN;
  let ms = 0;
  for (const [pid, p] of after) if (p.name.startsWith(prefix)) ms += p.ms - (before.get(pid)?.ms ?? 0);
  return ms;
}
