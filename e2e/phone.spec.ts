/**
 * A phone (390 × 844, touch): every page fits the width, the header keeps the title and puts its
 * tools behind a menu, the selection toolbar stays on screen, and the margin is a bottom sheet
 * that opens on the focused thread.
 */
import { expect, test, type Page } from '@playwright/test';
import { highlight, makeAdmin, newUser, openArticle, selectText, signUp, thread } from './helpers';

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('on a phone nothing scrolls sideways, the title shows, the toolbar stays on screen and the sheet opens on the focused thread', async ({ page }) => {
  for (const path of ['/signin', '/signup']) {
    await page.goto(path);
    expect(await sideways(page), path).toBe(0);
  }
  const user = newUser('Phoebe Phone');
  await signUp(page, user);
  await makeAdmin(user.email);
  // A long unbroken title must not widen the list.
  const made = await page.request.post('/api/documents', { data: { title: 'T'.repeat(300), format: 'markdown', source: 'Short text.' } });
  expect(made.status()).toBe(201);
  await page.goto('/');
  expect(await sideways(page), 'document list').toBe(0);
  await page.goto('/users');
  await expect(page.getByRole('heading', { name: 'People' })).toBeVisible();
  expect(await sideways(page), 'People').toBe(0);

  await openArticle(page);
  expect(await sideways(page), 'document page').toBe(0);
  // The header: the title is visible and inside the screen; the tools are behind Menu.
  const title = page.locator('.crumb-title');
  await expect(title).toBeVisible();
  const t = (await title.boundingBox())!;
  expect(t.x + t.width).toBeLessThanOrEqual(390);
  expect(t.width).toBeGreaterThan(60);
  await expect(page.getByRole('group', { name: 'Filter highlights' })).toBeHidden();
  await page.getByRole('button', { name: 'Menu' }).click();
  await expect(page.getByRole('group', { name: 'Filter highlights' })).toBeVisible();
  expect(await sideways(page), 'open menu').toBe(0);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('group', { name: 'Filter highlights' })).toBeHidden();

  // A selection at the left edge: the toolbar is wholly on screen.
  await selectText(page, 'The echoes');
  const bar = (await page.getByRole('toolbar', { name: 'Tag the selected passage' }).boundingBox())!;
  expect(bar.x).toBeGreaterThanOrEqual(0);
  expect(bar.x + bar.width).toBeLessThanOrEqual(390);
  await page.getByRole('toolbar', { name: 'Tag the selected passage' }).getByRole('button', { name: 'Speculation' }).tap();
  const sheet = page.getByRole('complementary', { name: 'Threads' });
  await expect(sheet).toHaveAttribute('data-sheet', 'open');
  const id = (await page.locator('.thread.is-active').getAttribute('data-thread-id'))!;
  await expect(thread(page, id)).toBeInViewport();

  // Closed, then a tap on the highlight opens the sheet on its thread again.
  await page.getByRole('button', { name: /^Threads/ }).tap();
  await expect(sheet).toHaveAttribute('data-sheet', 'closed');
  await expect(thread(page, id)).toBeHidden();
  await highlight(page, id).tap();
  await expect(sheet).toHaveAttribute('data-sheet', 'open');
  await expect(thread(page, id)).toBeInViewport();
  // Its passage stays in view, above the sheet.
  await expect
    .poll(async () => {
      const h = (await highlight(page, id).boundingBox())!;
      const s = (await sheet.boundingBox())!;
      return h.y > 40 && h.y + h.height <= s.y;
    })
    .toBe(true);
  expect(await sideways(page), 'with the sheet open').toBe(0);
});
