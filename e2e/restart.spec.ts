/**
 * Everything lives in PostgreSQL: a second `npm start` server (its own embedded database in its
 * own DATA_DIR) is stopped and started again, and the highlight, its thread and the session
 * are all still there.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startServer, stopServer, waitHealthy } from '../scripts/test/servers';
import { highlight, newUser, openArticle, signUp, tag, thread } from './helpers';

const PORT = Number(process.env.E2E_RESTART_PORT ?? 3212);
const BASE = `http://localhost:${PORT}`;
const DATA_DIR = '.test-data/e2e-restart';
const ENV = { DATA_DIR, AUTH_SECRET: 'restart-secret-restart-secret-restart' };

/**
 * A process's identity: its pid and start time (so a reused pid is not mistaken for it), or null
 * once it is gone. A zombie has exited; it only waits to be reaped.
 */
function identity(pid: number): string | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ');
    return fields[0] === 'Z' ? null : `${pid}@${fields[19]}`;
  } catch {
    return null;
  }
}

/** The server's process and all its descendants (Next, PostgreSQL and its backends): only ours. */
function processTree(root: number): string[] {
  const tree: string[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop()!;
    const id = identity(pid);
    if (!id) continue;
    tree.push(id);
    let children = '';
    try {
      children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)]).toString();
    } catch {
      // ps exits 1 when the process has no children.
    }
    queue.push(...children.split('\n').filter((l) => l.trim()).map(Number));
  }
  return tree;
}

const alive = (tree: string[]) => tree.filter((id) => identity(Number(id.split('@')[0])) === id);

test('data survives a restart of npm start', async ({ browser }) => {
  test.setTimeout(180_000);
  rmSync(DATA_DIR, { recursive: true, force: true });
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

    const tree = processTree(server.pid!);
    expect(tree.length).toBeGreaterThan(2); // npm start, Next and PostgreSQL at least
    await stopServer(server);
    // Stopping means stopped: no process of that server is left behind (Next, orphaned, kept
    // serving the browser's open keep-alive connections against a database that was gone).
    expect(alive(tree)).toEqual([]);
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
