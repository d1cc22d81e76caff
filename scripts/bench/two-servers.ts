/**
 * What the multi-process benchmarks (live-load.ts, briefing.ts) share: two `npm start` processes
 * on one fresh embedded PostgreSQL (the first owns it), the body of a random highlight, and the
 * SSE readers' worker (sse-subscribers.mjs) with a way to wait for its messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { startServer, stopServer, waitHealthy } from '../test/servers';

export const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret';

export interface TwoServers {
  procs: ChildProcess[];
  databaseUrl: string;
  /** Stops both (the joining process first: the first one owns the database) and removes the data. */
  stop(): Promise<void>;
}

/**
 * Starts the two processes on `ports` with their data in `dataDir` (emptied first) and `env`
 * added to the defaults (BENCH_LOG_LEVEL shows their output; BENCH_PROF=<dir> writes V8 CPU
 * profiles of them when they stop; BENCH_BUILD_LOCK, see withBuildLock).
 */
/**
 * Holds the file lock BENCH_BUILD_LOCK (flock(1)) while `fn` runs, when that variable is set: on
 * a machine whose working tree others build too, `npm start` building a stale app must not run
 * alongside their builds. Released as soon as the servers are up, not for the whole benchmark.
 */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = process.env.BENCH_BUILD_LOCK;
  if (!lock) return fn();
  const holder = spawn('flock', [lock, 'sh', '-c', 'echo locked; read _'], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    holder.stdout.once('data', () => resolve());
    holder.once('exit', () => reject(new Error(`could not take ${lock}`)));
  });
  try {
    return await fn();
  } finally {
    holder.stdin.end();
  }
}

export async function startTwoServers(ports: [number, number], dataDir: string, env: Record<string, string> = {}): Promise<TwoServers> {
  rmSync(dataDir, { recursive: true, force: true });
  const serverEnv = (databaseUrl?: string) => ({
    DATA_DIR: dataDir, AUTH_SECRET: BENCH_SECRET, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error',
    ...env,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(process.env.BENCH_PROF ? { CPU_PROFILE_DIR: process.env.BENCH_PROF } : {}),
  });
  const start = (port: number, databaseUrl?: string) => startServer(port, serverEnv(databaseUrl), { stdout: !!process.env.BENCH_LOG_LEVEL });
  const procs: ChildProcess[] = [];
  const stop = async () => {
    for (const p of [...procs].reverse()) await stopServer(p);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    return await withBuildLock(async () => {
      procs.push(start(ports[0]));
      await waitHealthy(`http://localhost:${ports[0]}`, 240_000);
      const databaseUrl = readFileSync(`${dataDir}/database-url`, 'utf8');
      procs.push(start(ports[1], databaseUrl));
      await waitHealthy(`http://localhost:${ports[1]}`, 240_000);
      return { procs, databaseUrl, stop };
    });
  } catch (e) {
    await stop();
    throw e;
  }
}

/** A create-highlight body: a random 24-character quote of the article. */
export const highlightBody = (text: string) => () => {
  const start = Math.floor(Math.random() * (text.length - 40));
  return JSON.stringify({ tag: 'evidence', target: { quote: { exact: text.slice(start, start + 24) }, position: { start, end: start + 24 } } });
};

export interface Readers {
  worker: Worker;
  /** The next message of this type from the worker. */
  message<T = Record<string, unknown>>(type: string): Promise<T>;
}

/** Starts the SSE readers' worker (see sse-subscribers.mjs for its data and messages). */
export function startReaders(workerData: Record<string, unknown>): Readers {
  const worker = new Worker(new URL('./sse-subscribers.mjs', import.meta.url), { workerData });
  const message = <T>(type: string) => new Promise<T>((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type !== type) return;
      worker.off('message', on);
      resolve(m as T);
    };
    worker.on('message', on);
  });
  return { worker, message };
}
