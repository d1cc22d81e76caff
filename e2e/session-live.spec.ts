/**
 * What an open document page says, live, when the reader's access changes elsewhere (signed out
 * in another tab, demoted by an admin) or the server goes away and comes back.
 */
import { expect, test } from '@playwright/test';
import { startServer, stopServer, waitHealthy } from '../scripts/test/servers';
import { sameDatabaseEnv } from './server-env';
import { makeAdmin, newUser, openArticle, selectIn, selectText, signUp, tag, thread, userInNewContext } from './helpers';

test('signing out everywhere in another tab shows at once in this one, keeps the draft and offers sign-in', async ({ browser }) => {
  const { page: a, context } = await userInNewContext(browser, 'Tess Tabs');
  await openArticle(a);
  const id = await tag(a, 'reshaping alliances', 'Evidence');
  const box = thread(a, id).getByRole('textbox', { name: 'Comment' });
  await box.pressSequentially('A draft I must not lose');

  const b = await context.newPage();
  await b.goto('/');
  b.once('dialog', (d) => void d.accept());
  await b.getByRole('button', { name: 'Sign out everywhere' }).click();
  await b.waitForURL(/\/signin/);

  const alert = a.getByRole('alert').filter({ hasText: 'sign in again' });
  await expect(alert).toBeVisible();
  await expect(alert.getByRole('link', { name: 'Sign in again' })).toHaveAttribute('href', /\/signin\?callbackUrl=/);
  await expect(box).toHaveText('A draft I must not lose');
  // Nothing pretends to still work: selecting text says why it cannot be tagged.
  await selectIn(a, '.article-body', 'redrawing geopolitical');
  await expect(a.getByText('Sign in again to highlight.')).toBeVisible();
  await expect(a.getByRole('toolbar', { name: 'Tag the selected passage' })).toHaveCount(0);
  await context.close();
});

test('a demoted analyst loses the tag toolbar live, without reloading', async ({ browser }) => {
  const admin = await userInNewContext(browser, 'Ada Demoter');
  await makeAdmin(admin.user.email);
  const { page, context, user } = await userInNewContext(browser, 'Dan Demoted');
  await openArticle(page);
  await selectText(page, 'redrawing geopolitical');
  await page.keyboard.press('Escape');

  const users = (await (await admin.page.request.get('/api/users')).json()) as { users: { id: string; email: string }[] };
  const dan = users.users.find((u) => u.email === user.email)!;
  expect((await admin.page.request.patch(`/api/users/${dan.id}`, { data: { role: 'viewer' } })).status()).toBe(200);

  // The role change arrives on the live stream; the next selection offers no tags.
  await expect(async () => {
    await page.evaluate(() => window.getSelection()?.removeAllRanges());
    await selectIn(page, '.article-body', 'redrawing geopolitical');
    await expect(page.getByText('Viewers can comment but not highlight.')).toBeVisible({ timeout: 1000 });
  }).toPass();
  await expect(page.getByRole('toolbar', { name: 'Tag the selected passage' })).toHaveCount(0);
  await context.close();
  await admin.context.close();
});

const PORT = Number(process.env.E2E_PORT3 ?? 3214);
const BASE = `http://localhost:${PORT}`;
const startThird = () => startServer(PORT, sameDatabaseEnv());

test('while the server is down the Reconnecting banner stays up (no flicker), and an outage error clears once it is back', async ({ browser }) => {
  test.setTimeout(120_000);
  let server = startThird();
  try {
    await waitHealthy(BASE);
    const context = await browser.newContext({ baseURL: BASE });
    const page = await context.newPage();
    await signUp(page, newUser('Rhea Reconnect'));
    await openArticle(page);
    const id = await tag(page, 'reshaping alliances', 'Speculation');
    // Count every time the banner disappears, from now on.
    await page.evaluate(() => {
      const w = window as unknown as { __log: string[] };
      w.__log = [];
      let shown = false;
      new MutationObserver(() => {
        const now = !!document.querySelector('[data-live-state]');
        if (now !== shown) w.__log.push(`${Math.round(performance.now())} ${now}`);
        shown = now;
      }).observe(document.body, { subtree: true, childList: true });
    });
    let failedStreams = 0;
    page.on('requestfailed', (r) => {
      if (r.url().includes('/events')) failedStreams++;
    });

    await stopServer(server);
    await expect(page.locator('[data-live-state="reconnecting"]')).toBeVisible();
    // Several reconnect attempts fail while it is down; the banner never goes away meanwhile.
    await expect.poll(() => failedStreams, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    expect(await page.evaluate(() => (window as unknown as { __log: string[] }).__log), 'banner shown (true) / hidden (false) at ms').toHaveLength(1);

    // A post while it is down fails with an outage notice; the text is kept.
    await thread(page, id).getByRole('textbox', { name: 'Comment' }).pressSequentially('Posted during the outage');
    await thread(page, id).getByRole('button', { name: 'Post comment' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'was not posted' })).toBeVisible();

    server = startThird();
    await waitHealthy(BASE);
    await expect(page.locator('[data-live-state]')).toHaveCount(0, { timeout: 30_000 });
    // The cause has passed: the error clears by itself.
    await expect(page.getByRole('alert').filter({ hasText: 'was not posted' })).toHaveCount(0);
    // Shown once, hidden once: no flicker in between.
    expect((await page.evaluate(() => (window as unknown as { __log: string[] }).__log)).map((l) => l.split(' ')[1])).toEqual(['true', 'false']);
    await context.close();
  } finally {
    await stopServer(server);
  }
});

test('changes by others are announced politely to screen readers; one’s own are not', async ({ browser }) => {
  const ana = await userInNewContext(browser, 'Ana Announce');
  const ben = await userInNewContext(browser, 'Ben Announce');
  await openArticle(ana.page);
  await openArticle(ben.page);
  const announcer = ana.page.getByTestId('live-announcer');
  await expect(announcer).toHaveAttribute('aria-live', 'polite');
  const id = await tag(ben.page, 'reshaping alliances', 'Assessment');
  await expect(announcer).toHaveText('Ben Announce highlighted “reshaping alliances” as assessment');
  await thread(ben.page, id).getByRole('textbox', { name: 'Comment' }).pressSequentially('Why so sure?');
  await thread(ben.page, id).getByRole('button', { name: 'Post comment' }).click();
  await expect(announcer).toHaveText('Ben Announce commented on “reshaping alliances”');
  await expect(ben.page.getByTestId('live-announcer')).toHaveText('');
  await ana.context.close();
  await ben.context.close();
});

test('a rename shows in the open page’s header and tab at once; a deletion is said at once', async ({ browser }) => {
  const admin = await userInNewContext(browser, 'Ada Renamer');
  await makeAdmin(admin.user.email);
  const made = await admin.page.request.post('/api/documents', { data: { title: 'Before the rename', format: 'markdown', source: '# Before\n\nSome text to read.' } });
  const { document: doc } = (await made.json()) as { document: { id: string } };
  const { page, context } = await userInNewContext(browser, 'Rita Reader');
  await page.goto(`/documents/${doc.id}`);
  await expect(page).toHaveTitle('Before the rename · Marginalia');
  await expect(page.locator('.app-header .crumb-title')).toHaveText('Before the rename');
  await expect(page.locator('.presence')).toBeVisible();

  expect((await admin.page.request.patch(`/api/documents/${doc.id}`, { data: { title: 'After the rename' } })).status()).toBe(200);
  await expect(page.locator('.app-header .crumb-title')).toHaveText('After the rename');
  await expect(page).toHaveTitle('After the rename · Marginalia');

  expect((await admin.page.request.delete(`/api/documents/${doc.id}`)).status()).toBe(204);
  const alert = page.getByRole('alert').filter({ hasText: 'deleted this document' });
  await expect(alert).toBeVisible();
  await expect(alert.getByRole('link', { name: 'Go to the documents' })).toBeVisible();
  await context.close();
  await admin.context.close();
});
