/**
 * Live collaboration across two server processes: the Playwright web server (port 3211) and a
 * second `npm start` process (port 3213) on the same database. A and B never reload.
 */
import { expect, test } from '@playwright/test';
import { startServer, stopServer, waitHealthy } from '../scripts/test/servers';
import { sameDatabaseEnv } from './server-env';
import { highlight, newUser, openArticle, resolveThread, signUp, tag, thread } from './helpers';

const PORT2 = Number(process.env.E2E_PORT2 ?? 3213);
const BASE2 = `http://localhost:${PORT2}`;

/** A second `npm start` process on the database of the Playwright web server (port 3211). */
const startSecond = () =>
  startServer(PORT2, sameDatabaseEnv());

test('two users on two server processes see each other live, and a restart loses nothing', async ({ browser }) => {
  test.setTimeout(180_000);
  let second = startSecond();
  try {
    await waitHealthy(BASE2);
    const aCtx = await browser.newContext();
    const a = await aCtx.newPage();
    const aUser = newUser('Ana Live');
    await signUp(a, aUser);
    const bCtx = await browser.newContext({ baseURL: BASE2 });
    const b = await bCtx.newPage();
    await signUp(b, newUser('Ben Live'));
    await openArticle(a);
    await openArticle(b);

    // Presence: each sees the other.
    await expect(a.locator('.presence').getByText('Ben Live')).toBeAttached();
    await expect(b.locator('.presence').getByText('Ana Live')).toBeAttached();

    // A highlights and comments on process 1; B sees both on process 2 without reloading.
    const id = await tag(a, 'Moscow and Pyongyang', 'Evidence');
    await thread(a, id).getByRole('textbox', { name: 'Comment' }).pressSequentially('Named in the second paragraph.');
    await thread(a, id).getByRole('button', { name: 'Post comment' }).click();
    await expect(highlight(b, id)).toHaveAttribute('data-tag', 'evidence');
    await expect(thread(b, id).locator('.comment-body')).toHaveText('Named in the second paragraph.');

    // B is typing elsewhere while events arrive: the text stays.
    await highlight(b, id).click();
    const bComment = thread(b, id).locator('.comment').first();
    await bComment.getByRole('button', { name: 'Reply' }).click();
    const bBox = bComment.getByRole('textbox', { name: 'Comment' });
    await bBox.pressSequentially('Agreed, and ');
    await resolveThread(a, id);
    await expect(thread(b, id)).toHaveClass(/is-resolved/);
    await expect(bBox).toHaveText('Agreed, and ');
    await bBox.pressSequentially('confirmed by imagery.');
    await bComment.getByRole('button', { name: 'Post comment' }).click();
    await expect(thread(a, id).locator('.replies .comment-body')).toHaveText('Agreed, and confirmed by imagery.');

    // Process 2 goes away: B is told it is reconnecting; A keeps writing meanwhile.
    await stopServer(second);
    await expect(b.locator('[data-live-state]')).toBeVisible();
    await thread(a, id).getByRole('textbox', { name: 'Comment' }).pressSequentially('Written while process 2 was down.');
    // Its answer first: the next highlight's wait for a POST answer must not catch this one.
    const posted = a.waitForResponse((r) => /\/comments$/.test(new URL(r.url()).pathname) && r.request().method() === 'POST');
    await thread(a, id).getByRole('button', { name: 'Post comment' }).click();
    expect((await posted).status()).toBe(201);
    const deletedAlone = await tag(a, 'great-power competition', 'Speculation');
    a.once('dialog', (d) => void d.accept());
    await thread(a, deletedAlone).getByRole('button', { name: 'Delete highlight' }).click();
    await expect(thread(a, deletedAlone)).toHaveCount(0);

    // Process 2 is back: B's stream resumes from its Last-Event-ID and misses nothing.
    second = startSecond();
    await waitHealthy(BASE2);
    await expect(b.locator('[data-live-state]')).toHaveCount(0, { timeout: 20_000 });
    await expect(thread(b, id).locator('.comment-body').filter({ hasText: 'Written while process 2 was down.' })).toHaveCount(1);
    await expect(highlight(b, deletedAlone)).toHaveCount(0);

    // B leaves: A's presence drops B.
    await bCtx.close();
    await expect(a.locator('.presence').getByText('Ben Live')).toHaveCount(0, { timeout: 35_000 });
    await aCtx.close();
  } finally {
    await stopServer(second);
  }
});
