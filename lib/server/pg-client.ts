import 'server-only';
import postgres from 'postgres';
import { env } from './env';

/**
 * A postgres.js client of the app's database for one job beside Prisma's pool (LISTEN, the hot
 * path's prepared statements, the health probe), named `marginalia-<name>` in pg_stat_activity.
 * Idle connections stay open, connecting gives up after 3 s, reconnecting waits at most 1 s,
 * notices are not printed; `options` adds to or overrides that.
 */
export function pgClient(name: string, options: postgres.Options<Record<string, postgres.PostgresType>> = {}): postgres.Sql {
  return postgres(env.databaseUrl(), {
    idle_timeout: 0,
    connect_timeout: 3,
    // Between reconnection attempts at most 1 s. postgres.js's own backoff grows by 3× per failed
    // attempt up to 20 s, so after a database restart of a few seconds its connections stayed
    // away for ~10 s more, every statement waiting (the outage e2e test's 503s went on so long).
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    onnotice: () => {},
    connection: { application_name: `marginalia-${name}` },
    ...options,
  });
}

/**
 * Longest the request path waits for one postgres.js statement. postgres.js can wait for ever
 * for a connection to a server that closes it during start-up (a restarting PostgreSQL does, a
 * few times): the statement stays queued on that connection while it reconnects (seen in the
 * outage e2e test as a create that never answered; porsager/postgres#1193). The hot statements
 * take a millisecond or two, well under 100 ms at 700 creates/s: one still waiting after 2 s is
 * stuck, or queued behind an overload that a 503 with Retry-After sheds.
 */
export const STATEMENT_WAIT_MS = 2000;

/**
 * Runs `query`, or gives up after `ms` with an error that lib/server/http.ts answers as 503
 * (`CONNECT_TIMEOUT`), cancelling it: a statement not yet sent never is; one already running is
 * asked to stop, and if it still commits, the client was told the outcome is unknown (503, retry
 * with the same Idempotency-Key), never that it failed.
 */
export async function bounded<T>(query: postgres.PendingQuery<postgres.Row[]>, ms = STATEMENT_WAIT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void Promise.resolve(query.cancel()).catch(() => {});
      reject(Object.assign(new Error(`The database did not answer within ${ms} ms`), { code: 'CONNECT_TIMEOUT' }));
    }, ms);
  });
  try {
    return (await Promise.race([query, late])) as T;
  } finally {
    clearTimeout(timer);
  }
}
