import 'server-only';
import type postgres from 'postgres';
import { pgClient } from './pg-client';

/**
 * Is the database reachable right now? proxy.ts asks before every HTML page is rendered, because
 * an App Router page cannot choose its own status: a page whose query fails renders the error
 * page as a 500, while an outage must answer 503 with Retry-After. The answer is one `SELECT 1`
 * on a connection of its own (not the pages' pool, so a busy pool does not make it wait); calls
 * that arrive while one is running share it. postgres.js reconnects by itself once the database
 * is back. A page whose database goes away between this check and its own queries still gets the
 * error page (500); that window is one round trip long.
 */
const PROBE_TIMEOUT_S = 2;

const holder = globalThis as unknown as { __marginaliaProbe?: { sql: postgres.Sql; running: Promise<boolean> | null } };

function state() {
  holder.__marginaliaProbe ??= {
    sql: pgClient('probe', { max: 1, connect_timeout: PROBE_TIMEOUT_S }),
    running: null,
  };
  return holder.__marginaliaProbe;
}

export function databaseReachable(): Promise<boolean> {
  const s = state();
  s.running ??= (async () => {
    let timer: NodeJS.Timeout | undefined;
    try {
      // connect_timeout bounds a connect; this bounds a query on a connection that went silent.
      const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_S * 1000)));
      return await Promise.race([s.sql`SELECT 1`.then(() => true, () => false), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
      s.running = null;
    }
  })();
  return s.running;
}
