import { expect, test, type Browser, type Page } from '@playwright/test';
import { makeAdmin, tag, thread, userInNewContext } from './helpers';

/** A document of `n` sentences with one evidence highlight on a word of each. */
async function manyHighlights(page: Page, n: number) {
  const words = Array.from({ length: n }, (_, i) => `word${i}x`);
  const source = words.map((w, i) => `Sentence ${i} mentions ${w} once.`).join('\n\n');
  const made = await page.request.post('/api/documents', { data: { title: 'Many highlights', format: 'markdown', source } });
  expect(made.status()).toBe(201);
  const { document: doc } = (await made.json()) as { document: { id: string; revision: { text: string } } };
  const text = doc.revision.text;
  const ids: string[] = [];
  for (let i = 0; i < words.length; i += 40) {
    const batch = words.slice(i, i + 40).map(async (w) => {
      const start = text.indexOf(w);
      const r = await page.request.post(`/api/documents/${doc.id}/annotations`, {
        data: { tag: 'evidence', target: { quote: { exact: w }, position: { start, end: start + w.length } } },
      });
      expect(r.status()).toBe(201);
      return ((await r.json()) as { annotation: { id: string } }).annotation.id;
    });
    ids.push(...(await Promise.all(batch)));
  }

  return { doc, ids, words };
}

/** A new admin's context with a 320-highlight document whose snapshot the server holds, so its page carries a paint plan. */
async function plannedDocument(browser: Browser, name: string) {
  const { page, context, user } = await userInNewContext(browser, name);
  await makeAdmin(user.email);
  const { doc } = await manyHighlights(page, 320);
  await page.request.get(`/api/documents/${doc.id}/annotations`);
  return { page, context, doc };
}

/** Over 300 highlights the reader paints them with the CSS Custom Highlight API, not elements. */
test('a document with 320 highlights paints them as CSS highlights; clicking text focuses its thread', async ({ browser }) => {
  const { page, context, user } = await userInNewContext(browser, 'Mona Many');
  await makeAdmin(user.email);

  const { doc, ids, words } = await manyHighlights(page, 320);

  await page.goto(`/documents/${doc.id}`);
  const body = page.locator('.article-body');
  await expect(body).toHaveAttribute('data-highlights', 'css');
  await expect(page.locator('.article [data-annotation-id]')).toHaveCount(0);
  await expect.poll(() => page.evaluate(() => [...CSS.highlights.values()].reduce((n, h) => n + h.size, 0))).toBe(320);
  // Only the visible part of the 320 threads is mounted.
  expect(await page.locator('[data-thread-id]').count()).toBeLessThan(60);

  // Clicking the text of highlight 3 focuses its thread.
  const box = await page.evaluate((w) => {
    const walker = document.createTreeWalker(document.querySelector('.article-body')!, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
      const at = n.data.indexOf(w);
      if (at < 0) continue;
      const r = document.createRange();
      r.setStart(n, at + 1);
      r.setEnd(n, at + 3);
      const b = r.getBoundingClientRect();
      return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
    }
    throw new Error('not found');
  }, words[3]);
  await page.mouse.click(box.x, box.y);
  await expect(thread(page, ids[3])).toHaveClass(/is-active/);
  await expect.poll(() => page.evaluate(() => CSS.highlights.get('mg-active')?.size ?? 0)).toBe(1);

  // Its quote flashes the passage; a new highlight can still be made by selecting text.
  await thread(page, ids[3]).getByRole('button', { name: /^“word3x/ }).click();
  await expect.poll(() => page.evaluate(() => CSS.highlights.has('mg-flash'))).toBe(true);
  await tag(page, 'Sentence 5 mentions', 'Speculation');
  await expect.poll(() => page.evaluate(() => CSS.highlights.get('mg-speculation')?.size ?? 0)).toBe(1);
  await context.close();
});

test('many highlights are painted once while the threads load (from the page\'s paint plan), and not registered again when the list (brotli, as Chromium asks) arrives and the reader renders it', async ({ browser }) => {
  const { page, context, doc } = await plannedDocument(browser, 'Eli Early');
  // Every registration of the evidence highlight, with whether the margin still said it was loading.
  await page.addInitScript(() => {
    const calls: { busy: string | null; size: number }[] = [];
    (window as unknown as { __registrations: typeof calls }).__registrations = calls;
    const set = HighlightRegistry.prototype.set;
    HighlightRegistry.prototype.set = function (name: string, h: Highlight) {
      if (name === 'mg-evidence') calls.push({ busy: document.querySelector('aside.sidebar')?.getAttribute('aria-busy') ?? null, size: h.size });
      return set.call(this, name, h);
    };
  });
  const preloaded = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/documents/${doc.id}/annotations`);
  await page.goto(`/documents/${doc.id}`);
  // The snapshot's brotli (lib/server/snapshots.ts), passed on by scripts/serve.mjs.
  const answer = await preloaded;
  expect((await answer.allHeaders())['content-encoding']).toBe('br');
  expect(((await answer.json()) as { annotations: unknown[] }).annotations).toHaveLength(320);
  await expect(page.locator('aside.sidebar')).toHaveAttribute('aria-busy', 'false');
  await expect(page.locator('[data-thread-id]').first()).toBeVisible();
  const calls = await page.evaluate(() => (window as unknown as { __registrations: { busy: string | null; size: number }[] }).__registrations);
  // Once, while the threads were still loading, with all 320 (one range each: no two touch).
  expect(calls).toEqual([{ busy: 'true', size: 320 }]);
  await context.close();
});

test("many highlights are painted by the page's inline script from its paint plan before the page's own scripts run; the list is still asked for once", async ({ browser }) => {
  const { page, context, doc } = await plannedDocument(browser, 'Ida Inline');
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const lists: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === `/api/documents/${doc.id}/annotations`) lists.push(r.url());
  });

  // With none of Next's scripts, only the inline one (allowed by its hash in the page's CSP) can paint.
  await page.route('**/_next/static/**/*.js', (route) => route.abort());
  await page.goto(`/documents/${doc.id}`);
  await expect.poll(() => page.evaluate(() => CSS.highlights.get('mg-evidence')?.size ?? 0)).toBe(320);
  // Nothing of the app ran: the margin is as the server rendered it.
  await expect(page.locator('aside.sidebar')).toHaveAttribute('aria-busy', 'true');
  expect(violations).toEqual([]);

  // With them, the reader asks for the list once (the preload answers it).
  await page.unroute('**/_next/static/**/*.js');
  lists.length = 0;
  await page.goto(`/documents/${doc.id}`);
  await expect(page.locator('aside.sidebar')).toHaveAttribute('aria-busy', 'false');
  await expect(page.locator('[data-thread-id]').first()).toBeVisible();
  expect(lists).toHaveLength(1);
  expect(violations).toEqual([]);

  // An in-app navigation gets the page as an RSC payload, which React renders itself and never
  // runs a script of: it carries no plan (React's development build warned of the script tag),
  // and the reader paints from the list.
  expect(await page.locator('script[data-plan]').count()).toBe(1);
  await page.goto('/');
  await page.locator(`a[href="/documents/${doc.id}"]`).first().click();
  await expect(page).toHaveURL(new RegExp(`/documents/${doc.id}$`));
  await expect.poll(() => page.evaluate(() => CSS.highlights.get('mg-evidence')?.size ?? 0)).toBeGreaterThan(0);
  await expect(page.locator('aside.sidebar')).toHaveAttribute('aria-busy', 'false');
  expect(await page.locator('script[data-plan]').count()).toBe(0);
  expect(violations).toEqual([]);
  await context.close();
});

test("what the page's plan painted goes when the list says the reader draws elements (300 or fewer highlights) or cannot be loaded", async ({ browser }) => {
  const { page, context, doc } = await plannedDocument(browser, 'Rita Release');
  const painted = () => page.evaluate(() => CSS.highlights.get('mg-evidence')?.size ?? 0);
  const list = `**/api/documents/${doc.id}/annotations?*`;

  // The list comes back with 300 (as if 20 were deleted since the page was rendered).
  await page.route(list, async (route) => {
    const res = await route.fetch();
    const body = (await res.json()) as { annotations: unknown[] };
    await route.fulfill({ response: res, json: { ...body, annotations: body.annotations.slice(0, 300) } });
  });
  await page.goto(`/documents/${doc.id}`);
  await expect(page.locator('aside.sidebar')).toHaveAttribute('aria-busy', 'false');
  await expect(page.locator('.article-body')).not.toHaveAttribute('data-highlights', 'css');
  await expect(page.locator('.article [data-annotation-id]').first()).toBeVisible();
  await expect.poll(painted).toBe(0);

  // The list cannot be loaded.
  await page.unroute(list);
  await page.route(list, (route) => route.fulfill({ status: 500, json: { error: { code: 'internal', message: 'Something went wrong.' } } }));
  await page.goto(`/documents/${doc.id}`);
  await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
  await expect.poll(painted).toBe(0);
  await context.close();
});
