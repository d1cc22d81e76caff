import { readFileSync } from 'node:fs';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { makeAdmin, thread, userInNewContext } from './helpers';

/**
 * The document page by keyboard alone (issue 9): after the page is loaded every step is
 * page.keyboard, with no mouse event and no DOM selection call; the assertions read the DOM.
 * Each test works on a document of its own, so the highlights in it are known.
 */

const ARTICLE = readFileSync('prisma/default-article.md', 'utf8');
const SENTENCE_1 = 'The echoes of war in Ukraine reverberate across the globe, reshaping alliances and redrawing geopolitical boundaries.';
const SENTENCE_LATER = 'The war in Ukraine has drastically altered the strategic calculus for both Moscow and Pyongyang.';

const paragraph = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

async function newDocument(request: APIRequestContext, title: string, source: string) {
  const made = await request.post('/api/documents', { data: { title, format: 'markdown', source } });
  expect(made.status()).toBe(201);
  return ((await made.json()) as { document: { id: string; revision: { text: string } } }).document;
}

async function annotate(request: APIRequestContext, documentId: string, text: string, exact: string, tag: string, comments: string[] = []) {
  const start = text.indexOf(exact);
  expect(start, exact).toBeGreaterThanOrEqual(0);
  const res = await request.post(`/api/documents/${documentId}/annotations`, { data: { tag, target: { quote: { exact }, position: { start, end: start + exact.length } } } });
  expect(res.status()).toBe(201);
  const id = ((await res.json()) as { annotation: { id: string } }).annotation.id;
  for (const c of comments) expect((await request.post(`/api/annotations/${id}/comments`, { data: { body: paragraph(c) } })).status()).toBe(201);
  return id;
}

/** Opens the document and waits until its keys work (the article says so once the page is live). */
async function open(page: Page, id: string) {
  await page.goto(`/documents/${id}`);
  const article = page.getByRole('region', { name: 'Article', exact: true });
  await expect(article).toHaveAttribute('aria-keyshortcuts', /\bj\b/);
  return article;
}

/** Tab from the top of the page: the skip link first, then Enter into the article. */
async function skipToArticle(page: Page) {
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to article' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Article', exact: true })).toBeFocused();
}

const selected = (page: Page) => page.evaluate(() => window.getSelection()?.toString() ?? '');
const caretAt = (page: Page) => page.locator('.kbd-caret').evaluate((el) => (el as HTMLElement).style.transform);

test('tag a sentence, comment, move between highlights and reply, all by keyboard', async ({ browser }) => {
  const { page, context, user } = await userInNewContext(browser, 'Kira Keys');
  await makeAdmin(user.email);
  const doc = await newDocument(page.request, 'Keyboard alone', ARTICLE);
  const later = await annotate(page.request, doc.id, doc.revision.text, SENTENCE_LATER, 'evidence', ['Sourced.']);

  const article = await open(page, doc.id);
  await skipToArticle(page);
  await expect(page.locator('.kbd-caret')).toBeVisible();

  // The caret starts at the title; down to the first paragraph, a few characters in, `s`.
  await page.keyboard.press('ArrowDown');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('s');
  await expect.poll(() => selected(page)).toBe(SENTENCE_1);
  await expect(page.getByRole('toolbar', { name: 'Tag the selected passage' })).toBeVisible();

  // `2`: Speculation, as the toolbar's button would; the new thread's comment box takes the focus.
  const created = page.waitForResponse((r) => r.url().endsWith(`/api/documents/${doc.id}/annotations`) && r.request().method() === 'POST');
  await page.keyboard.press('2');
  const res = await created;
  expect(res.status()).toBe(201);
  const mine = ((await res.json()) as { annotation: { id: string; tag: string } }).annotation;
  expect(mine.tag).toBe('speculation');
  const box = thread(page, mine.id).getByRole('textbox', { name: 'Comment' });
  await expect(box).toBeFocused();
  await page.keyboard.type('Says who?');
  await page.keyboard.press('Control+Enter');
  await expect(thread(page, mine.id).locator('.comment-body')).toHaveText('Says who?');

  // Escape from the margin: back in the article, the caret where it was (the sentence's end).
  await page.keyboard.press('Escape');
  await expect(article).toBeFocused();

  // `j` goes on to the later highlight, `k` back to ours: the margin follows, the keyboard stays.
  await page.keyboard.press('j');
  await expect(thread(page, later)).toHaveClass(/is-active/);
  await expect(article).toBeFocused();
  await expect(article).toHaveAttribute('aria-description', 'Evidence, open, 1 comment');
  await page.keyboard.press('k');
  await expect(thread(page, mine.id)).toHaveClass(/is-active/);
  await expect(article).toBeFocused();
  await expect(article).toHaveAttribute('aria-description', 'Speculation, open, 1 comment');
  await expect(page.getByTestId('caret-announcer')).toHaveText('Speculation, open, 1 comment');

  // Enter on the highlight: write in its thread.
  await page.keyboard.press('Enter');
  await expect(box).toBeFocused();
  await page.keyboard.type('The ministry, per Reuters.');
  await page.keyboard.press('Control+Enter');
  await expect(thread(page, mine.id).locator('.comment-body')).toHaveText(['Says who?', 'The ministry, per Reuters.']);
  await context.close();
});

test('Enter on a highlight opens its comment box at once, even while its comments are still on their way', async ({ browser }) => {
  const { page, context, user } = await userInNewContext(browser, 'Kai Quick');
  await makeAdmin(user.email);
  const doc = await newDocument(page.request, 'Keyboard before the comments', ARTICLE);
  const id = await annotate(page.request, doc.id, doc.revision.text, SENTENCE_1, 'evidence', ['Sourced.']);
  // The thread's comments are held until the end.
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route((url) => url.pathname === `/api/documents/${doc.id}/comments`, async (route) => {
    await held;
    await route.continue();
  });
  await open(page, doc.id);
  await skipToArticle(page);
  await page.keyboard.press('j');
  await expect(thread(page, id)).toHaveClass(/is-active/);
  await expect(thread(page, id).locator('.comments-loading')).toBeVisible();
  await page.keyboard.press('Enter');
  const box = thread(page, id).getByRole('textbox', { name: 'Comment' });
  await expect(box).toBeFocused();
  await page.keyboard.type('Typed early');
  release();
  await expect(thread(page, id).locator('.comment-body')).toHaveText(['Sourced.']);
  await expect(box).toBeFocused();
  await expect(box).toHaveText('Typed early');
  await context.close();
});

test('p, Shift and Ctrl+Shift arrows extend; Escape in a thread returns to the article; a quote leads back to its passage', async ({ browser }) => {
  const { page, context, user } = await userInNewContext(browser, 'Kira Shift');
  await makeAdmin(user.email);
  const doc = await newDocument(page.request, 'Keyboard selection', ARTICLE);
  const later = await annotate(page.request, doc.id, doc.revision.text, SENTENCE_LATER, 'assessment');
  const article = await open(page, doc.id);
  await skipToArticle(page);

  // `p`: the whole first paragraph.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('p');
  const first = doc.revision.text.split('\n')[1];
  await expect.poll(() => selected(page)).toBe(first);

  // Left collapses to the start; Shift+Right by character, Ctrl+Shift+Right by word, Shift+Down by line.
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => selected(page)).toBe('');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
  await expect.poll(() => selected(page)).toBe('The');
  await page.keyboard.press('Control+Shift+ArrowRight');
  await expect.poll(() => selected(page)).toBe('The echoes');
  await page.keyboard.press('Control+Shift+ArrowRight');
  await expect.poll(() => selected(page)).toBe('The echoes of');
  await page.keyboard.press('Control+Shift+ArrowLeft');
  await expect.poll(() => selected(page)).toBe('The echoes ');
  await page.keyboard.press('Shift+ArrowDown');
  const twoLines = await selected(page);
  expect(twoLines.startsWith('The echoes ')).toBe(true);
  expect(twoLines.length).toBeGreaterThan(40);
  expect(first.startsWith(twoLines)).toBe(true);
  await page.keyboard.press('Shift+End');
  const toLineEnd = await selected(page);
  expect(toLineEnd.length).toBeGreaterThan(twoLines.length);
  expect(first.startsWith(toLineEnd)).toBe(true);
  // Escape dismisses the toolbar; the caret stays in the article.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('toolbar', { name: 'Tag the selected passage' })).toBeHidden();
  await expect.poll(() => selected(page)).toBe('');
  await expect(article).toBeFocused();

  // Into the margin with Tab, to the thread's comment box (the thread `j` focused), some text, Escape:
  // back in the article, caret unmoved, the text kept.
  await page.keyboard.press('Home');
  await page.keyboard.press('j');
  await expect(thread(page, later)).toHaveClass(/is-active/);
  const caret = await caretAt(page);
  const box = thread(page, later).getByRole('textbox', { name: 'Comment' });
  for (let i = 0; i < 20 && !(await box.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(box).toBeFocused();
  await page.keyboard.type('Half a thought');
  await page.keyboard.press('Escape');
  await expect(article).toBeFocused();
  expect(await caretAt(page)).toBe(caret);
  await expect(box).toHaveText('Half a thought');

  // The thread's quote leads to its passage: the focus in the article, the caret at the passage's start.
  await page.keyboard.press('Control+Home');
  const quote = thread(page, later).locator('button.quote');
  for (let i = 0; i < 20 && !(await quote.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(quote).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(article).toBeFocused();
  await page.keyboard.press('s');
  await expect.poll(() => selected(page)).toBe(SENTENCE_LATER);
  await context.close();
});

test('with CSS highlights (over 300) the highlight under the caret is announced', async ({ browser }) => {
  const { page, context, user } = await userInNewContext(browser, 'Kira Many');
  await makeAdmin(user.email);
  const words = Array.from({ length: 310 }, (_, i) => `word${i}x`);
  const doc = await newDocument(page.request, 'Keyboard with many highlights', words.map((w, i) => `Sentence ${i} mentions ${w} once.`).join('\n\n'));
  const firstId = await annotate(page.request, doc.id, doc.revision.text, words[0], 'speculation', ['One.', 'Two.']);
  for (let i = 1; i < words.length; i += 40) {
    await Promise.all(words.slice(i, i + 40).map((w) => annotate(page.request, doc.id, doc.revision.text, w, 'evidence')));
  }
  const article = await open(page, doc.id);
  await expect(article).toHaveAttribute('data-highlights', 'css');
  await skipToArticle(page);

  const announcer = page.getByTestId('caret-announcer');
  await expect(announcer).toHaveAttribute('aria-live', 'polite');
  await expect(announcer).toHaveText('');
  await page.keyboard.press('j');
  await expect(thread(page, firstId)).toHaveClass(/is-active/);
  await expect(announcer).toHaveText('Speculation, open, 2 comments');
  await page.keyboard.press('j');
  await expect(announcer).toHaveText('Evidence, open, 0 comments');
  // Off the highlight (the end of the word is outside it): nothing to announce.
  await page.keyboard.press('Control+ArrowRight');
  await expect(announcer).toHaveText('');
  await context.close();
});

test('? over a keyboard selection: Escape closes the list, not the toolbar, and the focus returns to the article', async ({ browser }) => {
  const { page, context, user } = await userInNewContext(browser, 'Kira Help');
  await makeAdmin(user.email);
  const doc = await newDocument(page.request, 'Keyboard help', ARTICLE);
  const article = await open(page, doc.id);
  await skipToArticle(page);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('s');
  const toolbar = page.getByRole('toolbar', { name: 'Tag the selected passage' });
  await expect(toolbar).toBeVisible();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Select the sentence at the caret');
  // 1 2 3 do not tag behind the list.
  await page.keyboard.press('1');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(article).toBeFocused();
  await expect(toolbar).toBeVisible();
  await expect(page.locator('[data-thread-id]')).toHaveCount(0);
  await context.close();
});
