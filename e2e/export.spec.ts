/**
 * The header's Export menu downloads the review: the CSV holds the new highlight's row with its
 * comment, and the W3C file is an AnnotationCollection with it.
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { openArticle, tag, thread, userInNewContext } from './helpers';

test('Export downloads the review as CSV and as W3C JSON-LD', async ({ browser }) => {
  const { page } = await userInNewContext(browser, 'Ana Export');
  await openArticle(page);
  const id = await tag(page, 'The two countries can potentially establish trade networks', 'Evidence');
  const card = thread(page, id);
  // The thread opens with its comment box focused.
  await expect(card.getByRole('textbox', { name: 'Comment' })).toBeFocused();
  await page.keyboard.type('Which ledger?');
  await card.getByRole('button', { name: 'Post comment' }).click();
  await expect(card.locator('.comment-body')).toContainText('Which ledger?');

  const menu = page.locator('.export-menu');
  await menu.locator('summary').click();
  const csvDownload = page.waitForEvent('download');
  await menu.getByRole('link', { name: 'Spreadsheet (CSV)' }).click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toMatch(/\.csv$/);
  const text = await readFile((await csv.path())!, 'utf8');
  expect(text.split('\r\n')[0]).toContain('id,tag,status,quote');
  const row = text.split('\r\n').find((l) => l.startsWith(id));
  expect(row).toContain('The two countries can potentially establish trade networks');
  expect(row).toContain('Ana Export: Which ledger?');

  await menu.locator('summary').click();
  const w3cDownload = page.waitForEvent('download');
  await menu.getByRole('link', { name: 'W3C Web Annotations (JSON-LD)' }).click();
  const w3c = JSON.parse(await readFile((await (await w3cDownload).path())!, 'utf8'));
  expect(w3c).toMatchObject({ '@context': 'http://www.w3.org/ns/anno.jsonld', type: 'AnnotationCollection' });
  expect(w3c.first.items.some((a: { id: string }) => a.id.endsWith(`/api/annotations/${id}`))).toBe(true);
});
