import { expect, test } from '@playwright/test';
import { highlight, openArticle, resolveThread, selectText, tag, thread, userInNewContext } from './helpers';

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
  await resolveThread(page, id);
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

test('posting again after a lost answer does not make a second comment or highlight', async ({ browser }) => {
  const { context, page } = await userInNewContext(browser, 'Lost Answer');
  await openArticle(page);

  // The first create reaches the server, but its answer never reaches the browser.
  const loseFirstAnswer = (pattern: string) => {
    let lost = false;
    return page.route(pattern, async (route) => {
      if (route.request().method() !== 'POST' || lost) return route.continue();
      lost = true;
      await route.fetch();
      await route.abort('connectionreset');
    });
  };
  const passage = 'Facing international isolation';
  await loseFirstAnswer('**/api/documents/*/annotations');
  await selectText(page, passage);
  await page.getByRole('button', { name: 'Speculation', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Could not create the highlight' })).toBeVisible();
  await selectText(page, passage);
  const created = page.waitForResponse((r) => r.url().includes('/annotations') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Speculation', exact: true }).click();
  const id = ((await (await created).json()) as { annotation: { id: string } }).annotation.id;

  await loseFirstAnswer(`**/api/annotations/${id}/comments`);
  const box = thread(page, id).getByRole('textbox', { name: 'Comment' });
  await box.click();
  await box.pressSequentially('Posted once, answered never.');
  await thread(page, id).getByRole('button', { name: 'Post comment' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Your comment was not posted' })).toBeVisible();
  await thread(page, id).getByRole('button', { name: 'Post comment' }).click();
  await expect(thread(page, id).locator('.comment')).toHaveCount(1);

  await page.unrouteAll();
  await page.reload();
  const docId = new URL(page.url()).pathname.split('/').pop();
  const list = (await (await page.request.get(`/api/documents/${docId}/annotations?include=comments`)).json()) as { annotations: { id: string; target: { quote: { exact: string } } }[]; comments: { annotationId: string }[] };
  expect(list.annotations.filter((a) => a.target.quote.exact === passage).map((a) => a.id)).toEqual([id]);
  expect(list.comments.filter((c) => c.annotationId === id)).toHaveLength(1);
  await expect(thread(page, id).locator('.comment')).toHaveCount(1);
  await context.close();
});
