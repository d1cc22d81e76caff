import { expect, test } from '@playwright/test';
import { articleLive, highlight, openArticle, resolveThread, signIn, tag, thread, userInNewContext } from './helpers';

const SENTENCE = 'Beyond ammunition, there’s speculation that Russia is also looking to North Korea for additional manpower.';

test('two analysts highlight, discuss and resolve a passage', async ({ browser }) => {
  const a = await userInNewContext(browser, 'Ana Kim');
  await openArticle(a.page);
  await expect(a.page.getByText('Select any passage to tag it')).toBeVisible();

  // A highlights a sentence as Speculation; the thread opens with the comment box focused.
  const id = await tag(a.page, SENTENCE, 'Speculation');
  const hl = highlight(a.page, id);
  await expect(hl.first()).toHaveAttribute('data-tag', 'speculation');
  await expect(hl.first()).toHaveAttribute('data-status', 'open');
  await expect(a.page.locator(`.article [data-annotation-id="${id}"]`)).toHaveText([SENTENCE]);
  const box = thread(a.page, id).getByRole('textbox', { name: 'Comment' });
  await expect(box).toBeFocused();
  // Only spaces and line breaks: nothing to post yet (the server would refuse it).
  await box.pressSequentially('   ');
  await a.page.keyboard.press('Enter');
  await expect(thread(a.page, id).getByRole('button', { name: 'Post comment' })).toBeDisabled();
  await a.page.keyboard.press('Control+a');
  await a.page.keyboard.press('Backspace');
  await box.pressSequentially('Who reports this? ');
  await a.page.keyboard.press('Control+b');
  await box.pressSequentially('Which source?');
  await thread(a.page, id).getByRole('button', { name: 'Post comment' }).click();
  const aComment = thread(a.page, id).locator('.comment').first();
  await expect(aComment.locator('.comment-body')).toContainText('Who reports this? Which source?');
  await expect(aComment.locator('.comment-body strong')).toHaveText('Which source?');

  // B, in another browser context, sees the highlight and A's comment after loading the page.
  const b = await userInNewContext(browser, 'Ben Moss');
  await openArticle(b.page);
  await expect(highlight(b.page, id).first()).toHaveAttribute('data-tag', 'speculation');
  await highlight(b.page, id).first().click();
  await expect(thread(b.page, id)).toHaveClass(/is-active/);
  const bView = thread(b.page, id).locator('.comment').first();
  await expect(bView).toContainText('Ana Kim');
  // B may not edit or delete A's comment: no controls, and the API refuses.
  await expect(bView.locator('> .comment-actions').getByRole('button', { name: 'Edit' })).toHaveCount(0);
  await expect(bView.locator('> .comment-actions').getByRole('button', { name: 'Delete' })).toHaveCount(0);
  const aCommentId = await bView.getAttribute('data-comment-id');
  const forbidden = await b.page.request.patch(`/api/comments/${aCommentId}`, {
    data: { body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'hijacked' }] }] }, version: 1 },
  });
  expect(forbidden.status()).toBe(403);
  expect((await forbidden.json()).error.code).toBe('forbidden');

  // B replies under A's comment.
  await bView.locator('> .comment-actions').getByRole('button', { name: 'Reply' }).click();
  const replyBox = bView.getByRole('textbox', { name: 'Comment' });
  await expect(replyBox).toBeFocused();
  await replyBox.pressSequentially('Satellite imagery, per the second section.');
  await bView.getByRole('button', { name: 'Post comment' }).click();
  await expect(bView.locator('.replies .comment')).toContainText('Satellite imagery, per the second section.');

  // A reloads, sees the nested reply, and resolves the thread.
  await a.page.reload();
  await articleLive(a.page);
  await expect(thread(a.page, id).locator('.replies .comment')).toContainText('Ben Moss');
  await highlight(a.page, id).first().click();
  await resolveThread(a.page, id);
  await expect(thread(a.page, id).getByRole('button', { name: 'Reopen' })).toBeVisible();
  await expect(highlight(a.page, id).first()).toHaveAttribute('data-status', 'resolved');
  await expect(thread(a.page, id)).toHaveClass(/is-resolved/);

  // Resolved threads can be hidden; and reopened.
  await a.page.getByLabel('Hide resolved').check();
  await expect(thread(a.page, id)).toHaveCount(0);
  await expect(highlight(a.page, id)).toHaveCount(0);
  await a.page.getByLabel('Hide resolved').uncheck();
  await highlight(a.page, id).first().click();
  await thread(a.page, id).getByRole('button', { name: 'Reopen' }).click();
  await expect(highlight(a.page, id).first()).toHaveAttribute('data-status', 'open');

  // The author changes the tag; B sees it after a reload and cannot change it.
  await thread(a.page, id).getByLabel('Change tag').selectOption('assessment');
  await expect(highlight(a.page, id).first()).toHaveAttribute('data-tag', 'assessment');
  await b.page.reload();
  await expect(highlight(b.page, id).first()).toHaveAttribute('data-tag', 'assessment');
  await highlight(b.page, id).first().click();
  await expect(thread(b.page, id).getByLabel('Change tag')).toHaveCount(0);

  await a.context.close();
  await b.context.close();
});

test('the author edits and deletes a comment; the text survives a failed post', async ({ browser }) => {
  const a = await userInNewContext(browser, 'Cleo Diaz');
  await openArticle(a.page);
  const id = await tag(a.page, 'crippling sanctions', 'Evidence');
  const box = thread(a.page, id).getByRole('textbox', { name: 'Comment' });
  await box.pressSequentially('First version');
  await thread(a.page, id).getByRole('button', { name: 'Post comment' }).click();
  const comment = thread(a.page, id).locator('.comment').first();
  await comment.getByRole('button', { name: 'Edit' }).click();
  const editBox = comment.getByRole('textbox', { name: 'Comment' });
  await editBox.press('End');
  await editBox.pressSequentially(', corrected');
  await comment.getByRole('button', { name: 'Save' }).click();
  await expect(comment.locator('.comment-body')).toHaveText('First version, corrected');
  await expect(comment).toContainText('edited');

  // The server goes away for this request: the text stays in the box and an error is shown.
  await a.page.route('**/api/annotations/*/comments', (route) => route.fulfill({ status: 503, contentType: 'application/json', headers: { 'Retry-After': '2' }, body: JSON.stringify({ error: { code: 'unavailable', message: 'The database cannot be reached; try again shortly' } }) }));
  await box.pressSequentially('Do not lose me');
  await thread(a.page, id).getByRole('button', { name: 'Post comment' }).click();
  await expect(a.page.getByRole('status').filter({ hasText: 'your text is kept' })).toBeVisible();
  await expect(box).toHaveText('Do not lose me');
  await a.page.unroute('**/api/annotations/*/comments');
  await thread(a.page, id).getByRole('button', { name: 'Post comment' }).click();
  await expect(thread(a.page, id).locator('.comment')).toHaveCount(2);

  a.page.once('dialog', (d) => void d.accept());
  await comment.getByRole('button', { name: 'Delete' }).click();
  await expect(thread(a.page, id).locator('.comment')).toHaveCount(1);
  await a.page.reload();
  await expect(thread(a.page, id).locator('.comment')).toHaveCount(1);

  // A deleted comment with a reply stays as a tombstone, without its author's name or initials.
  const last = thread(a.page, id).locator('.comment').first();
  await last.getByRole('button', { name: 'Reply' }).click();
  await last.getByRole('textbox', { name: 'Comment' }).pressSequentially('A reply that keeps the thread');
  await last.getByRole('button', { name: 'Post comment' }).click();
  await expect(thread(a.page, id).locator('.replies .comment')).toHaveCount(1);
  a.page.once('dialog', (d) => void d.accept());
  // The parent's own actions come before its replies.
  await last.getByRole('button', { name: 'Delete' }).first().click();
  const tombstone = thread(a.page, id).locator('.comment').first();
  await expect(tombstone.locator('.comment-deleted')).toHaveText('This comment was deleted.');
  await expect(tombstone.locator('.comment-head').first()).not.toContainText('Cleo');
  await expect(tombstone.locator('.comment-head .avatar').first()).toHaveText('');
  await a.context.close();
});

test('an edit that crosses another edit is offered the current text', async ({ browser }) => {
  const a = await userInNewContext(browser, 'Jo Park');
  await openArticle(a.page);
  const id = await tag(a.page, 'economic support', 'Evidence');
  await thread(a.page, id).getByRole('textbox', { name: 'Comment' }).pressSequentially('Version one');
  await thread(a.page, id).getByRole('button', { name: 'Post comment' }).click();
  const first = thread(a.page, id).locator('.comment').first();
  await first.getByRole('button', { name: 'Edit' }).click();
  await first.getByRole('textbox', { name: 'Comment' }).pressSequentially(' (from tab one)');

  // The same author, in a second tab, edits the comment first.
  const ctx2 = await browser.newContext();
  const p2 = await ctx2.newPage();
  await signIn(p2, a.user);
  await openArticle(p2);
  await highlight(p2, id).click();
  const second = thread(p2, id).locator('.comment').first();
  await second.getByRole('button', { name: 'Edit' }).click();
  const box2 = second.getByRole('textbox', { name: 'Comment' });
  await box2.press('End');
  await box2.pressSequentially(' (from tab two)');
  await second.getByRole('button', { name: 'Save' }).click();
  await expect(second.locator('.comment-body')).toHaveText('Version one (from tab two)');

  // Tab one hears of it live, keeps its own text, and shows the current one.
  await expect(first.locator('.edit-conflict')).toContainText('Version one (from tab two)');
  await expect(first.getByRole('textbox', { name: 'Comment' })).toContainText('(from tab one)');
  await first.getByRole('button', { name: 'Start again from the current text' }).click();
  await expect(first.getByRole('textbox', { name: 'Comment' })).toHaveText('Version one (from tab two)');
  await first.getByRole('button', { name: 'Save' }).click();
  await expect(first.locator('.comment-body')).toHaveText('Version one (from tab two)');
  await ctx2.close();
  await a.context.close();
});
