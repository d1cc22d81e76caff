/**
 * The margin: threads beside their passages on a wide screen, never wider than the margin; while
 * the threads are on their way, a status says so.
 */
import { expect, test, type Page } from '@playwright/test';
import { highlight, makeAdmin, resolveThread, selectIn, thread, userInNewContext } from './helpers';

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

test('the threads arrive after the page: the margin says so meanwhile, nothing can be tagged, and a failed load can be retried', async ({ browser }) => {
  const { page, context, user } = await userInNewContext(browser, 'Lena Loading');
  await makeAdmin(user.email);
  const { id, ids } = await seed(page, 3, 'Loading threads');
  // The page's preload and its own fetch of the threads: held, then failed once, then let through.
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  let failing = true;
  await page.route((url) => url.pathname === `/api/documents/${id}/annotations`, async (route) => {
    await held;
    if (failing) await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'The database is unavailable' } }) });
    else await route.continue();
  });
  await page.goto(`/documents/${id}`);
  const margin = page.getByRole('complementary', { name: 'Threads' });
  await expect(margin).toHaveAttribute('aria-busy', 'true');
  await expect(margin.getByRole('status')).toHaveText('Loading the threads…');
  await expect(page.locator('.article-body')).toHaveAttribute('aria-keyshortcuts', /\bj\b/); // hydrated, still waiting
  await selectIn(page, '.article-body', 'claim1z');
  await expect(page.locator('.selection-note')).toHaveText('Loading the highlights…'); // nothing to tag with yet
  release();
  await expect(margin.getByRole('alert')).toContainText('The threads could not be loaded. The database is unavailable');
  failing = false;
  await margin.getByRole('button', { name: 'Try again' }).click();
  await expect(margin).toHaveAttribute('aria-busy', 'false');
  for (const a of ids) await expect(thread(page, a)).toBeVisible();
  await context.close();
});

test('nothing on the page shifts while the threads and their comments arrive: the cards glide into place without a layout shift', async ({ browser }) => {
  const { page, context, user } = await userInNewContext(browser, 'Cleo Calm');
  await makeAdmin(user.email);
  const { id, ids } = await seed(page, 12, 'Calm margin');
  // Comments of several lines: each card grows from its placeholder, and the cards below it move.
  const body = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'A long comment that wraps over several lines of the margin, '.repeat(4) }] }] };
  for (const a of ids.slice(0, 6)) expect((await page.request.post(`/api/annotations/${a}/comments`, { data: { body } })).status()).toBe(201);
  await page.addInitScript(() => {
    const shifts: { value: number; sources: string[] }[] = [];
    (window as unknown as { __shifts: typeof shifts }).__shifts = shifts;
    new PerformanceObserver((l) => l.getEntries().forEach((e) => {
      const sources = (e as PerformanceEntry & { sources?: { node?: Node | null }[] }).sources ?? [];
      shifts.push({ value: (e as PerformanceEntry & { value: number }).value, sources: sources.map((s) => (s.node instanceof Element ? s.node.className : `text in ${s.node?.parentElement?.className}`)) });
    })).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(`/documents/${id}`);
  await expect(page.locator('aside.sidebar')).toHaveAttribute('aria-busy', 'false');
  for (const a of ids.slice(0, 6)) await expect(thread(page, a).locator('.comment-body').first()).toContainText('A long comment');
  // The cards' slide (0.15 s) is over: the last one is where its passage is.
  await expect.poll(() => page.evaluate(() => document.getAnimations().length)).toBe(0);
  // Chrome also reports a text re-measured 1/64 px wider (a score around 1e-6): not a move anyone sees.
  const shifts = await page.evaluate(() => (window as unknown as { __shifts: { value: number; sources: string[] }[] }).__shifts);
  expect(shifts.filter((s) => s.value > 1e-5)).toEqual([]);
  await context.close();
});

test('on a phone the sheet’s title stays over the focused card as the sheet scrolls (the card’s own layer stays inside the list)', async ({ browser }) => {
  const { page, context, user } = await userInNewContext(browser, 'Tess Title');
  await makeAdmin(user.email);
  const { id, ids } = await seed(page, 70, 'Sheet title'); // over 60: the windowed list, cards in slots
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/documents/${id}`);
  await highlight(page, ids[20]).click();
  const sheet = page.getByRole('complementary', { name: 'Threads' });
  await expect(sheet).toHaveAttribute('data-sheet', 'open');
  await expect(thread(page, ids[20])).toHaveClass(/is-active/);
  // Scroll the sheet until the focused card's top passes under the sticky title.
  const hit = await page.evaluate((cardId) => {
    const aside = document.querySelector('aside.sidebar')!;
    const title = aside.querySelector('.sidebar-title')!;
    const card = aside.querySelector(`[data-thread-id="${cardId}"]`)!;
    aside.scrollTop += card.getBoundingClientRect().top - title.getBoundingClientRect().top + 4;
    const t = title.getBoundingClientRect();
    const c = card.getBoundingClientRect();
    const at = document.elementFromPoint(t.left + t.width / 2, t.top + t.height / 2);
    return { under: c.top < t.bottom && c.bottom > t.top, inTitle: !!at && title.contains(at) };
  }, ids[20]);
  expect(hit).toEqual({ under: true, inTitle: true });
  await context.close();
});
