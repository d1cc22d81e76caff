import { expect, test, type Page } from '@playwright/test';
import { highlight, makeAdmin, openArticle, selectIn, selectText, tag, thread, userInNewContext } from './helpers';

const KEPT = 'The exact details of these arms transfers remain shrouded in secrecy, but the evidence, gathered from satellite imagery and intelligence assessments, paints a clear picture of increasing cooperation.';
const FIXED = KEPT.replace('arms transfers', 'weapons transfers');
const GONE = 'The war in Ukraine has taken a heavy toll on Russian forces, and the Kremlin is reportedly struggling to recruit and maintain its troops.';

async function comment(page: Page, id: string, text: string) {
  const box = thread(page, id).getByRole('textbox', { name: 'Comment' });
  await box.click();
  await box.pressSequentially(text);
  await thread(page, id).getByRole('button', { name: 'Post comment' }).click();
  await expect(thread(page, id).locator('.comment-body').last()).toHaveText(text);
}

test('an admin revises the article: an edited sentence keeps its highlight, a deleted one is orphaned with its thread, and can be re-attached', async ({ browser }) => {
  const analyst = await userInNewContext(browser, 'Rita Analyst');
  await openArticle(analyst.page);
  const keptId = await tag(analyst.page, KEPT, 'Evidence');
  await comment(analyst.page, keptId, 'Satellite imagery is solid.');
  const goneId = await tag(analyst.page, GONE, 'Speculation');
  await comment(analyst.page, goneId, 'Who reports the recruiting trouble?');

  const admin = await userInNewContext(browser, 'Ada Admin');
  await makeAdmin(admin.user.email);
  await openArticle(admin.page);
  await admin.page.getByRole('link', { name: 'Edit' }).click();
  const body = admin.page.locator('.editor-body');
  await expect(body).toContainText(GONE);
  const formatting = admin.page.getByRole('toolbar', { name: 'Formatting' });
  await expect(formatting.getByRole('button', { name: 'Bold' })).toBeEnabled();
  await expect(formatting.getByRole('button', { name: 'Undo' })).toBeDisabled();

  // Fix a word inside the first highlighted sentence and delete the second sentence.
  await selectIn(admin.page, '.editor-body', 'arms');
  await admin.page.keyboard.type('weapons');
  await selectIn(admin.page, '.editor-body', `${GONE} `);
  await admin.page.keyboard.press('Backspace');
  await expect(body).toContainText(FIXED);
  await expect(body).not.toContainText(GONE);
  await expect(formatting.getByRole('button', { name: 'Undo' })).toBeEnabled();
  await admin.page.getByRole('button', { name: /Publish revision 2/ }).click();

  await expect(admin.page.getByText(/Revision 2 published: .*orphaned/)).toBeVisible();
  await expect(admin.page.locator('.rev').first()).toContainText('rev 2');

  // The analyst, still on revision 1, is told live and loads revision 2.
  await expect(analyst.page.getByTestId('newer-revision')).toContainText('Revision 2 was published by Ada Admin');
  await analyst.page.getByRole('link', { name: 'Load revision 2' }).click();
  await expect(analyst.page.locator('.article-body')).toContainText(FIXED);

  // The edited sentence keeps its highlight, on the corrected words.
  await expect(highlight(analyst.page, keptId)).toHaveText([FIXED]);
  await expect(thread(analyst.page, keptId)).toContainText('Satellite imagery is solid.');
  // The deleted one is under Orphaned with the quote it lost and its comment.
  const orphans = analyst.page.getByRole('region', { name: /Orphaned/ });
  await expect(orphans.locator(`[data-thread-id="${goneId}"]`)).toContainText(GONE);
  await expect(orphans.locator(`[data-thread-id="${goneId}"] .comment-body`)).toHaveText('Who reports the recruiting trouble?');
  await expect(highlight(analyst.page, goneId)).toHaveCount(0);

  // Revision 1 is still readable as it was, with both highlights.
  await analyst.page.getByRole('button', { name: /Revision 2 of 2: show history/ }).or(analyst.page.locator('summary.rev')).first().click();
  await analyst.page.getByRole('link', { name: 'Revision 1' }).click();
  await expect(analyst.page.getByText('You are reading revision 1')).toBeVisible();
  // Nobody is "reading" an old revision with you: no presence there.
  await expect(analyst.page.getByRole('group', { name: 'Also reading' })).toHaveCount(0);
  await expect(highlight(analyst.page, goneId)).toHaveText([GONE]);
  await expect(highlight(analyst.page, keptId)).toHaveText([KEPT]);
  await analyst.page.getByRole('link', { name: /Go to the current revision/ }).click();

  // Its author re-attaches the orphan to new text.
  await thread(analyst.page, goneId).getByRole('button', { name: 'Re-attach' }).click();
  await expect(analyst.page.getByTestId('reattach-banner')).toBeVisible();
  await selectIn(analyst.page, '.article-body', 'a significant concern');
  await analyst.page.getByRole('button', { name: /Attach here/ }).click();
  await expect(highlight(analyst.page, goneId)).toHaveText(['a significant concern']);
  await expect(orphans).toHaveCount(0);
  await expect(thread(analyst.page, goneId)).toContainText('Who reports the recruiting trouble?');

  // The admin's page got the re-attachment live.
  await expect(highlight(admin.page, goneId)).toHaveText(['a significant concern']);
  await analyst.context.close();
  await admin.context.close();
});

test('an admin imports an HTML document; the list shows it with its counts', async ({ browser }) => {
  const admin = await userInNewContext(browser, 'Ida Importer');
  await makeAdmin(admin.user.email);
  await admin.page.goto('/');
  await admin.page.getByRole('link', { name: 'Add a document' }).click();
  await admin.page.getByLabel('Format').selectOption('html');
  await admin.page.getByRole('textbox', { name: 'Text' }).fill('<h1>Field notes</h1><p onclick="alert(1)">First <b>bold</b> claim.</p><script>alert(2)</script><ul><li>One point</li></ul>');
  // Without a title the form says so and keeps the text.
  await admin.page.getByRole('button', { name: 'Add document' }).click();
  await expect(admin.page.getByText('Give the document a title.')).toBeVisible();
  await expect(admin.page.getByRole('textbox', { name: 'Text' })).toHaveValue(/Field notes/);
  await admin.page.getByRole('textbox', { name: 'Title' }).fill('Field notes');
  await admin.page.getByRole('button', { name: 'Add document' }).click();
  await expect(admin.page.getByRole('button', { name: 'Add document' })).toHaveCount(0);
  await expect(admin.page.locator('.article-body strong')).toHaveText('bold');
  await expect(admin.page.locator('.article-body')).not.toContainText('alert');
  await selectText(admin.page, 'claim');
  await admin.page.getByRole('button', { name: 'Assessment', exact: true }).click();
  await expect(admin.page.locator('.article [data-tag="assessment"]')).toHaveText('claim');
  await admin.page.goto('/');
  const card = admin.page.getByRole('link', { name: /Field notes/ });
  await expect(card).toContainText('1 highlight');
  await expect(card.getByLabel(/0 evidence, 0 speculation, 1 assessment/)).toBeVisible();
  await admin.context.close();
});

test('an admin makes an analyst a viewer on the People page; it applies on their next request', async ({ browser }) => {
  const vera = await userInNewContext(browser, 'Vera Later');
  const admin = await userInNewContext(browser, 'Pia People');
  await makeAdmin(admin.user.email);
  await admin.page.goto('/');
  await admin.page.getByRole('link', { name: 'People' }).click();
  const row = admin.page.locator(`tr[data-user-email="${vera.user.email}"]`);
  await row.getByRole('combobox', { name: 'Role of Vera Later' }).selectOption('viewer');
  await expect(row.getByRole('combobox')).toHaveValue('viewer');
  // Vera's next page already has the viewer role: selecting text offers no tag toolbar.
  await openArticle(vera.page);
  await expect(vera.page.locator('.user-menu .role')).toHaveText('viewer');
  await selectIn(vera.page, '.article-body', 'The war in Ukraine has drastically altered');
  await expect(vera.page.getByText('Viewers can comment but not highlight.')).toBeVisible();
  // Admin pages tell others why they cannot use them.
  await vera.page.goto('/users');
  await expect(vera.page.locator('.notice-error')).toContainText('Only admins can manage people.');
  await vera.page.goto('/documents/new');
  await expect(vera.page.locator('.notice-error')).toContainText('Only admins can add documents.');
  await vera.context.close();
  await admin.context.close();
});
