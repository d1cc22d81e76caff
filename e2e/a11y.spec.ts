import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { articleLive, clickText, highlight, makeAdmin, newUser, signUp, thread, userInNewContext } from './helpers';

/**
 * Every page passes axe with no violation of any impact: WCAG 2.0/2.1/2.2 A and AA plus axe's
 * best practices, in the light and the dark colour scheme. No rule is disabled and no element
 * excluded; a violation is fixed where it comes from.
 */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];

async function expectAccessible(page: Page, what: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    const found = violations.flatMap((v) =>
      v.nodes.map((n) => `${v.id} (${v.impact}) ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').trim() ?? v.help}`),
    );
    // Soft: one run lists every page's and scheme's violations.
    expect.soft(found, `${what}, ${colorScheme} scheme`).toEqual([]);
  }
}

const doc = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

interface Made {
  id: string;
  version: number;
}

async function annotate(request: APIRequestContext, documentId: string, text: string, exact: string, tag: string, comment?: string, occurrence = 0): Promise<Made> {
  let start = -1;
  for (let i = 0; i <= occurrence; i++) start = text.indexOf(exact, start + 1);
  expect(start, exact).toBeGreaterThanOrEqual(0);
  const res = await request.post(`/api/documents/${documentId}/annotations`, {
    data: { tag, target: { quote: { exact }, position: { start, end: start + exact.length } }, ...(comment ? { comment: { body: doc(comment) } } : {}) },
  });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { annotation: Made }).annotation;
}

async function comment(request: APIRequestContext, annotationId: string, text: string, parentId?: string): Promise<string> {
  const res = await request.post(`/api/annotations/${annotationId}/comments`, { data: { body: doc(text), ...(parentId ? { parentId } : {}) } });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { comment: { id: string } }).comment.id;
}

/** A new document of `count` sentences, each with its own word to highlight; returns its id and text. */
async function documentWithWords(request: APIRequestContext, title: string, count: number) {
  const words = Array.from({ length: count }, (_, i) => `word${i}x`);
  const source = words.map((w, i) => `Sentence ${i} mentions ${w} once.`).join('\n\n');
  const made = await request.post('/api/documents', { data: { title, format: 'markdown', source } });
  expect(made.status()).toBe(201);
  const { document } = (await made.json()) as { document: { id: string; revision: { text: string } } };
  const tags = ['evidence', 'speculation', 'assessment'];
  for (let i = 0; i < words.length; i += 40) {
    await Promise.all(words.slice(i, i + 40).map((w, j) => annotate(request, document.id, document.revision.text, w, tags[(i + j) % 3], (i + j) % 4 === 0 ? `Note on ${w}` : undefined)));
  }
  return document;
}

/**
 * A copy of the default article, so this file's threads do not change the seeded one that other
 * specs expect to start bare.
 */
async function theArticle(request: APIRequestContext) {
  const source = readFileSync('prisma/default-article.md', 'utf8');
  const made = await request.post('/api/documents', { data: { title: 'Accessibility check (a copy of the default article)', format: 'markdown', source } });
  expect(made.status()).toBe(201);
  return ((await made.json()) as { document: { id: string; revision: { text: string } } }).document;
}

/** Transitions (the hover lift, the flash) must be over before colours are measured. */
async function settled(page: Page) {
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => {}))));
}

test('sign-in, sign-up and 404 pages', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/signin');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  await expectAccessible(page, 'sign-in');
  // With an error shown.
  await page.getByLabel('Email').fill('nobody@example.test');
  await page.getByLabel('Password').fill('wrong password here');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('.form-error')).toBeVisible();
  await expectAccessible(page, 'sign-in with an error');

  await page.goto('/signup');
  await expect(page.getByRole('button', { name: 'Create account' })).toBeEnabled();
  await expectAccessible(page, 'sign-up');

  await signUp(page, newUser('Nora Found'));
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await expectAccessible(page, '404');
  await page.goto('/documents/no-such-document');
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await expectAccessible(page, 'unknown document');
  await context.close();
});

test('start page, not-allowed pages, and the phone layout of the start page', async ({ browser }) => {
  const { page, context } = await userInNewContext(browser, 'Lena List');
  await expect(page.getByRole('heading', { name: 'Documents' })).toBeVisible();
  await settled(page);
  await expectAccessible(page, 'start page');

  for (const path of ['/users', '/documents/new']) {
    await page.goto(path);
    await expect(page.getByRole('alert').filter({ hasText: 'Only admins' })).toBeVisible();
    await expectAccessible(page, `not allowed: ${path}`);
  }

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Documents' })).toBeVisible();
  await expectAccessible(page, 'start page, phone');
  await context.close();
});

test('admin pages: add document, People, edit revision', async ({ browser }) => {
  const { page, context, user } = await userInNewContext(browser, 'Ada Admin');
  await makeAdmin(user.email);
  await page.goto('/');
  await settled(page);
  await expectAccessible(page, 'start page as admin');

  await page.goto('/documents/new');
  await expect(page.getByRole('heading', { name: /Add a document/i })).toBeVisible();
  await expectAccessible(page, 'add document');

  await page.goto('/users');
  await expect(page.getByRole('heading', { name: 'People' })).toBeVisible();
  await expect(page.locator('.user-table')).toBeVisible();
  await expectAccessible(page, 'People');

  const article = await theArticle(page.request);
  await page.goto(`/documents/${article.id}/edit`);
  await expect(page.locator('.editor-body')).toBeVisible();
  await settled(page);
  await expectAccessible(page, 'edit revision');
  await context.close();
});

test('the document page with open threads, comments, replies, a resolved and a focused thread; then on a phone', async ({ browser }) => {
  const { page, context, user } = await userInNewContext(browser, 'Ana Kim');
  await makeAdmin(user.email);
  const other = await userInNewContext(browser, 'Ben Moss');
  const article = await theArticle(page.request);
  const text = article.revision.text;
  const r = page.request;

  // Three stacked highlights (each inside the previous), comments and replies from two people.
  await annotate(r, article.id, text, 'North Korea, a master of evasion when it comes to sanctions itself, can provide valuable assistance.', 'assessment', 'Is this the core claim?');
  const middle = await annotate(r, article.id, text, 'a master of evasion when it comes to sanctions', 'speculation', 'Needs a source.');
  await annotate(r, article.id, text, 'master of evasion', 'evidence');
  const answered = await comment(other.page.request, middle.id, 'UN panel reports, 2023.');
  await comment(r, middle.id, 'Thanks, adding the link.', answered);
  const resolved = await annotate(r, article.id, text, 'The war in Ukraine has drastically altered the strategic calculus', 'speculation', 'Settled: it did.');
  expect((await r.patch(`/api/annotations/${resolved.id}`, { data: { status: 'resolved', version: resolved.version } })).status()).toBe(200);
  await annotate(r, article.id, text, 'rapidly deepening relationship between Russia and North Korea', 'evidence');
  const focused = await annotate(r, article.id, text, 'Russia', 'assessment', 'Which Russia, the state or the company?', 2);
  await comment(other.page.request, focused.id, 'The state.');

  await page.goto(`/documents/${article.id}`);
  await expect(page.locator('.article-body h1')).toHaveText('The Russia–North Korea Alliance');
  await expect(page.locator('[data-thread-id]')).toHaveCount(6);
  await thread(page, focused.id).getByRole('button', { name: /Add a comment/ }).click();
  await expect(thread(page, focused.id).getByRole('textbox', { name: 'Comment' })).toBeVisible();
  await settled(page);
  await expectAccessible(page, 'document page');

  // Every button says which thread or whose comment it acts on; a highlight says what it is.
  const m = thread(page, middle.id);
  const on = '“a master of evasion when it comes to san…”';
  for (const name of [`Resolve the thread on ${on}`, `Add a comment to the thread on ${on}`, `Delete highlight ${on} and its thread`, 'Reply to your comment', 'Edit your comment', 'Delete your comment', "Reply to Ben Moss's comment", "Delete Ben Moss's comment"]) {
    await expect(m.getByRole('button', { name, exact: true }).first()).toBeVisible();
  }
  await expect(m.getByRole('button', { name: "Edit Ben Moss's comment" })).toHaveCount(0);
  await expect(m.getByRole('combobox', { name: `Change tag of the thread on ${on}`, exact: true })).toBeVisible();
  await expect(m.getByText('3 comments', { exact: true })).toBeAttached();
  await expect(highlight(page, middle.id)).toHaveJSProperty('tagName', 'MARK');
  await expect(highlight(page, middle.id)).toHaveAccessibleDescription('Speculation, open, 3 comments');
  await expect(highlight(page, resolved.id)).toHaveAccessibleDescription('Speculation, resolved, 1 comment');

  // A resolved thread expanded.
  const war = '“The war in Ukraine has drastically alter…”';
  await thread(page, resolved.id).getByRole('button', { name: `Expand the thread on ${war}`, exact: true }).click();
  await expect(thread(page, resolved.id).getByRole('button', { name: `Reopen the thread on ${war}`, exact: true })).toBeVisible();
  await expect(thread(page, resolved.id).getByRole('button', { name: `Collapse the thread on ${war}`, exact: true })).toBeVisible();
  await settled(page);
  await expectAccessible(page, 'document page, resolved thread expanded');

  // A page note (about the whole document) with a reply arrives live at the top of the margin; the form for a new one open.
  const noted = await r.post(`/api/documents/${article.id}/annotations`, { data: { tag: 'assessment', scope: 'document', comment: { body: doc('A fair summary overall.') } } });
  expect(noted.status()).toBe(201);
  const note = ((await noted.json()) as { annotation: Made }).annotation;
  await comment(other.page.request, note.id, 'Agreed, if a little dated.');
  await expect(thread(page, note.id).locator('.comment-body')).toHaveCount(2);
  await page.getByRole('button', { name: 'New page note' }).click();
  await expect(page.getByRole('group', { name: 'New page note' }).getByRole('textbox', { name: 'Comment' })).toBeVisible();
  await settled(page);
  await expectAccessible(page, 'document page, a page note and the new page note form');

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/documents/${article.id}`);
  await expect(page.locator('.article-body h1')).toHaveText('The Russia–North Korea Alliance');
  await settled(page);
  await expectAccessible(page, 'document page, phone');
  await other.context.close();
  await context.close();
});

test('the document page with suggestions shown and one offered, then on a phone with no sideways scrolling', async ({ browser }) => {
  const { page, context, user } = await userInNewContext(browser, 'Sue Suggest');
  await makeAdmin(user.email);
  const article = await theArticle(page.request);
  // The keyboard caret blinks for ever otherwise, and settled() waits for animations to end.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(`/documents/${article.id}`);
  await articleLive(page);
  await page.getByRole('button', { name: /^Suggestions/ }).click();
  await expect(page.getByRole('button', { name: /^Suggestions/ })).toHaveAttribute('aria-pressed', 'true');
  await clickText(page, 'Finally, it is likely that');
  await expect(page.getByRole('group', { name: 'Suggestion' })).toContainText('Assessment');
  // Tab goes from the article to the offer's buttons.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: /^Accept/ })).toBeFocused();
  await settled(page);
  await expectAccessible(page, 'document page with a suggestion offered');

  // The choice is remembered; on a phone the offer fits the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await articleLive(page);
  await clickText(page, 'Reports indicate that');
  await expect(page.getByRole('group', { name: 'Suggestion' })).toContainText('Speculation');
  await expect(page.getByRole('group', { name: 'Suggestion' })).toBeInViewport({ ratio: 1 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.keyboard.press('Tab');
  await settled(page);
  await expectAccessible(page, 'document page with a suggestion offered, phone');
  await context.close();
});

test('a document with 100 threads, and one with 320 highlights painted as CSS highlights', async ({ browser }) => {
  test.setTimeout(120_000);
  const { page, context, user } = await userInNewContext(browser, 'Hal Hundred');
  await makeAdmin(user.email);

  const hundred = await documentWithWords(page.request, 'A hundred threads', 100);
  await page.goto(`/documents/${hundred.id}`);
  await expect(page.locator('.article [data-annotation-id]')).toHaveCount(100);
  await settled(page);
  await expectAccessible(page, '100 threads');

  const many = await documentWithWords(page.request, 'Many highlights', 320);
  await page.goto(`/documents/${many.id}`);
  await expect(page.locator('.article-body')).toHaveAttribute('data-highlights', 'css');
  await expect.poll(() => page.evaluate(() => [...CSS.highlights.values()].reduce((n, h) => n + h.size, 0))).toBe(320);
  await settled(page);
  await expectAccessible(page, 'CSS highlights');
  await context.close();
});

test('the notification list open in the header, wide and in the phone Menu, and the settings page', async ({ browser }) => {
  const { page, context, user } = await userInNewContext(browser, 'Nadia Notified');
  await makeAdmin(user.email);
  const other = await userInNewContext(browser, 'Omar Mentioner');
  const article = await theArticle(page.request);
  const made = await annotate(page.request, article.id, article.revision.text, 'master of evasion', 'evidence', 'Who says so?');
  await comment(other.page.request, made.id, 'The UN panel.');
  await comment(other.page.request, made.id, 'And the 2023 report.');

  await page.goto('/');
  const bell = page.getByRole('button', { name: 'Notifications, 2 unread' });
  await bell.click();
  await expect(page.getByRole('region', { name: 'Notifications' }).getByRole('listitem')).toHaveCount(2);
  await settled(page);
  await expectAccessible(page, 'start page with the notification list open');

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/documents/${article.id}`);
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('button', { name: 'Notifications, 2 unread' }).click();
  await expect(page.getByRole('region', { name: 'Notifications' }).getByRole('listitem')).toHaveCount(2);
  await settled(page);
  await expectAccessible(page, 'document page, phone, with the notification list open in the Menu');

  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/settings');
  await expect(page.getByRole('group', { name: 'Notifications by email' })).toBeVisible();
  await settled(page);
  await expectAccessible(page, 'settings page');
  await context.close();
  await other.context.close();
});

test('the search page and the claims table (sorted and filtered), also on a phone without sideways scrolling', async ({ browser }) => {
  const { page, context, user } = await userInNewContext(browser, 'Sam Search');
  await makeAdmin(user.email);
  const article = await theArticle(page.request);
  const text = article.revision.text;
  const r = page.request;
  const a = await annotate(r, article.id, text, 'a master of evasion when it comes to sanctions', 'speculation', 'Needs a source on sanctions.');
  await comment(r, a.id, 'UN panel reports on sanctions, 2023.');
  await annotate(r, article.id, text, 'rapidly deepening relationship between Russia and North Korea', 'evidence');
  const resolved = await annotate(r, article.id, text, 'The war in Ukraine has drastically altered the strategic calculus', 'assessment', 'It did.');
  expect((await r.patch(`/api/annotations/${resolved.id}`, { data: { status: 'resolved', version: resolved.version } })).status()).toBe(200);

  await page.goto('/search?q=sanctions');
  await expect(page.getByRole('link', { name: /master of evasion/ }).first()).toBeVisible();
  await settled(page);
  await expectAccessible(page, 'search page');
  await page.goto('/search?q=nothingmatchesthis');
  await expect(page.getByText(/Nothing found/)).toBeVisible();
  await expectAccessible(page, 'search page, no hits');

  await page.goto(`/documents/${article.id}/claims`);
  await page.getByRole('button', { name: 'Replies' }).click();
  await expect(page.getByRole('columnheader', { name: 'Replies' })).toHaveAttribute('aria-sort', 'ascending');
  await settled(page);
  await expectAccessible(page, 'claims table');
  await page.goto(`/documents/${article.id}/claims?status=open&q=sanctions`);
  await expect(page.getByRole('table').locator('tbody tr')).toHaveCount(1);
  await settled(page);
  await expectAccessible(page, 'claims table, filtered');

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/documents/${article.id}/claims`);
  await expect(page.getByRole('table').locator('tbody tr')).toHaveCount(3);
  await settled(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await expectAccessible(page, 'claims table, phone');
  await page.goto('/search?q=sanctions');
  await settled(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await expectAccessible(page, 'search page, phone');
  await context.close();
});
