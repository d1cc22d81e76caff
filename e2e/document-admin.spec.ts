import { expect, test, type Page } from '@playwright/test';
import { makeAdmin, userInNewContext } from './helpers';

/**
 * Changes a user directly in the e2e database: the first account of a fresh one is an admin, and
 * a name as long as the API allows would make an email too long to sign up with.
 */
async function updateUser(email: string, set: { role: 'viewer' | 'analyst' } | { name: string }): Promise<void> {
  const { readFileSync } = await import('node:fs');
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: readFileSync('.test-data/e2e/database-url', 'utf8').trim() });
  await client.connect();
  try {
    if ('role' in set) await client.query(`UPDATE "User" SET role = $2 WHERE email = $1`, [email, set.role]);
    else await client.query(`UPDATE "User" SET name = $2 WHERE email = $1`, [email, set.name]);
  } finally {
    await client.end();
  }
}

/** True when the page scrolls sideways (its content is wider than the viewport). */
const scrollsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

async function seededDocumentId(page: Page): Promise<string> {
  await page.goto('/');
  const href = await page.getByRole('link', { name: /The Russia–North Korea Alliance/ }).getAttribute('href');
  return href!.split('/').pop()!;
}

async function adminInNewContext(browser: Parameters<typeof userInNewContext>[0], name: string) {
  const a = await userInNewContext(browser, name);
  // Roles are read again on every request: no new sign-in needed.
  await makeAdmin(a.user.email);
  return a;
}

async function addDocument(page: Page, title: string): Promise<string> {
  const res = await page.request.post('/api/documents', { data: { title, format: 'markdown', source: '# Heading\n\nSome text.' } });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { document: { id: string } }).document.id;
}

test('admin-only pages answer 403 with the not-allowed page to others, unknown documents 404', async ({ browser }) => {
  const analyst = await userInNewContext(browser, 'Ana Lyst');
  await updateUser(analyst.user.email, { role: 'analyst' });
  const viewer = await userInNewContext(browser, 'Vi Ewer');
  await updateUser(viewer.user.email, { role: 'viewer' });
  const id = await seededDocumentId(analyst.page);
  const pages = [
    { path: '/users', heading: 'People', message: 'Only admins can manage people.' },
    { path: '/documents/new', heading: 'Add a document', message: 'Only admins can add documents.' },
    { path: `/documents/${id}/edit`, heading: 'Edit document', message: 'Only admins can revise documents.' },
  ];
  for (const p of pages) {
    const res = await analyst.page.goto(p.path);
    expect(res?.status(), p.path).toBe(403);
    await expect(analyst.page.getByRole('heading', { name: p.heading, level: 1 })).toBeVisible();
    await expect(analyst.page.getByRole('alert').filter({ hasText: p.message })).toBeVisible();
    // The header is there as on any page, so the way out is too.
    await expect(analyst.page.getByRole('link', { name: 'Marginalia' })).toBeVisible();
  }
  await expect(analyst.page.getByRole('link', { name: 'Back to the document' })).toHaveAttribute('href', `/documents/${id}`);
  expect((await analyst.page.goto('/documents/cmissing000000000000000000/edit'))?.status()).toBe(404);
  for (const p of pages) expect((await viewer.page.request.get(p.path)).status(), `viewer ${p.path}`).toBe(403);
  await viewer.context.close();

  const admin = await adminInNewContext(browser, 'Ada Min');
  for (const p of pages) expect((await admin.page.goto(p.path))?.status(), p.path).toBe(200);
  expect((await admin.page.goto('/documents/cmissing000000000000000000/edit'))?.status()).toBe(404);
  await analyst.context.close();
  await admin.context.close();
});

test('a 300-character unbroken title wraps or shortens everywhere; no page scrolls sideways at 390 px', async ({ browser }) => {
  const admin = await adminInNewContext(browser, 'Lon Gtitle');
  const long = `${'W'.repeat(299)}Z`;
  const id = await addDocument(admin.page, long);
  // Someone with a long unbroken name on the People page.
  const longName = await userInNewContext(browser, 'Long Name');
  await updateUser(longName.user.email, { name: `N${'n'.repeat(99)}` });
  await longName.context.close();

  for (const viewport of [{ width: 1400, height: 900 }, { width: 390, height: 844 }]) {
    await admin.page.setViewportSize(viewport);
    await admin.page.goto('/');
    await expect(admin.page.locator('.doc-card', { hasText: 'WWWW' })).toBeVisible();
    expect(await scrollsSideways(admin.page), `list at ${viewport.width}`).toBe(false);
    await admin.page.goto('/users');
    await expect(admin.page.getByText('nnnnnnnnnn').first()).toBeVisible();
    expect(await scrollsSideways(admin.page), `people at ${viewport.width}`).toBe(false);
    await admin.page.goto(`/documents/${id}`);
    await expect(admin.page.locator('.article-body')).toBeVisible();
    expect(await scrollsSideways(admin.page), `document at ${viewport.width}`).toBe(false);
  }
  // The tab shows a shortened title.
  const tab = await admin.page.title();
  expect(tab.length).toBeLessThan(100);
  expect(tab).toMatch(/^W+…/);
  await admin.context.close();
});

test('the import form shows the title limit and never cuts a long paste; a pasted Markdown heading becomes the title', async ({ browser }) => {
  const admin = await adminInNewContext(browser, 'Imp Orter');
  await admin.page.goto('/documents/new');
  const title = admin.page.getByRole('textbox', { name: 'Title' });
  await expect(admin.page.getByText('0 / 300')).toBeVisible();
  const tooLong = 'T'.repeat(305);
  await title.fill(tooLong);
  // Nothing cut: the whole paste is there, with the count and an error.
  await expect(title).toHaveValue(tooLong);
  await expect(admin.page.getByText('305 / 300')).toBeVisible();
  await expect(admin.page.getByText('The title is 5 characters over the 300 limit.')).toBeVisible();
  await expect(title).toHaveAttribute('aria-invalid', 'true');
  await admin.page.getByRole('textbox', { name: 'Text' }).fill('Some text.');
  await admin.page.getByRole('button', { name: 'Add document' }).click();
  await expect(admin.page).toHaveURL(/\/documents\/new$/);

  // Pasting Markdown into the text with an empty title takes the title from the first heading.
  await title.fill('');
  await admin.page.getByRole('textbox', { name: 'Text' }).fill('');
  await admin.page.getByRole('textbox', { name: 'Text' }).focus();
  await admin.page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text/plain', 'Intro line\n\n## Field Report: Harbour Activity\n\nText.\n\n# Later heading');
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await expect(title).toHaveValue('Field Report: Harbour Activity');
  // A title typed by hand is kept on a later paste.
  await title.fill('My own title');
  await admin.page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text/plain', '# Another heading\n\nMore.');
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await expect(title).toHaveValue('My own title');
  await admin.context.close();
});

test('an admin renames, deletes and restores a document from the start page, by keyboard', async ({ browser }) => {
  const admin = await adminInNewContext(browser, 'Del Eter');
  const reader = await userInNewContext(browser, 'Rea Der');
  await updateUser(reader.user.email, { role: 'analyst' });
  const stamp = Date.now().toString(36);
  const id = await addDocument(admin.page, `Quarterly ${stamp}`);
  await admin.page.goto('/');
  const card = admin.page.locator('li', { has: admin.page.getByRole('link', { name: new RegExp(`Quarterly ${stamp}`) }) });

  // Rename: the actions menu opens from the keyboard.
  await card.getByRole('button', { name: `Actions for Quarterly ${stamp}` }).focus();
  await admin.page.keyboard.press('Enter');
  await expect(card.getByRole('menuitem', { name: 'Rename' })).toBeFocused();
  await admin.page.keyboard.press('Enter');
  const input = card.getByRole('textbox', { name: 'New title' });
  await expect(input).toBeFocused();
  await input.fill(`Annual ${stamp}`);
  await admin.page.keyboard.press('Enter');
  await expect(admin.page.getByRole('link', { name: new RegExp(`Annual ${stamp}`) })).toBeVisible();
  const renamed = admin.page.locator('li', { has: admin.page.getByRole('link', { name: new RegExp(`Annual ${stamp}`) }) });

  // Delete asks first; dismissing keeps the document.
  admin.page.once('dialog', (d) => void d.dismiss());
  await renamed.getByRole('button', { name: `Actions for Annual ${stamp}` }).click();
  await renamed.getByRole('menuitem', { name: 'Delete' }).click();
  await expect(renamed.getByRole('link')).toBeVisible();
  admin.page.once('dialog', (d) => {
    expect(d.message()).toContain(`Annual ${stamp}`);
    void d.accept();
  });
  await renamed.getByRole('button', { name: `Actions for Annual ${stamp}` }).click();
  await renamed.getByRole('menuitem', { name: 'Delete' }).click();
  const deleted = admin.page.getByRole('region', { name: 'Deleted documents' });
  await expect(deleted.getByText(`Annual ${stamp}`)).toBeVisible();
  await expect(admin.page.locator('.doc-list').getByRole('link', { name: new RegExp(`Annual ${stamp}`) })).toHaveCount(0);

  // Gone for everyone else: not listed, and its page is a 404.
  await reader.page.goto('/');
  await expect(reader.page.getByRole('heading', { name: 'Documents' })).toBeVisible();
  await expect(reader.page.getByText(`Annual ${stamp}`)).toHaveCount(0);
  await expect(reader.page.getByRole('region', { name: 'Deleted documents' })).toHaveCount(0);
  expect((await reader.page.goto(`/documents/${id}`))?.status()).toBe(404);
  expect((await admin.page.request.get(`/documents/${id}`)).status()).toBe(404);

  // Restore brings it back.
  await deleted.getByRole('button', { name: `Restore Annual ${stamp}` }).click();
  await expect(admin.page.locator('.doc-list').getByRole('link', { name: new RegExp(`Annual ${stamp}`) })).toBeVisible();
  await expect(admin.page.getByRole('region', { name: 'Deleted documents' })).toHaveCount(0);
  expect((await reader.page.goto(`/documents/${id}`))?.status()).toBe(200);
  await expect(reader.page).toHaveTitle(new RegExp(`^Annual ${stamp}`));
  await admin.context.close();
  await reader.context.close();
});
