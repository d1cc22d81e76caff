import { readFileSync } from 'node:fs';

/**
 * The environment of the e2e web server (playwright.config.ts), shared by the specs that start
 * another server process on the same database, so they behave alike. The test runner on
 * 127.0.0.1 / ::1 plays the balancer (its X-Forwarded-* are believed); other loopback addresses
 * (127.0.0.2, ...) are untrusted clients. The suite signs up a few hundred people from one
 * address, more than a real office would in an hour.
 */
export const E2E_SERVER_ENV = {
  DATA_DIR: '.test-data/e2e',
  AUTH_SECRET: 'e2e-secret-e2e-secret-e2e-secret-e2e',
  LOG_LEVEL: 'warn',
  TRUSTED_PROXIES: '127.0.0.1,::1',
  SIGN_UP_RATE_LIMIT: '100000',
};

/** The same, for another process on the e2e web server's database. */
export const sameDatabaseEnv = () => {
  const { DATA_DIR: _ignored, ...rest } = E2E_SERVER_ENV;
  return { ...rest, DATABASE_URL: readFileSync('.test-data/e2e/database-url', 'utf8') };
};
