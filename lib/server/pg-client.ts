import 'server-only';
import postgres from 'postgres';
import { env } from './env';

/**
 * A postgres.js client of the app's database for one job beside Prisma's pool (LISTEN, the hot
 * path's prepared statements, the health probe), named `marginalia-<name>` in pg_stat_activity.
 * Idle connections stay open, connecting gives up after 3 s, notices are not printed; `options`
 * adds to or overrides that.
 */
export function pgClient(name: string, options: postgres.Options<Record<string, postgres.PostgresType>> = {}): postgres.Sql {
  return postgres(env.databaseUrl(), {
    idle_timeout: 0,
    connect_timeout: 3,
    onnotice: () => {},
    connection: { application_name: `marginalia-${name}` },
    ...options,
  });
}
