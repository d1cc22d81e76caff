/**
 * The margin: threads beside their passages on a wide screen, never wider than the margin, and
 * never overlapping while the page is still being hydrated.
 */
import { expect, test, type Page } from '@playwright/test';
import { highlight, makeAdmin, resolveThread, thread, userInNewContext } from './helpers';

const LONG_WORD = 'https://example.org/' + 'averyveryverylongunbrokenpathsegment'.repeat(12);

/** A document of `n` paragraphs, each highlighted once through the API; returns ids in document order. */
async function seed(page: Page, n: number, title: string) {
  const paragraphs = Array.from({ length: n }, (_, i) =>
    i === 5 ? `Paragraph ${i} quotes ${LONG_WORD} in full and then goes on for a while with more words.` : `Paragraph ${i} says claim${i}z and some more words around it to fill a line or two of the article.`,
  );
  const made = await page.request.post('/api/documents', { data: { title, format: 'markdown', source: `# ${title}\n\n${paragraphs.join('\n\n')}` } });
  expect(made.status()).toBe(201);
  const { document: doc } = (await made.json()) as { document: { id: string; revision: { text: string } } };
  const text = doc.revision.text;
  const ids: string[] = [];
  for (let i = 0; i < n; i += 25) {
    const batch = paragraphs.slice(i, i + 25).map(async (p, j) => {
      const exact = i + j === 5 ? p : `claim${i + j}z`;
      const start = text.indexOf(exact);
      const r = await page.request.post(`/api/documents/${doc.id}/annotations`, { data: { tag: 'speculation', target: { quote: { exact }, position: { start, end: start + exact.length } } } });
      expect(r.status()).toBe(201);
      return ((await r.json()) as { annotation: { id: string } }).annotation.id;
    });
    ids.push(...(await Promise.all(batch)));
  }
  return { id: doc.id, ids };
}

/** Elements of the margin that stick out of it (their right edge past the margin's), by class. */
const overflowing = (page: Page) =>
  page.evaluate(() => {
    const margin = document.querySelector('.sidebar')!.getBoundingClientRect();
    const wide = [...document.querySelectorAll('.sidebar *')].filter((el) => el.getBoundingClientRect().right > margin.right + 1);
    return { wide: wide.map((el) => `${el.tagName}.${el.className}`).slice(0, 5), scroll: document.querySelector('.sidebar')!.scrollWidth - document.querySelector('.sidebar')!.clientWidth, page: document.documentElement.scrollWidth - window.innerWidth };
  });

test('with 100 threads each card sits beside its passage, the focused one within 100 px of it, and nothing is wider than the margin', async ({ browser }) => {
  test.setTimeout(120_000);
  const { page, context, user } = await userInNewContext(browser, 'Mara Margin');
  await makeAdmin(user.email);
  const { id, ids } = await seed(page, 100, 'Margin placement');
  await page.goto(`/documents/${id}`);
  await expect(page.locator('.threads-beside')).toHaveAttribute('data-measured', 'true');

  // Scroll to a highlight mid-document and click it: its card is focused beside it.
  for (const i of [60, 61, 30]) {
    await highlight(page, ids[i]).scrollIntoViewIfNeeded();
    await highlight(page, ids[i]).click();
    await expect(thread(page, ids[i])).toHaveClass(/is-active/);
    await expect
      .poll(async () => {
        const h = await highlight(page, ids[i]).boundingBox();
        const c = await thread(page, ids[i]).boundingBox();
        return h && c ? Math.abs(c.y - h.y) : Infinity;
      })
      .toBeLessThan(100);
    // Beside it: the card is in the viewport too.
    await expect(thread(page, ids[i])).toBeInViewport();
  }

  // Cards in view never overlap, and keep document order.
  const boxes = await page.locator('.threads-beside [data-thread-id]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.top, r.bottom]));
  for (let i = 1; i < boxes.length; i++) expect(boxes[i][0]).toBeGreaterThanOrEqual(boxes[i - 1][1]);

  // A resolved card with a long quote and an unbroken URL stays inside the margin.
  await highlight(page, ids[5]).scrollIntoViewIfNeeded();
  await highlight(page, ids[5]).click();
  await resolveThread(page, ids[5]);
  await expect(thread(page, ids[5])).toHaveClass(/is-resolved/);
  await highlight(page, ids[6]).click();
  expect(await overflowing(page)).toEqual({ wide: [], scroll: 0, page: 0 });

  // Typing a long unbroken word in a comment box does not scroll the margin sideways either.
  await thread(page, ids[6]).getByRole('textbox', { name: 'Comment' }).pressSequentially(LONG_WORD.slice(0, 200));
  expect(await overflowing(page)).toEqual({ wide: [], scroll: 0, page: 0 });
  await context.close();
});

test('while the page hydrates (no script yet), thread cards do not overlap', async ({ browser }) => {
  const { page, context, user } = await userInNewContext(browser, 'Hugo Hydrate');
  await makeAdmin(user.email);
  const { id } = await seed(page, 80, 'Hydration overlap');
  const bare = await browser.newContext({ javaScriptEnabled: false, storageState: await context.storageState() });
  const p = await bare.newPage();
  await p.goto(`/documents/${id}`);
  const boxes = await p.locator('.sidebar [data-thread-id]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.top, r.bottom]));
  expect(boxes.length).toBeGreaterThan(5);
  for (let i = 1; i < boxes.length; i++) expect(boxes[i][0]).toBeGreaterThanOrEqual(boxes[i - 1][1]);
  await bare.close();
  await context.close();
});
