/**
 * Pages during a database outage. A server process runs against its own embedded PostgreSQL,
 * which this test stops: a page that needs the database answers 503 with Retry-After and a
 * friendly page (not the 500 error page), under the CSP without violations; once the database
 * is back, the same page works again without restarting anything.
 */
import { rmSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { startEmbeddedDb, type EmbeddedDb } from '../scripts/embedded-db';
import { startServer, stopServer, waitHealthy } from '../scripts/test/servers';
import { cspViolations, newUser, signUp, watchCspViolations } from './helpers';

const PORT = Number(process.env.E2E_UNAVAILABLE_PORT ?? 3215);
const BASE = `http://localhost:${PORT}`;
const DATA_DIR = '.test-data/e2e-unavailable';

test('while the database is down pages answer 503 with Retry-After and say so; then they work again', async ({ browser }) => {
  test.setTimeout(240_000);
  rmSync(DATA_DIR, { recursive: true, force: true });
  let db: EmbeddedDb = await startEmbeddedDb({ dataDir: DATA_DIR });
  const port = db.port;
  let server: ChildProcess | null = null;
  const context = await browser.newContext({ baseURL: BASE });
  try {
    server = startServer(PORT, { DATABASE_URL: db.url, AUTH_SECRET: 'unavailable-secret-unavailable-secret', LOG_LEVEL: 'error' });
    await waitHealthy(BASE, 90_000);
    const page = await context.newPage();
    await watchCspViolations(page);
    await signUp(page, newUser('Una Available'));
    expect((await page.request.get('/')).status()).toBe(200);

    await db.stop();
    // The document list reads the database (the session's user row, the documents).
    const down = await page.request.get('/');
    expect(down.status()).toBe(503);
    expect(Number(down.headers()['retry-after'])).toBeGreaterThan(0);
    expect(down.headers()['content-type']).toContain('text/html');
    expect(down.headers()['content-security-policy']).toContain("'nonce-");
    expect(await down.text()).toContain('The database cannot be reached; this page will work again shortly.');
    // A document page and a sign-in page too.
    expect((await page.request.get('/documents/anything')).status()).toBe(503);
    expect((await page.request.get('/signin')).status()).toBe(503);

    // What a person sees: the friendly page, styled under the CSP, with a link that retries.
    const shown = await page.goto('/?from=test');
    expect(shown?.status()).toBe(503);
    await expect(page.getByRole('heading', { name: 'Temporarily unavailable' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Try again' })).toHaveAttribute('href', '/?from=test');
    expect(await cspViolations(page)).toEqual([]);

    db = await startEmbeddedDb({ dataDir: DATA_DIR, port });
    // No restart: the next request finds the database again (postgres.js and the pool reconnect).
    await expect.poll(async () => (await page.request.get('/')).status(), { timeout: 30_000 }).toBe(200);
    await page.goto('/?from=test');
    await expect(page.getByRole('heading', { name: 'Documents' })).toBeVisible();
  } finally {
    await context.close();
    await stopServer(server);
    await db.stop().catch(() => {});
    rmSync(DATA_DIR, { recursive: true, force: true });
  }
});
