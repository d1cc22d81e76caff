import 'server-only';
import { PrismaPg } from '@prisma/adapter-pg';
import postgres from 'postgres';
import { PrismaClient, type Prisma as P } from '@/generated/prisma/client';
import { env } from './env';
import { bounded, pgClient } from './pg-client';

export type { Prisma } from '@/generated/prisma/client';
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

// One client per process, kept across hot reloads in development.
const holder = globalThis as unknown as { __marginaliaDb?: PrismaClient; __marginaliaHot?: postgres.Sql };

export function db(): PrismaClient {
  holder.__marginaliaDb ??= new PrismaClient({
    adapter: new PrismaPg({ connectionString: env.databaseUrl(), max: env.dbPoolSize(), connectionTimeoutMillis: 3000 }),
  });
  return holder.__marginaliaDb;
}

/**
 * The hot path's single statements (the bearer-token check and creating a highlight; see
 * docs/benchmarks.md, "P1b"), written with `Prisma.sql` like every other raw query but run
 * through postgres.js as named prepared statements on a small pool of their own. Measured per
 * create: Prisma's raw-query pipeline (its query interpreter, the `pg` driver, row decoding) and
 * PostgreSQL parsing and planning the statement anew each time cost more CPU than the statement's
 * own work. Each statement is one implicit transaction, committed (and flushed) as before.
 *
 * Parameters are typed by the server (postgres.js describes each statement once per connection),
 * so a JSON text must be cast `::text::jsonb` (a `jsonb` parameter would be JSON-encoded again).
 * Each waits at most STATEMENT_WAIT_MS (pg-client.ts `bounded`), then the request answers 503.
 */
export async function hotQuery<T>(query: P.Sql): Promise<T[]> {
  holder.__marginaliaHot ??= pgClient('hot', { max: Math.max(2, Math.ceil(env.dbPoolSize() / 2)) });
  return bounded<T[]>(holder.__marginaliaHot.unsafe(query.text, query.values as postgres.ParameterOrJSON<never>[], { prepare: true }));
}
