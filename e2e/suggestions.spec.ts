/**
 * Estimative-language suggestions on the page: the header's Suggestions toggle draws them dotted;
 * `a` accepts the one under the caret (a highlight with the suggested tag and its thread, saved and
 * seen live), `x` dismisses one for the whole team (gone live and after a reload).
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { articleLive, clickText, highlight, makeAdmin, thread, userInNewContext } from './helpers';

/** The texts of the suggestions drawn with tag `tag` (CSS highlight ranges). */
const drawn = (page: Page, tag: 'speculation' | 'assessment') =>
  page.evaluate(
    (name) => [...(CSS.highlights.get(name) ?? [])].map((r) => (r.startContainer as Text).data.slice(r.startOffset, r.startOffset + 40)),
    `mg-suggestion-${tag}`,
  );

test('suggestions: drawn dotted when on; `a` accepts one as a highlight with its thread, `x` dismisses one for everyone, live', async ({ browser }) => {
  const ana = await userInNewContext(browser, 'Ana Suggest');
  const ben = await userInNewContext(browser, 'Ben Suggest');
  await makeAdmin(ana.user.email);
  // A copy of the article, so the seeded one stays bare for other specs.
  const made = await ana.page.request.post('/api/documents', { data: { title: 'Suggestions (a copy of the default article)', format: 'markdown', source: readFileSync('prisma/default-article.md', 'utf8') } });
  expect(made.status()).toBe(201);
  const { id } = ((await made.json()) as { document: { id: string } }).document;
  const a = ana.page;
  const b = ben.page;
  for (const p of [a, b]) {
    await p.goto(`/documents/${id}`);
    await articleLive(p);
  }

  // Off by default; on, the suggested sentences are drawn in their tag's colour.
  const toggle = a.getByRole('button', { name: /^Suggestions/ });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => drawn(a, 'speculation')).toEqual([]);
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => drawn(a, 'speculation')).toContainEqual(expect.stringMatching(/^Reports indicate that Pyongyang/));
  expect(await drawn(a, 'assessment')).toContainEqual(expect.stringMatching(/^Finally, it is likely that/));
  const count = Number(await a.getByTestId('suggestions-count').textContent());
  expect(count).toBeGreaterThan(3);
  await b.getByRole('button', { name: /^Suggestions/ }).click();
  await expect(b.getByTestId('suggestions-count')).toHaveText(String(count));

  // The caret in a suggestion (a click puts it there) shows what is suggested; `a` accepts it.
  await clickText(a, 'Reports indicate that Pyongyang');
  const bar = a.getByRole('group', { name: 'Suggestion' });
  await expect(bar).toContainText('Speculation');
  await expect(bar).toContainText('“Reports indicate”');
  await expect(a.locator('.article-body')).toHaveAttribute('aria-keyshortcuts', / a x$/);
  await a.keyboard.press('a');
  const made1 = a.locator('.article [data-annotation-id][data-tag="speculation"]');
  await expect(made1).toHaveCount(1);
  await expect(made1).toHaveText(/^Reports indicate that Pyongyang[^]*warfare\.$/);
  await expect(made1).not.toHaveAttribute('data-annotation-id', /^pending-/);
  const hid = (await made1.getAttribute('data-annotation-id'))!;
  // Its thread is focused for the first comment, like a new highlight's.
  await expect(thread(a, hid).getByRole('textbox', { name: 'Comment' })).toBeFocused();
  await expect(bar).toHaveCount(0);
  await expect(a.getByTestId('suggestions-count')).toHaveText(String(count - 1));
  // Seen live by Ben: the highlight, and the suggestion no longer offered there.
  await expect(highlight(b, hid)).toHaveAttribute('data-tag', 'speculation');
  await expect(b.getByTestId('suggestions-count')).toHaveText(String(count - 1));

  // `x` on an assessment suggestion (it says which likelihood it implies) dismisses it for everyone.
  await a.keyboard.press('Escape');
  await clickText(a, 'Finally, it is likely that');
  await expect(bar).toContainText('Assessment (likely, 55–80 %)');
  await a.keyboard.press('x');
  await expect(bar).toContainText('Dismissed for everyone.');
  await expect(a.getByTestId('suggestions-count')).toHaveText(String(count - 2));
  expect(await drawn(a, 'assessment')).not.toContainEqual(expect.stringMatching(/^Finally, it is likely/));
  await expect(b.getByTestId('suggestions-count')).toHaveText(String(count - 2));
  await expect.poll(() => drawn(b, 'assessment')).not.toContainEqual(expect.stringMatching(/^Finally, it is likely/));

  // After a reload: the highlight is kept, the dismissal too, and the toggle stays on.
  for (const p of [a, b]) {
    await p.reload();
    await articleLive(p);
    await expect(p.getByRole('button', { name: /^Suggestions/ })).toHaveAttribute('aria-pressed', 'true');
    await expect(p.getByTestId('suggestions-count')).toHaveText(String(count - 2));
    await expect(highlight(p, hid)).toHaveAttribute('data-tag', 'speculation');
    expect(await drawn(p, 'assessment')).not.toContainEqual(expect.stringMatching(/^Finally, it is likely/));
  }

  // By keyboard alone: the caret moved line by line into a suggested sentence offers it, told to screen readers.
  await b.locator('.article-body').focus();
  const offered = b.getByRole('group', { name: 'Suggestion' });
  for (let i = 0; i < 60 && !(await offered.isVisible()); i++) await b.keyboard.press('ArrowDown');
  await expect(offered.getByRole('status')).toContainText(/^Suggestion: tag as (Speculation|Assessment)[^]*Press a to accept, x to dismiss\.$/);
  await expect(offered.getByRole('button', { name: /^Accept/ })).toHaveAttribute('aria-keyshortcuts', 'a');
  await b.keyboard.press('a');
  await expect(b.getByTestId('suggestions-count')).toHaveText(String(count - 3));
  await expect(a.getByTestId('suggestions-count')).toHaveText(String(count - 3));

  // Accepting an assessment suggestion sets the likelihood its words imply.
  await clickText(a, 'The partnership with Russia will likely');
  await expect(bar).toContainText('Assessment (likely, 55–80 %)');
  await a.keyboard.press('a');
  const judged = a.locator('.article [data-annotation-id][data-tag="assessment"]');
  await expect(judged).toHaveCount(1);
  // Read its id once the server's copy has replaced the stand-in (pending-…).
  await expect(judged).not.toHaveAttribute('data-annotation-id', /^pending-/);
  await expect(thread(a, (await judged.getAttribute('data-annotation-id'))!).locator('.judgment')).toHaveText('likely, 55–80 %');

  // Not offered where one may not highlight: to a viewer (Ben, demoted while the page is open) or on an earlier revision.
  const benId = ((await (await b.request.get('/api/me')).json()) as { user: { id: string } }).user.id;
  expect((await a.request.patch(`/api/users/${benId}`, { data: { role: 'viewer' } })).status()).toBe(200);
  await expect(b.getByRole('button', { name: /^Suggestions/ })).toHaveCount(0);
  await expect.poll(() => drawn(b, 'speculation')).toEqual([]);
  const first = ((await (await a.request.get(`/api/documents/${id}`)).json()) as { document: { revision: { id: string } } }).document.revision.id;
  const source = readFileSync('prisma/default-article.md', 'utf8').replace('Finally, it is likely', 'Finally, it seems likely');
  expect((await a.request.post(`/api/documents/${id}/revisions`, { data: { format: 'markdown', source } })).status()).toBe(201);
  await a.goto(`/documents/${id}?revision=${first}`);
  await expect(a.locator('.revision-banner')).toContainText('read-only');
  await expect(a.getByRole('button', { name: /^Suggestions/ })).toHaveCount(0);
  await expect.poll(() => drawn(a, 'speculation')).toEqual([]);
  await ana.context.close();
  await ben.context.close();
});
