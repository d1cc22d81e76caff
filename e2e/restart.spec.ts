/**
 * Everything lives in PostgreSQL: a second `npm start` server (its own embedded database in its
 * own DATA_DIR) is stopped and started again, and the highlight, its thread and the session
 * are all still there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { highlight, newUser, openArticle, signUp, tag, thread } from './helpers';

const PORT = Number(process.env.E2E_RESTART_PORT ?? 3212);
const BASE = `http://localhost:${PORT}`;
const DATA_DIR = '.test-data/e2e-restart';

function startServer(): ChildProcess {
  return spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', '--conditions=react-server', 'scripts/start.ts'], {
    env: { ...process.env, PORT: String(PORT), DATA_DIR, AUTH_SECRET: 'restart-secret-restart-secret-restart', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
}

async function waitHealthy(): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const ok = await fetch(`${BASE}/api/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server did not become healthy');
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

test('data survives a restart of npm start', async ({ browser }) => {
  test.setTimeout(180_000);
  rmSync(DATA_DIR, { recursive: true, force: true });
  let server = startServer();
  try {
    await waitHealthy();
    const context = await browser.newContext({ baseURL: BASE });
    const page = await context.newPage();
    await signUp(page, newUser('Ida Park'));
    await openArticle(page);
    const id = await tag(page, 'born of necessity and shared strategic interests', 'Assessment');
    await thread(page, id).getByRole('textbox', { name: 'Comment' }).pressSequentially('Still here after a restart?');
    await thread(page, id).getByRole('button', { name: 'Post comment' }).click();
    await expect(thread(page, id).locator('.comment-body')).toHaveText('Still here after a restart?');

    await stopServer(server);
    expect((await fetch(`${BASE}/api/health`).catch(() => null))?.ok ?? false).toBe(false);
    server = startServer();
    await waitHealthy();

    await page.reload();
    await expect(highlight(page, id)).toHaveAttribute('data-tag', 'assessment');
    await expect(thread(page, id).locator('.comment-body')).toHaveText('Still here after a restart?');
    // The database was not re-seeded: still exactly one document.
    await page.goto('/');
    await expect(page.locator('.doc-card')).toHaveCount(1);
    await context.close();
  } finally {
    await stopServer(server);
    rmSync(DATA_DIR, { recursive: true, force: true });
  }
});
