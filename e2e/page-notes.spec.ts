/**
 * Page notes: a thread about the whole document, at the top of the margin, with the same
 * comments, replies, resolve and outcomes as a highlight's thread; live in another browser, kept
 * on reload and carried to a new revision.
 */
import { expect, test, type Page } from '@playwright/test';
import { articleLive, highlight, makeAdmin, openArticle, selectIn, tag, thread, userInNewContext } from './helpers';

const MD = '# Field report\n\nThe convoy crossed the border at night. Officials later denied it.\n\nA second paragraph about the weather.\n';

/** The thread ids in the margin, top to bottom. */
const marginIds = (page: Page) => page.locator('.sidebar [data-thread-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-thread-id')));

test('A adds a page note with a comment; B sees it live at the top of the margin and replies; A resolves it with an outcome; a reload and a new revision keep it', async ({ browser }) => {
  const ana = await userInNewContext(browser, 'Ana Pagenote');
  const ben = await userInNewContext(browser, 'Ben Pagenote');
  await makeAdmin(ana.user.email);
  const a = ana.page;
  const b = ben.page;

  // A fresh document, so nothing else is in its margin.
  await a.goto('/');
  await a.getByRole('link', { name: 'Add a document' }).click();
  await a.getByRole('textbox', { name: 'Title' }).fill('Field report');
  await a.getByRole('textbox', { name: 'Text' }).fill(MD);
  await a.getByRole('button', { name: 'Add document' }).click();
  await expect(a.locator('.article-body h1')).toHaveText('Field report');
  await articleLive(a);
  await b.goto(a.url());
  await articleLive(b);
  const highlightId = await tag(a, 'Officials later denied it.', 'Evidence');

  // A: New page note, an assessment (the default) with its first comment.
  await a.getByRole('button', { name: 'New page note' }).click();
  const form = a.getByRole('group', { name: 'New page note' });
  await expect(form.getByRole('radio', { name: 'Assessment' })).toBeChecked();
  await form.getByRole('textbox', { name: 'Comment' }).fill('Overall the report reads as one-sided.');
  const created = a.waitForResponse((r) => r.url().endsWith('/annotations') && r.request().method() === 'POST');
  await form.getByRole('button', { name: 'Add page note' }).click();
  const res = await created;
  expect(res.status()).toBe(201);
  const noteId = ((await res.json()) as { annotation: { id: string } }).annotation.id;
  await expect(form).toHaveCount(0);
  const aNote = thread(a, noteId);
  await expect(aNote.locator('.page-note-scope')).toHaveText('About the whole document');
  await expect(aNote.locator('.comment-body')).toHaveText('Overall the report reads as one-sided.');
  // Not drawn in the article.
  await expect(a.locator(`.article [data-annotation-id="${noteId}"]`)).toHaveCount(0);

  // B: live, first in the margin, under Page notes; then a reply.
  const bNote = thread(b, noteId);
  await expect(b.locator('.page-notes').getByRole('heading', { name: /Page notes/ })).toBeVisible();
  await expect(bNote).toBeVisible();
  await expect.poll(() => marginIds(b)).toEqual([noteId, highlightId]);
  await expect(bNote.locator('button.quote')).toHaveCount(0);
  await bNote.locator('.comment').first().getByRole('button', { name: 'Reply' }).click();
  await bNote.getByRole('textbox', { name: 'Comment' }).fill('Which parts, exactly?');
  await bNote.getByRole('button', { name: 'Post comment' }).click();
  await expect(aNote.locator('.comment-body')).toHaveText(['Overall the report reads as one-sided.', 'Which parts, exactly?']);

  // A resolves it with an outcome; B sees it live.
  await aNote.getByRole('button', { name: 'Resolve the assessment page note by Ana Pagenote' }).click();
  const resolve = aNote.getByRole('form', { name: /^Resolve the assessment page note/ });
  await resolve.getByRole('radio', { name: 'Accepted', exact: true }).check();
  await resolve.getByLabel('Rationale (optional)').fill('Agreed after discussion');
  await resolve.getByRole('button', { name: 'Resolve thread', exact: true }).click();
  await expect(bNote).toHaveClass(/is-resolved/);
  await expect(bNote.locator('.outcome')).toHaveText('Accepted: Agreed after discussion');

  // A reload keeps it, first.
  await b.reload();
  await articleLive(b);
  await expect(thread(b, noteId).locator('.outcome')).toHaveText('Accepted: Agreed after discussion');
  await expect.poll(() => marginIds(b)).toEqual([noteId, highlightId]);

  // A new revision that removes every passage the note could have been tied to keeps it, with its thread.
  await a.getByRole('link', { name: 'Edit' }).click();
  await expect(a.locator('.editor-body')).toContainText('Officials later denied it.');
  await expect(a.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: 'Bold' })).toBeEnabled();
  await selectIn(a, '.editor-body', 'The convoy crossed the border at night. Officials later denied it.');
  await a.keyboard.type('Nothing happened.');
  await expect(a.locator('.editor-body')).not.toContainText('Officials');
  await a.getByRole('button', { name: /Publish revision 2/ }).click();
  await expect(a.getByText(/Revision 2 published/)).toBeVisible();
  await expect(thread(a, noteId).locator('.page-note-scope')).toHaveText('About the whole document');
  await expect(thread(a, highlightId)).toContainText('Officials later denied it.');
  await expect(a.locator('.orphans')).toContainText('Orphaned 1');
  await b.getByRole('link', { name: 'Load revision 2' }).click();
  await articleLive(b);
  await expect(b.locator('.page-notes [data-thread-id]')).toHaveCount(1);
  const kept = thread(b, noteId);
  await expect(kept.locator('.outcome')).toHaveText('Accepted: Agreed after discussion');
  await kept.getByRole('button', { name: 'Expand the assessment page note by Ana Pagenote' }).click();
  await expect(kept.locator('.comment-body')).toHaveText(['Overall the report reads as one-sided.', 'Which parts, exactly?']);
  await ana.context.close();
  await ben.context.close();
});

test('opening the page-note form keeps the cards beside their passages', async ({ browser }) => {
  const ana = await userInNewContext(browser, 'Ana Beside');
  const a = ana.page;
  await a.setViewportSize({ width: 1440, height: 900 });
  await openArticle(a);
  const id = await tag(a, 'alternative sources of military hardware', 'Evidence');
  const offset = async () => (await thread(a, id).boundingBox())!.y - (await highlight(a, id).first().boundingBox())!.y;
  await expect.poll(offset).toBeLessThan(60);
  await a.getByRole('button', { name: /New page note/ }).first().click();
  await expect(a.getByRole('button', { name: 'Add page note' })).toBeVisible();
  // The form pushes the list down; the cards are placed again so they stay at their passages.
  await expect.poll(async () => Math.abs(await offset())).toBeLessThan(60);
  await ana.context.close();
});
