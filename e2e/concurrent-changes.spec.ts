import { expect, test } from '@playwright/test';
import { highlight, openArticle, tag, thread, userInNewContext } from './helpers';

test('two quick changes to one thread both land: the second waits for the first answer\'s version', async ({ browser }) => {
  const { context, page } = await userInNewContext(browser, 'Quick Hands');
  await openArticle(page);
  const id = await tag(page, 'Beyond ammunition', 'Speculation');

  // Hold the first change's request until the second one has been made in the UI.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let first = true;
  await page.route(`**/api/annotations/${id}`, async (route) => {
    if (route.request().method() === 'PATCH' && first) {
      first = false;
      await held;
    }
    await route.continue();
  });
  const statuses: number[] = [];
  page.on('response', (r) => {
    if (r.url().endsWith(`/api/annotations/${id}`) && r.request().method() === 'PATCH') statuses.push(r.status());
  });

  await highlight(page, id).first().click();
  await thread(page, id).getByRole('button', { name: 'Resolve' }).click();
  await thread(page, id).getByLabel('Change tag').selectOption('assessment');
  release();
  await expect.poll(() => statuses.length).toBe(2);
  expect(statuses).toEqual([200, 200]);

  await page.unroute(`**/api/annotations/${id}`);
  await page.reload();
  await expect(highlight(page, id).first()).toHaveAttribute('data-tag', 'assessment');
  await expect(highlight(page, id).first()).toHaveAttribute('data-status', 'resolved');
  await context.close();
});
