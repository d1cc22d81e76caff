/**
 * Applies the committed migrations in prisma/migrations, recording each in `_prisma_migrations`
 * exactly as `prisma migrate deploy` does (same table, sha256 checksum of migration.sql), so
 * either tool can take over a database from the other. Runs under an advisory lock, so several
 * processes starting at once apply each migration once.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { ADVISORY_LOCKS } from '../lib/server/advisory-locks';

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '..', 'prisma', 'migrations');
const LOCK_ID = ADVISORY_LOCKS.migrations;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export async function migrate(databaseUrl: string, log: (m: string) => void = () => {}): Promise<string[]> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const applied: string[] = [];
  try {
    await sql`SELECT pg_advisory_lock(${LOCK_ID})`;
    await sql`
      CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum"            VARCHAR(64) NOT NULL,
        "finished_at"         TIMESTAMPTZ,
        "migration_name"      VARCHAR(255) NOT NULL,
        "logs"                TEXT,
        "rolled_back_at"      TIMESTAMPTZ,
        "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0
      )`;
    const rows = await sql<{ migration_name: string; checksum: string; finished_at: Date | null }[]>`
      SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`;
    const done = new Map(rows.map((r) => [r.migration_name, r]));
    for (const m of listMigrations()) {
      const prior = done.get(m.name);
      if (prior?.finished_at) {
        if (prior.checksum !== m.checksum) log(`warning: migration ${m.name} was modified after it was applied`);
        continue;
      }
      if (prior) throw new Error(`migration ${m.name} failed earlier and needs manual attention`);
      const id = randomUUID();
      await sql.begin(async (tx) => {
        await tx`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
                 VALUES (${id}, ${m.checksum}, ${m.name}, now(), 0)`;
        await tx.unsafe(m.sql);
        await tx`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = ${id}`;
      });
      applied.push(m.name);
      log(`applied migration ${m.name}`);
    }
  } finally {
    await sql`SELECT pg_advisory_unlock(${LOCK_ID})`.catch(() => {});
    await sql.end();
  }
  return applied;
}
