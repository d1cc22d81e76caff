import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { articleLive, makeAdmin, thread, userInNewContext } from './helpers';

/**
 * The review tools: thread links, the claims table, search within a document and the filters in
 * the URL. Each test makes its own document through the API, so the seeded article stays bare.
 */
const SOURCE = `# Supply lines

North Korea shipped KN-23 missiles to Russia in late 2023.

## Rail

Artillery shells followed by rail, according to satellite imagery.

## Visits

Kim Jong-un met the delegation at the Vostochny cosmodrome.
`;

const body = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

async function reviewDocument(request: APIRequestContext) {
  const made = await request.post('/api/documents', { data: { title: 'Review tools', format: 'markdown', source: SOURCE } });
  expect(made.status()).toBe(201);
  const { document } = (await made.json()) as { document: { id: string; revision: { text: string } } };
  const annotate = async (exact: string, tag: string, comment?: string) => {
    const start = document.revision.text.indexOf(exact);
    const res = await request.post(`/api/documents/${document.id}/annotations`, {
      data: { tag, target: { quote: { exact }, position: { start, end: start + exact.length } }, ...(comment ? { comment: { body: body(comment) } } : {}) },
    });
    expect(res.status()).toBe(201);
    return ((await res.json()) as { annotation: { id: string; version: number } }).annotation;
  };
  const missiles = await annotate('KN-23 missiles', 'evidence', 'Confirmed by two launches.');
  const shells = await annotate('Artillery shells followed by rail', 'speculation', 'Which rail line?');
  const kim = await annotate('Kim Jong-un met the delegation', 'assessment');
  expect((await request.patch(`/api/annotations/${kim.id}`, { data: { status: 'resolved', version: kim.version } })).status()).toBe(200);
  return { id: document.id, missiles: missiles.id, shells: shells.id, kim: kim.id };
}

async function analyst(browser: Parameters<typeof userInNewContext>[0]) {
  const u = await userInNewContext(browser, 'Rhea Review');
  await makeAdmin(u.user.email);
  return u;
}

const focusedThreadId = (page: Page) => page.evaluate(() => document.activeElement?.closest('[data-thread-id]')?.getAttribute('data-thread-id') ?? null);

test('a copied thread link opens the document with that thread focused, also an orphaned one', async ({ browser }) => {
  const { page, context } = await analyst(browser);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const d = await reviewDocument(page.request);
  await page.goto(`/documents/${d.id}`);
  await articleLive(page);
  await thread(page, d.shells).getByRole('button', { name: /^Copy link to the thread on/ }).click();
  await expect(thread(page, d.shells).getByRole('status')).toHaveText('Copied');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(new RegExp(`/documents/${d.id}#a-${d.shells}$`));

  const other = await context.newPage();
  await other.goto(link);
  await expect(thread(other, d.shells)).toHaveClass(/is-active/);
  await expect.poll(() => focusedThreadId(other)).toBe(d.shells);
  await expect(other.locator(`.article [data-annotation-id="${d.shells}"]`).first()).toBeInViewport();

  // A new revision without the missiles sentence orphans that thread; its link still focuses it.
  const revised = await page.request.post(`/api/documents/${d.id}/revisions`, { data: { format: 'markdown', source: SOURCE.replace('North Korea shipped KN-23 missiles to Russia in late 2023.', 'Shipments continued.') } });
  expect(revised.status()).toBe(201);
  // On the open page a changed hash is followed too (same document: no reload).
  await other.goto(`/documents/${d.id}#a-${d.missiles}`);
  await expect(thread(other, d.missiles)).toHaveClass(/is-active/);
  await other.reload();
  await expect(thread(other, d.missiles)).toHaveClass(/is-orphaned/);
  await expect(thread(other, d.missiles)).toHaveClass(/is-active/);
  await expect.poll(() => focusedThreadId(other)).toBe(d.missiles);
  await context.close();
});

test('the claims table sorts, and a row jumps to its passage with the thread focused', async ({ browser }) => {
  const { page, context } = await analyst(browser);
  const d = await reviewDocument(page.request);
  await page.goto(`/documents/${d.id}/claims`);
  const table = page.getByRole('table');
  const quotes = () => table.locator('tbody tr td:first-child').allInnerTexts();
  await expect.poll(quotes).toEqual(['“KN-23 missiles”', '“Artillery shells followed by rail”', '“Kim Jong-un met the delegation”']);
  await expect(table.getByRole('row', { name: /Artillery shells/ })).toContainText('Rail');
  await table.getByRole('button', { name: 'Quote' }).click();
  await expect(table.getByRole('columnheader', { name: 'Quote' })).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(quotes).toEqual(['“Artillery shells followed by rail”', '“Kim Jong-un met the delegation”', '“KN-23 missiles”']);
  await table.getByRole('button', { name: 'Quote' }).click();
  await expect(table.getByRole('columnheader', { name: 'Quote' })).toHaveAttribute('aria-sort', 'descending');

  await table.getByRole('link', { name: /Kim Jong-un/ }).click();
  await expect(page).toHaveURL(new RegExp(`/documents/${d.id}#a-${d.kim}$`));
  await expect(thread(page, d.kim)).toHaveClass(/is-active/);
  await expect.poll(() => focusedThreadId(page)).toBe(d.kim);
  await expect(page.locator(`.article [data-annotation-id="${d.kim}"]`).first()).toBeInViewport();
  await context.close();
});

test('search within the document keeps the matching threads and marks the words; Escape clears it', async ({ browser }) => {
  const { page, context } = await analyst(browser);
  const d = await reviewDocument(page.request);
  await page.goto(`/documents/${d.id}`);
  await articleLive(page);
  const box = page.getByRole('searchbox', { name: "Search this document's highlights and comments" });
  const marks = () => page.evaluate(() => CSS.highlights.get('search-match')?.size ?? 0);
  await box.fill('rail');
  await expect(page.locator('.sidebar [data-thread-id]')).toHaveCount(1);
  await expect(thread(page, d.shells)).toBeVisible();
  // In the article ("rail" twice: the heading and the sentence) and in the margin (quote, comment).
  await expect.poll(marks).toBeGreaterThanOrEqual(4);
  await expect(page).toHaveURL(/[?&]q=rail(&|$)/);
  // A comment's word finds its thread; a code finds its quote.
  await box.fill('launch');
  await expect(page.locator('.sidebar [data-thread-id]')).toHaveCount(1);
  await expect(thread(page, d.missiles)).toBeVisible();
  await box.fill('KN-23');
  await expect(thread(page, d.missiles)).toBeVisible();
  await expect(page.locator('.sidebar [data-thread-id]')).toHaveCount(1);
  await box.press('Escape');
  await expect(box).toHaveValue('');
  await expect(page.locator('.sidebar [data-thread-id]')).toHaveCount(3);
  await expect.poll(marks).toBe(0);
  await expect(page).not.toHaveURL(/[?&]q=/);
  await context.close();
});

test('a filtered view is in the URL and reloads the same; tag counts follow the other filters', async ({ browser }) => {
  const { page, context } = await analyst(browser);
  const d = await reviewDocument(page.request);
  await page.goto(`/documents/${d.id}`);
  await articleLive(page);
  const filters = page.getByRole('group', { name: 'Filter highlights' });
  const chip = (label: string) => filters.getByRole('button', { name: new RegExp(`^${label}`) });
  await expect(chip('Assessment').locator('.chip-count')).toHaveText('1');
  await filters.getByLabel('Hide resolved').check();
  await expect(chip('Assessment').locator('.chip-count')).toHaveText('0');
  await chip('Evidence').click();
  await expect(page.locator('.sidebar [data-thread-id]')).toHaveCount(1);
  await expect(page).toHaveURL(/\?tag=evidence&status=open$/);

  const before = await page.evaluate(() => history.length);
  await page.reload();
  await articleLive(page);
  await expect(filters.getByLabel('Hide resolved')).toBeChecked();
  await expect(chip('Evidence')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.sidebar [data-thread-id]')).toHaveCount(1);
  await expect(thread(page, d.missiles)).toBeVisible();
  expect(await page.evaluate(() => history.length)).toBe(before);

  // The same link opens the claims table with the same filters.
  await page.goto(`/documents/${d.id}/claims?tag=evidence&status=open`);
  await expect(page.getByRole('table').locator('tbody tr')).toHaveCount(1);
  await context.close();
});
