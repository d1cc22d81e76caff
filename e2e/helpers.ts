import { expect, type Browser, type Page } from '@playwright/test';

let counter = 0;
const run = Date.now().toString(36);

export interface TestUser {
  name: string;
  email: string;
  password: string;
}

export function newUser(name: string): TestUser {
  counter += 1;
  return { name, email: `${name.toLowerCase().replace(/\W+/g, '')}-${run}-${counter}@example.test`, password: 'correct horse battery' };
}

export async function signUp(page: Page, user: TestUser): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel(/^Password/).fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Documents' })).toBeVisible();
}

export async function signIn(page: Page, user: TestUser): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Documents' })).toBeVisible();
}

/** A fresh browser context (its own cookies) with a signed-up user. */
export async function userInNewContext(browser: Browser, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const user = newUser(name);
  await signUp(page, user);
  return { context, page, user };
}

export async function openArticle(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('link', { name: /The Russia–North Korea Alliance/ }).click();
  await expect(page.locator('.article-body h1')).toHaveText('The Russia–North Korea Alliance');
  await articleLive(page);
}

/**
 * Waits until the document page is hydrated (the article says which keys it answers only then):
 * a click on a highlight before that does nothing, which made tests that click at once flaky.
 */
export async function articleLive(page: Page): Promise<void> {
  await expect(page.locator('.article-body')).toHaveAttribute('aria-keyshortcuts', /\bj\b/);
  // The threads arrive after the HTML (the page fetches them): until then nothing can be tagged.
  await expect(page.locator('aside.sidebar')).toHaveAttribute('aria-busy', 'false');
}

/**
 * Selects `text` in the article the way a drag would leave it: a DOM selection over the text
 * (which may span several text nodes, e.g. across existing highlights).
 */
export async function selectText(page: Page, text: string, occurrence = 0): Promise<void> {
  await selectIn(page, '.article-body', text, occurrence);
  await expect(page.getByRole('toolbar', { name: 'Tag the selected passage' })).toBeVisible();
}

/** Sets the DOM selection over the `occurrence`-th `text` inside the element matching `rootSelector`. */
export async function selectIn(page: Page, rootSelector: string, text: string, occurrence = 0): Promise<void> {
  await page.evaluate(
    ({ rootSelector, text, occurrence }) => {
      const root = document.querySelector(rootSelector);
      if (!root) throw new Error('no article');
      const nodes: Text[] = [];
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
      const full = nodes.map((n) => n.data).join('');
      let at = -1;
      for (let i = 0; i <= occurrence; i++) at = full.indexOf(text, at + 1);
      if (at < 0) throw new Error(`text not found: ${text}`);
      const locate = (offset: number, end: boolean) => {
        let acc = 0;
        for (const n of nodes) {
          if (offset < acc + n.data.length || (end && offset === acc + n.data.length)) return { node: n, offset: offset - acc };
          acc += n.data.length;
        }
        throw new Error('offset outside text');
      };
      const s = locate(at, false);
      const e = locate(at + text.length, true);
      const range = document.createRange();
      range.setStart(s.node, s.offset);
      range.setEnd(e.node, e.offset);
      const sel = window.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
    },
    { rootSelector, text, occurrence },
  );
}

/** Clicks on the third character of `text` in the article, as a reader would (the caret goes there). */
export async function clickText(page: Page, text: string): Promise<void> {
  const box = await page.evaluate((t) => {
    const walker = document.createTreeWalker(document.querySelector('.article-body')!, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = (n as Text).data.indexOf(t);
      if (i < 0) continue;
      const r = document.createRange();
      r.setStart(n, i + 2);
      r.setEnd(n, i + 3);
      r.startContainer.parentElement!.scrollIntoView({ block: 'center' });
      const b = r.getBoundingClientRect();
      return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
    }
    throw new Error(`not in the article: ${t}`);
  }, text);
  await page.mouse.click(box.x, box.y);
}

/** The highlight elements of one annotation, found by their quote. */
export function highlight(page: Page, id: string) {
  return page.locator(`.article [data-annotation-id="${id}"]`);
}

export function thread(page: Page, id: string) {
  return page.locator(`[data-thread-id="${id}"]`);
}

/** Creates a highlight through the toolbar and returns its annotation id. */
export async function tag(page: Page, text: string, label: 'Evidence' | 'Speculation' | 'Assessment'): Promise<string> {
  await selectText(page, text);
  const created = page.waitForResponse((r) => r.url().includes('/annotations') && r.request().method() === 'POST');
  await page.getByRole('button', { name: label, exact: true }).click();
  const res = await created;
  expect(res.status()).toBe(201);
  return ((await res.json()) as { annotation: { id: string } }).annotation.id;
}

/**
 * Resolves a thread the way a user does: Resolve opens the outcome form, then "Resolve thread"
 * (with an outcome, if given).
 */
export async function resolveThread(page: Page, id: string, outcome?: 'Accepted' | 'Rejected' | 'Needs source' | 'Escalated', rationale?: string): Promise<void> {
  await thread(page, id).getByRole('button', { name: /^Resolve the thread/ }).click();
  const form = thread(page, id).getByRole('form', { name: /^Resolve the thread/ });
  if (outcome) await form.getByRole('radio', { name: outcome, exact: true }).check();
  if (rationale) await form.getByLabel('Rationale (optional)').fill(rationale);
  await form.getByRole('button', { name: 'Resolve thread', exact: true }).click();
}

/** Makes a signed-up user an admin directly in the e2e database (PATCH /api/users needs an admin already). */
export async function makeAdmin(email: string): Promise<void> {
  const { readFileSync } = await import('node:fs');
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: readFileSync('.test-data/e2e/database-url', 'utf8').trim() });
  await client.connect();
  try {
    await client.query(`UPDATE "User" SET role = 'admin' WHERE email = $1`, [email]);
  } finally {
    await client.end();
  }
}

/**
 * Records every CSP violation the page reports (from the first script on, before the app's own
 * code) in window.__cspViolations, for `cspViolations(page)` to read.
 */
export async function watchCspViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`);
    });
  });
}

export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}
