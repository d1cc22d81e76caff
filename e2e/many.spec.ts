import { expect, test } from '@playwright/test';
import { makeAdmin, tag, thread, userInNewContext } from './helpers';

/** Over 300 highlights the reader paints them with the CSS Custom Highlight API, not elements. */
test('a document with 320 highlights paints them as CSS highlights; clicking text focuses its thread', async ({ browser }) => {
  const { page, context, user } = await userInNewContext(browser, 'Mona Many');
  await makeAdmin(user.email);

  const words = Array.from({ length: 320 }, (_, i) => `word${i}x`);
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
