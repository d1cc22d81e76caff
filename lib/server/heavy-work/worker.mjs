/**
 * Entry of the heavy-work thread (see ./pool.ts). Plain JavaScript on purpose: the pool starts it
 * by its path on disk, so it runs the same under `next start`, `next dev` and Vitest, outside any
 * bundle. tsx (a dependency) loads the TypeScript tasks, with the project's tsconfig paths.
 */
import { fileURLToPath } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const tsconfig = fileURLToPath(new URL('../../../tsconfig.json', import.meta.url));
const { runTask } = await tsImport('./tasks.ts', { parentURL: import.meta.url, tsconfig });

parentPort.on('message', (message) => {
  try {
    parentPort.postMessage({ id: message.id, ok: true, result: runTask(message.task) });
  } catch (e) {
    // AppErrors (400, 413…) cross the thread as data and are rebuilt by the pool; anything else is internal.
    const error = e && e.name === 'AppError' ? { code: e.code, message: e.message, details: e.details } : { message: e instanceof Error ? e.message : String(e) };
    parentPort.postMessage({ id: message.id, ok: false, error });
  }
});
parentPort.postMessage({ ready: true });
