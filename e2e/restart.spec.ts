/**
 * Everything lives in PostgreSQL: a second `npm start` server (its own embedded database in its
 * own DATA_DIR) is stopped and started again, and the highlight, its thread and the session
 * are all still there.
 */
import { execSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startServer, stopServer, waitHealthy } from '../scripts/test/servers';
import { highlight, newUser, openArticle, signUp, tag, thread } from './helpers';

const PORT = Number(process.env.E2E_RESTART_PORT ?? 3212);
const BASE = `http://localhost:${PORT}`;
const DATA_DIR = '.test-data/e2e-restart';
const ENV = { DATA_DIR, AUTH_SECRET: 'restart-secret-restart-secret-restart' };

/** Pids of the running Next servers (the process names itself `next-server`). */
function nextServerPids(): number[] {
  return execSync('ps -eo pid=,args=').toString().split('\n')
    .filter((l) => /^\s*\d+ next-server/.test(l))
    .map((l) => Number(l.trim().split(' ')[0]))
    .sort((a, b) => a - b);
}

test('data survives a restart of npm start', async ({ browser }) => {
  test.setTimeout(180_000);
  rmSync(DATA_DIR, { recursive: true, force: true });
  const before = nextServerPids();
  let server = startServer(PORT, ENV);
  try {
    await waitHealthy(BASE);
    const context = await browser.newContext({ baseURL: BASE });
    const page = await context.newPage();
    await signUp(page, newUser('Ida Park'));
    await openArticle(page);
    const id = await tag(page, 'born of necessity and shared strategic interests', 'Assessment');
    await thread(page, id).getByRole('textbox', { name: 'Comment' }).pressSequentially('Still here after a restart?');
    await thread(page, id).getByRole('button', { name: 'Post comment' }).click();
    await expect(thread(page, id).locator('.comment-body')).toHaveText('Still here after a restart?');

    await stopServer(server);
    // Stopping means stopped: no Next process of that server is left behind, still serving the
    // browser's open keep-alive connections against a database that is gone.
    expect(nextServerPids()).toEqual(before);
    expect((await fetch(`${BASE}/api/health`).catch(() => null))?.ok ?? false).toBe(false);
    server = startServer(PORT, ENV);
    await waitHealthy(BASE);

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
