import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end tests in Chromium against the built app on a fresh embedded PostgreSQL
 * (scripts/start.ts --fresh builds the app when needed, migrates and seeds).
 * The system Chromium is used when there is one (CHROMIUM_PATH, or Debian's /usr/bin/chromium);
 * otherwise Playwright's own browser.
 */
const PORT = Number(process.env.E2E_PORT ?? 3211);
const systemChromium = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    ...devices['Desktop Chrome'],
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath: systemChromium,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: 'node --conditions=react-server --import tsx scripts/start.ts --fresh',
    url: `http://localhost:${PORT}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    // The test runner on 127.0.0.1 / ::1 plays the balancer (its X-Forwarded-* are believed);
    // other loopback addresses (127.0.0.2, ...) are untrusted clients. The suite signs up a few
    // hundred people from one address, more than a real office would in an hour.
    env: { PORT: String(PORT), DATA_DIR: '.test-data/e2e', AUTH_SECRET: 'e2e-secret-e2e-secret-e2e-secret-e2e', LOG_LEVEL: 'warn', TRUSTED_PROXIES: '127.0.0.1,::1', SIGN_UP_RATE_LIMIT: '100000' },
  },
});
