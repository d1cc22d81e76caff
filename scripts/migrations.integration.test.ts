/**
 * The committed migrations and prisma/schema.prisma must describe the same database. The
 * integration database was built by applying the migrations (scripts/migrate.ts); a second one
 * is built from the schema alone by Prisma's engine; their catalogs must be identical.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { inject, describe, expect, it } from 'vitest';
import { listMigrations } from './migrate';
import { diffDatamodels } from './schema-engine';

const root = path.resolve(import.meta.dirname, '..');
const schema = readFileSync(path.join(root, 'prisma/schema.prisma'), 'utf8');

async function catalog(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const columns = await sql`
      SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
      ORDER BY table_name, column_name`;
    const indexes = await sql`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`;
    const constraints = await sql`
      SELECT conname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
      JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' AND conrelid::regclass::text <> '_prisma_migrations'
      ORDER BY conname`;
    const enums = await sql`
      SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels FROM pg_type t
      JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY t.typname`;
    return JSON.parse(JSON.stringify({ columns, indexes, constraints, enums }));
  } finally {
    await sql.end();
  }
}

describe('migrations', () => {
  it('are recorded like prisma migrate deploy does', async () => {
    const sql = postgres(inject('databaseUrl'), { max: 1 });
    const rows = await sql`SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`;
    await sql.end();
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(listMigrations().map((m) => [m.name, m.checksum]));
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it('match prisma/schema.prisma (no drift)', async () => {
    const url = inject('databaseUrl');
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    const name = `drift_${process.pid}_${Date.now()}`;
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const fresh = url.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
    try {
      const fromSchema = await diffDatamodels(fresh, null, schema);
      const target = postgres(fresh, { max: 1, onnotice: () => {} });
      await target.unsafe(fromSchema);
      await target.end();
      expect(await catalog(url)).toEqual(await catalog(fresh));
    } finally {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }, 60_000);

  it('keep the schema snapshot used to generate the next migration in step', () => {
    const snapshot = readFileSync(path.join(root, 'prisma/migrations/schema.snapshot.prisma'), 'utf8');
    expect(snapshot, 'run `npm run db:migration -- <name>` after changing prisma/schema.prisma').toBe(schema);
  });
});
