import { expect, test } from '@playwright/test';
import { openArticle, tag, thread, userInNewContext } from './helpers';

const PASSAGE = 'The exact details of these arms transfers remain shrouded in secrecy';

test('a URL typed at the very end of a comment is a link once posted with Ctrl+Enter', async ({ browser }) => {
  const { context, page } = await userInNewContext(browser, 'Lena Linker');
  await openArticle(page);
  const id = await tag(page, PASSAGE, 'Evidence');
  const box = thread(page, id).getByRole('textbox', { name: 'Comment' });
  await expect(box).toBeFocused();
  // No space after the URL: Tiptap's autolink never saw it end.
  await box.pressSequentially('Source: https://example.com/report?id=42');
  await page.keyboard.press('Control+Enter');
  const posted = thread(page, id).locator('.comment-body').last();
  await expect(posted).toContainText('Source: https://example.com/report?id=42');
  await expect(posted.locator('a[href="https://example.com/report?id=42"]')).toHaveText('https://example.com/report?id=42');
  // The server stored the link: it is there after a reload too.
  await page.reload();
  await expect(thread(page, id).locator('.comment-body a[href="https://example.com/report?id=42"]')).toBeVisible();
  await context.close();
});

test('near the 20,000-character limit the composer counts; past it Post is off and it says so', async ({ browser }) => {
  const { context, page } = await userInNewContext(browser, 'Cora Counter');
  await openArticle(page);
  const id = await tag(page, PASSAGE, 'Assessment');
  const card = thread(page, id);
  const box = card.getByRole('textbox', { name: 'Comment' });
  const counter = card.getByTestId('composer-counter');
  const post = card.getByRole('button', { name: 'Post comment' });
  const status = card.getByRole('status').filter({ hasText: /limit|characters/ });
  const setText = (length: number) =>
    box.evaluate((el, n) => {
      const editor = (el as unknown as { editor: { commands: { setContent(c: unknown, o?: unknown): boolean } } }).editor;
      editor.commands.setContent({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x'.repeat(n) }] }] }, { emitUpdate: true });
    }, length);

  await box.pressSequentially('Short');
  await expect(counter).toHaveCount(0);
  await setText(17_998);
  await expect(counter).toHaveCount(0);
  // Typing across 90 % of the limit brings the counter.
  await box.press('Control+End');
  await box.pressSequentially('ab');
  await expect(counter).toHaveText('18,000 / 20,000');
  await setText(18_500);
  await expect(counter).toHaveText('18,500 / 20,000');
  await expect(status).toHaveText(/nearing the limit of 20,000 characters/);
  await expect(post).toBeEnabled();

  await setText(20_005);
  await expect(counter).toHaveText('20,005 / 20,000: 5 too many');
  await expect(counter).toHaveClass(/is-over/);
  await expect(status).toHaveText(/longer than 20,000 characters; shorten it to post/);
  await expect(post).toBeDisabled();
  // Ctrl+Enter does not post it either.
  await box.press('Control+Enter');
  await expect(card.locator('.comment-body')).toHaveCount(0);

  // Back under the limit, it posts.
  for (let i = 0; i < 5; i++) await box.press('Backspace');
  await expect(counter).toHaveText('20,000 / 20,000');
  await expect(post).toBeEnabled();
  await post.click();
  await expect(card.locator('.comment-body')).toHaveCount(1);
  await expect(counter).toHaveCount(0);
  await context.close();
});
