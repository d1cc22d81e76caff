import { expect, test } from '@playwright/test';
import { makeAdmin, userInNewContext } from './helpers';

/**
 * A selection whose ends fall between the two halves of an emoji (a programmatic selection, or a
 * text node split by a highlight can give one) becomes a highlight of the whole emoji, so the
 * server never sees half a surrogate pair. Two layers guarantee it (the reader's selectionOffsets
 * snaps outward, and anchoring's describe widens); this checks the whole path, and fails only if
 * both are gone (the server then refuses the half-emoji quote with 400).
 */
test('a selection starting and ending inside emoji highlights the whole emoji', async ({ browser }) => {
  const { page, user } = await userInNewContext(browser, 'Emma Emoji');
  await makeAdmin(user.email);
  const made = await page.request.post('/api/documents', {
    data: { title: 'Faces', format: 'markdown', source: `# Faces\n\nBefore 😀😀 after the faces, ${'y'.repeat(31)} and 👍🏽 end.` },
  });
  expect(made.status()).toBe(201);
  const created = (await made.json()) as { document: { id: string } };
  await page.goto(`/documents/${created.document.id}`);
  await expect(page.locator('.article-body h1')).toHaveText('Faces');

  await page.evaluate(() => {
    const root = document.querySelector('.article-body')!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
      const i = n.data.indexOf('😀😀');
      if (i < 0) continue;
      const range = document.createRange();
      range.setStart(n, i + 1); // between the halves of the first emoji
      range.setEnd(n, i + 3); // between the halves of the second
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
      return;
    }
    throw new Error('emoji not found');
  });
  await expect(page.getByRole('toolbar', { name: 'Tag the selected passage' })).toBeVisible();
  const posted = page.waitForResponse((r) => r.url().includes('/annotations') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Evidence', exact: true }).click();
  const res = await posted;
  expect(res.status()).toBe(201);
  const { annotation } = (await res.json()) as { annotation: { target: { quote: { exact: string } } } };
  expect(annotation.target.quote.exact).toBe('😀😀');
});
