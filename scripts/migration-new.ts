/**
 * `npm run db:migration -- <name>`: generates the next migration from prisma/schema.prisma.
 *
 * The SQL comes from Prisma's own schema engine (WebAssembly build, see schema-engine.ts) diffing
 * the schema as of the last migration (prisma/migrations/schema.snapshot.prisma) against the
 * current one. The snapshot is updated with it. A throw-away embedded database serves the engine.
 */
import { mkdirSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedDb } from './embedded-db';
import { diffDatamodels } from './schema-engine';

const root = path.resolve(import.meta.dirname, '..');
const snapshotFile = path.join(root, 'prisma', 'migrations', 'schema.snapshot.prisma');
const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]/gi, '_').toLowerCase();
if (!name) {
  console.error('usage: npm run db:migration -- <name>');
  process.exit(2);
}
const current = readFileSync(path.join(root, 'prisma', 'schema.prisma'), 'utf8');
const previous = existsSync(snapshotFile) ? readFileSync(snapshotFile, 'utf8') : null;
const dataDir = path.join(tmpdir(), `marginalia-migration-${process.pid}`);
const db = await startEmbeddedDb({ dataDir });
try {
  const sql = await diffDatamodels(db.url, previous, current);
  if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
    console.log('schema unchanged: no migration written');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(root, 'prisma', 'migrations', `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'migration.sql'), sql);
    writeFileSync(snapshotFile, current);
    console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
  }
} finally {
  await db.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
