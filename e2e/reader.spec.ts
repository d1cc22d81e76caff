import { expect, test } from '@playwright/test';
import { articleLive, highlight, openArticle, selectText, tag, thread, userInNewContext } from './helpers';

test('the article renders with its title, four sections and every paragraph', async ({ browser }) => {
  const { page, context } = await userInNewContext(browser, 'Finn Ray');
  await openArticle(page);
  await expect(page.locator('.article-body h2')).toHaveText([
    'The Drivers of a Dangerous Union',
    'Signs of a Growing Partnership',
    'The Risks and Repercussions',
    'A Future Uncertain',
  ]);
  await expect(page.locator('.article-body p')).toHaveCount(20);
  // The tab names the document, not just "Document".
  await expect(page).toHaveTitle('The Russia–North Korea Alliance · Marginalia');
  await context.close();
});

test('keyboard path: select, press 2, type, submit; Escape dismisses the toolbar', async ({ browser }) => {
  const { page, context } = await userInNewContext(browser, 'Gus Hale');
  await openArticle(page);
  await selectText(page, 'The war in Ukraine has drastically altered the strategic calculus');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('toolbar', { name: 'Tag the selected passage' })).toHaveCount(0);

  await selectText(page, 'rapidly deepening relationship between Russia and North Korea');
  const toolbar = page.getByRole('toolbar', { name: 'Tag the selected passage' });
  await expect(toolbar.getByRole('button')).toHaveText([/Evidence/, /Speculation/, /Assessment/]);
  const created = page.waitForResponse((r) => r.url().includes('/annotations') && r.request().method() === 'POST');
  await page.keyboard.press('2');
  const id = ((await (await created).json()) as { annotation: { id: string } }).annotation.id;
  await expect(highlight(page, id)).toHaveAttribute('data-tag', 'speculation');
  const box = page.getByRole('textbox', { name: 'Comment' });
  await expect(box).toBeFocused();
  await page.keyboard.type('Typed without a mouse.');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Post comment' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(thread(page, id).locator('.comment-body')).toHaveText('Typed without a mouse.');

  // Another thread takes the margin; back on this one, "Add a comment" (by keyboard) puts the
  // focus in the comment box that replaces it.
  const other = await tag(page, 'The war in Ukraine has drastically altered the strategic calculus', 'Evidence');
  await expect(thread(page, other).getByRole('textbox', { name: 'Comment' })).toBeFocused();
  const add = thread(page, id).getByRole('button', { name: 'Add a comment' });
  await add.focus();
  await page.keyboard.press('Enter');
  await expect(thread(page, id).getByRole('textbox', { name: 'Comment' })).toBeFocused();
  await context.close();
});

test('overlapping highlights each stay clickable; a thread click flashes its highlight', async ({ browser }) => {
  const { page, context } = await userInNewContext(browser, 'Hana Ito');
  await openArticle(page);
  const outer = await tag(page, 'North Korea, a master of evasion when it comes to sanctions itself, can provide valuable assistance.', 'Assessment');
  await page.getByRole('textbox', { name: 'Comment' }).waitFor();
  const inner = await tag(page, 'a master of evasion', 'Evidence');
  // Nested, not split: the outer highlight stays one element around the inner one.
  await expect(highlight(page, outer)).toHaveCount(1);
  await expect(highlight(page, inner)).toHaveCount(1);
  await expect(highlight(page, inner).locator('xpath=ancestor::*[@data-annotation-id]')).toHaveAttribute('data-annotation-id', outer);

  await highlight(page, inner).hover();
  await expect(thread(page, inner)).toHaveClass(/is-hovered/);
  await expect(thread(page, outer)).not.toHaveClass(/is-hovered/);
  await highlight(page, inner).click();
  await expect(thread(page, inner)).toHaveClass(/is-active/);
  await clickOnText(page, 'can provide valuable');
  await expect(thread(page, outer)).toHaveClass(/is-active/);
  await expect(thread(page, inner)).not.toHaveClass(/is-active/);

  await page.mouse.wheel(0, 2000);
  await thread(page, inner).getByRole('button', { name: /^“a master of evasion/ }).click();
  await expect(highlight(page, inner)).toHaveClass(/hl-flash/);
  await expect(highlight(page, inner)).toBeInViewport();
  await context.close();
});

/** Clicks the middle of the first occurrence of `text` in the article (not an element's centre). */
async function clickOnText(page: import('@playwright/test').Page, text: string) {
  const box = await page.evaluate((text) => {
    const root = document.querySelector('.article-body')!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
      const at = n.data.indexOf(text);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(n, at);
      range.setEnd(n, at + text.length);
      const r = range.getClientRects()[0];
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }
    throw new Error(`not found: ${text}`);
  }, text);
  await page.mouse.click(box.x, box.y);
}

test('? lists the keyboard shortcuts; Escape closes the list', async ({ browser }) => {
  const { page, context } = await userInNewContext(browser, 'Kai Moon');
  await openArticle(page);
  await page.locator('.article-body').click();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Tag the selected text as Evidence, Speculation, Assessment');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await context.close();
});

test('the page does not move while it hydrates and its threads arrive: no layout shift of the header, the article or the margin column', async ({ browser }) => {
  const { page, context } = await userInNewContext(browser, 'Stella Still');
  await openArticle(page);
  const url = page.url();
  // Every layout shift from the start of a full load, with the elements that moved.
  await page.addInitScript(() => {
    const shifts: string[][] = [];
    (window as unknown as { __shifts: string[][] }).__shifts = shifts;
    new PerformanceObserver((l) => l.getEntries().forEach((e) => {
      const sources = (e as PerformanceEntry & { sources?: { node?: Node | null }[] }).sources ?? [];
      shifts.push(sources.map((s) => (s.node instanceof Element ? s.node.className : String(s.node?.nodeName))));
    })).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(url);
  await articleLive(page);
  await expect(page.locator('aside.sidebar')).toHaveAttribute('aria-busy', 'false');
  await expect(page.locator('.header-tools .chip').first()).toBeVisible();
  const moved = (await page.evaluate(() => (window as unknown as { __shifts: string[][] }).__shifts)).flat();
  expect(moved.filter((c) => /reading-room|article|sidebar|app-header|doc-page/.test(c))).toEqual([]);
  // To the pixel (the browser ignores moves under a few px): where the article starts as the
  // server rendered it, before any of the page's scripts, and once they ran.
  const top = () => page.evaluate(() => document.querySelector('.reading-room')!.getBoundingClientRect().top);
  const live = await top();
  await page.route('**/_next/static/**/*.js', (route) => route.abort());
  await page.goto(url);
  await expect(page.locator('.article-body')).toBeVisible();
  expect(await top()).toBe(live);
  await context.close();
});
