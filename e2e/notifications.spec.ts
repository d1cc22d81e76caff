import { expect, test } from '@playwright/test';
import { openArticle, tag, thread, userInNewContext } from './helpers';

const SENTENCE = 'Beyond ammunition, there’s speculation that Russia is also looking to North Korea for additional manpower.';
const mentionOf = (id: string, text: string) => ({
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'mention', attrs: { id, label: 'x' } }, { type: 'text', text: ` ${text}` }] }],
});

test('B mentions A with the keyboard; A’s bell counts it live on another page, leads to the thread, and marks all read', async ({ browser }) => {
  const a = await userInNewContext(browser, 'Quintessa Vale');
  const b = await userInNewContext(browser, 'Bo Reyes');

  // A stays on the start page: the bell is there too, with nothing unread.
  const bell = a.page.getByRole('button', { name: /^Notifications/ });
  await expect(bell).toHaveAccessibleName('Notifications, 0 unread');

  // B highlights a passage and types a mention with the keyboard alone.
  await openArticle(b.page);
  const id = await tag(b.page, SENTENCE, 'Evidence');
  const box = thread(b.page, id).getByRole('textbox', { name: 'Comment' });
  await box.pressSequentially('Can you source this, @Quint');
  const list = b.page.getByRole('listbox', { name: 'Mention someone' });
  const option = list.getByRole('option', { name: /Quintessa Vale/ });
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await expect(box).toHaveAttribute('aria-activedescendant', (await option.getAttribute('id'))!);
  await expect(box).toHaveAttribute('aria-controls', (await list.getAttribute('id'))!);
  // Escape closes the list and only the list: the comment box keeps the focus.
  await b.page.keyboard.press('Escape');
  await expect(list).toHaveCount(0);
  await expect(box).toBeFocused();
  // It stays closed for that "@…"; typed anew, it offers A again.
  for (let i = 0; i < '@Quint'.length; i++) await b.page.keyboard.press('Backspace');
  await box.pressSequentially('@Quint');
  await expect(option).toBeVisible();
  await b.page.keyboard.press('Enter');
  await expect(list).toHaveCount(0);
  await box.pressSequentially('?');
  await b.page.keyboard.press('Control+Enter');
  const posted = thread(b.page, id).locator('.comment-body .mention');
  await expect(posted).toHaveText('@Quintessa Vale');
  await expect(thread(b.page, id).locator('.comment-body').first()).toContainText('Can you source this, @Quintessa Vale ?');

  // A's bell shows 1 without a reload, and the list says who, what, where.
  await expect(bell).toHaveAccessibleName('Notifications, 1 unread');
  await bell.click();
  const panel = a.page.getByRole('region', { name: 'Notifications' });
  const item = panel.getByRole('link', { name: /Bo Reyes mentioned you on The Russia–North Korea Alliance/ });
  await expect(item).toContainText(SENTENCE);
  await expect(item).toContainText('Can you source this, @Quintessa Vale ?');
  // Escape closes it and gives the focus back to the bell.
  await a.page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(bell).toBeFocused();
  await bell.click();
  await item.click();
  await expect(a.page).toHaveURL(new RegExp(`/documents/[^/#]+#a-${id}$`));
  await expect(a.page.locator('.article-body h1')).toHaveText('The Russia–North Korea Alliance');
  await expect(thread(a.page, id)).toBeVisible();
  await expect(bell).toHaveAccessibleName('Notifications, 0 unread');

  // Two more mentions arrive while A reads the document; "Mark all read" clears them.
  const { users } = await (await b.page.request.get('/api/users/mentionable?q=quint')).json();
  expect(users).toEqual([{ id: expect.any(String), name: 'Quintessa Vale' }]);
  for (const text of ['one', 'two']) {
    const r = await b.page.request.post(`/api/annotations/${id}/comments`, { data: { body: mentionOf(users[0].id, text) } });
    expect(r.status()).toBe(201);
  }
  await expect(bell).toHaveAccessibleName('Notifications, 2 unread');
  await expect(a.page.getByTestId('bell-count')).toHaveText('2');
  await bell.click();
  await expect(panel.locator('.bell-item.is-unread')).toHaveCount(2);
  await panel.getByRole('button', { name: 'Mark all read' }).click();
  await expect(bell).toHaveAccessibleName('Notifications, 0 unread');
  await expect(panel.locator('.bell-item.is-unread')).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Mark all read' })).toBeDisabled();

  // Email preferences: a small settings page, saved at once.
  await panel.getByRole('link', { name: 'Email settings' }).click();
  await expect(a.page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await a.page.getByLabel('Also by email for every notification').check();
  await expect(a.page.getByRole('status')).toHaveText('Saved.');
  await a.page.reload();
  await expect(a.page.getByLabel('Also by email for every notification')).toBeChecked();

  await a.context.close();
  await b.context.close();
});
