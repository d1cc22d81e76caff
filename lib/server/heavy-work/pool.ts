import 'server-only';
/**
 * Heavy work off the request thread: parsing an import into article JSON and re-anchoring a
 * publish's annotations run in a small pool of worker threads (./worker.mjs running ./tasks.ts),
 * each task under a time budget. The parsers and the re-anchoring are linear or bounded on their
 * own (docs/architecture.md, "Nothing unbounded on the request path"); the budget is the wall
 * behind them: a task still running after it is stopped (the thread terminated and replaced) and
 * answered 422 `unprocessable`, and the request thread, which only posts and awaits, keeps serving
 * everyone else meanwhile.
 *
 * POOL_SIZE threads at most, started on first use and reused; a crashed or terminated one is
 * dropped and a new one started for the next task; tasks beyond the pool wait in order. A thread's
 * start-up (loading the parsers, ~0.5 s) does not count against a task's budget. Threads are
 * unref'd, so an idle pool never keeps a process alive.
 *
 * The entry is located on disk from the working directory (the project root under `npm start`,
 * `npm run dev` and Vitest) and loaded by Node itself, not bundled: Turbopack only bundles
 * `new Worker(new URL(literal, import.meta.url))`, and a bundled entry could not load the
 * TypeScript tasks through tsx.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '@/lib/domain/errors';
import type { HeavyResult, HeavyTask } from './tasks';

export const POOL_SIZE = 2;
/** Seconds a task may run before it is stopped and answered 422. */
export const DEFAULT_BUDGET_MS = 10_000;

const ENTRY = ['lib', 'server', 'heavy-work', 'worker.mjs'];

const settings = { budgetMs: DEFAULT_BUDGET_MS };

/** Changes the time budget (tests use a short one to reach the 422 without a slow input). */
export function configureHeavyWork(options: { budgetMs?: number }): void {
  if (options.budgetMs !== undefined) settings.budgetMs = options.budgetMs;
}

type Reply = { ready: true } | { id: number; ok: true; result: unknown } | { id: number; ok: false; error: { code?: ErrorCode; message: string; details?: unknown } };

interface Job {
  task: HeavyTask;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  job: Job | null;
  /** Ends the current job (the worker replied, crashed or ran out of time). */
  settle: ((reply: Reply | Error) => void) | null;
  gone: boolean;
}

const slots: Slot[] = [];
const queue: Job[] = [];
let nextId = 1;

function tooComplex(task: HeavyTask): AppError {
  const seconds = Math.round(settings.budgetMs / 100) / 10;
  const message =
    task.kind === 'reanchor'
      ? `Re-anchoring the highlights onto this revision did not finish within ${seconds} s`
      : `The document is too complex to import within ${seconds} s; simplify or split it`;
  return new AppError('unprocessable', message, { reason: 'too_complex', budgetSeconds: seconds });
}

function spawn(): Slot {
  // Found at run time, not traced or bundled by Turbopack (it would trace the whole project).
  const entry = path.join(/* turbopackIgnore: true */ process.cwd(), ...ENTRY);
  const worker = new Worker(/* turbopackIgnore: true */ entry, { resourceLimits: { maxOldGenerationSizeMb: 2048 } });
  worker.unref();
  let readyResolve!: () => void;
  let readyReject!: (e: unknown) => void;
  const slot: Slot = {
    worker,
    ready: new Promise<void>((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    }),
    job: null,
    settle: null,
    gone: false,
  };
  slot.ready.catch(() => {}); // a failed start is reported to the job that waits for it
  const drop = () => {
    if (slot.gone) return;
    slot.gone = true;
    slots.splice(slots.indexOf(slot), 1);
  };
  worker.on('message', (reply: Reply) => {
    if ('ready' in reply) readyResolve();
    else slot.settle?.(reply);
  });
  worker.on('error', (e) => {
    readyReject(e);
    drop();
    slot.settle?.(e);
  });
  worker.on('exit', () => {
    readyReject(new Error('heavy-work thread exited during start-up'));
    drop();
    slot.settle?.(new Error('heavy-work thread exited'));
    pump();
  });
  return slot;
}

function run(slot: Slot, job: Job) {
  slot.job = job;
  const id = nextId++;
  let timer: NodeJS.Timeout | undefined;
  const finish = (outcome: () => void) => {
    if (slot.job !== job) return;
    clearTimeout(timer);
    slot.job = null;
    slot.settle = null;
    outcome();
    pump();
  };
  slot.settle = (reply) => {
    if (reply instanceof Error) {
      const oom = (reply as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      return finish(() => job.reject(oom ? tooComplex(job.task) : reply));
    }
    if ('ready' in reply || reply.id !== id) return;
    if (reply.ok) return finish(() => job.resolve(reply.result));
    const { code, message, details } = reply.error;
    finish(() => job.reject(code ? new AppError(code, message, details) : new Error(message)));
  };
  slot.ready.then(
    () => {
      if (slot.job !== job) return;
      timer = setTimeout(() => {
        // Out of the pool first, so the next job gets a fresh thread and never this one.
        slot.gone = true;
        slots.splice(slots.indexOf(slot), 1);
        void slot.worker.terminate();
        finish(() => job.reject(tooComplex(job.task)));
      }, settings.budgetMs);
      try {
        slot.worker.postMessage({ id, task: job.task });
      } catch (e) {
        // The task could not be copied to the thread (e.g. nested too deeply to clone).
        finish(() => job.reject(e));
      }
    },
    (e: unknown) => finish(() => job.reject(e)),
  );
}

function pump() {
  while (queue.length) {
    let slot = slots.find((s) => !s.job && !s.gone);
    if (!slot) {
      if (slots.length >= POOL_SIZE) return;
      slot = spawn();
      slots.push(slot);
    }
    run(slot, queue.shift()!);
  }
}

/**
 * Tasks that may wait for a thread. Each may take up to the budget, so beyond this a caller would
 * wait minutes: it is told to come back instead (503 with Retry-After), and the queue's memory
 * (each task holds its source) stays bounded.
 */
export const MAX_WAITING = 8;

/** Runs `task` in the pool; rejects with 422 `unprocessable` when it exceeds the time budget. */
export function runHeavy<T extends HeavyTask>(task: T): Promise<HeavyResult<T>> {
  if (queue.length >= MAX_WAITING) {
    return Promise.reject(new AppError('unavailable', 'The server is busy with other imports; try again shortly', { reason: 'busy' }, { 'Retry-After': '5' }));
  }
  return new Promise<unknown>((resolve, reject) => {
    queue.push({ task, resolve, reject });
    pump();
  }) as Promise<HeavyResult<T>>;
}

/** Stops every thread (tests; a later task starts new ones). */
export async function stopHeavyWork(): Promise<void> {
  const all = slots.splice(0);
  for (const s of all) s.gone = true;
  await Promise.all(all.map((s) => s.worker.terminate()));
}
