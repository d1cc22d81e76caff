import { expect, test } from '@playwright/test';
import { cspViolations, makeAdmin, selectText, userInNewContext, watchCspViolations } from './helpers';

const WIDE = Array.from({ length: 14 }, (_, i) => `Column${i + 1}`);
const MARKDOWN = [
  '# Table import',
  '',
  'Before the table.',
  '',
  '| Country | Shells | Note |',
  '|---|---|---|',
  '| Alphaland | 1,000 | first *shipment* |',
  '| Betaland | 2,000 | |',
  '',
  '![A chart of shipments by month](https://images.example.com/chart.png)',
  '',
  `| ${WIDE.join(' | ')} |`,
  `|${'---|'.repeat(WIDE.length)}`,
  `| ${WIDE.map((w) => `${w}value`).join(' | ')} |`,
  '',
  'After the table.',
].join('\n');

test('a Markdown table imports as a table, an image as its alt text; cells highlight on their own; a wide table scrolls inside its figure at 390px; the editor keeps the table', async ({ browser }) => {
  const admin = await userInNewContext(browser, 'Tara Tables');
  await makeAdmin(admin.user.email);
  const page = admin.page;
  await watchCspViolations(page);
  await page.goto('/');
  await page.getByRole('link', { name: 'Add a document' }).click();
  await page.getByLabel('Format').selectOption('markdown');
  await page.getByRole('textbox', { name: 'Text' }).fill(MARKDOWN);
  await page.getByRole('textbox', { name: 'Title' }).fill('Table import');
  await page.getByRole('button', { name: 'Add document' }).click();

  const body = page.locator('.article-body');
  const table = body.locator('figure.article-table table').first();
  await expect(table.locator('thead th')).toHaveText(['Country', 'Shells', 'Note']);
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await expect(table.locator('tbody tr').first().locator('td')).toHaveText(['Alphaland', '1,000', 'first shipment']);
  await expect(table.locator('tbody td em')).toHaveText('shipment');
  // The image is its alt text in a caption, never an <img> loaded from its host.
  await expect(body.locator('figure.article-figure figcaption')).toHaveText('Image: A chart of shipments by month');
  await expect(body.locator('img')).toHaveCount(0);
  await expect(body).not.toContainText('![');

  // A highlight inside one cell covers that cell's words only.
  await selectText(page, 'Betaland');
  await page.getByRole('button', { name: 'Evidence', exact: true }).click();
  await expect(table.locator('[data-tag="evidence"]')).toHaveText('Betaland');

  // At 390px the page does not scroll sideways; the wide table's figure does.
  await page.setViewportSize({ width: 390, height: 800 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const wide = body.locator('figure.article-table').nth(1);
  await expect.poll(() => wide.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  await page.setViewportSize({ width: 1280, height: 800 });

  // The editor shows the table; an edit inside a cell survives publishing.
  await page.getByRole('link', { name: 'Edit' }).click();
  const editor = page.locator('.editor-body');
  await expect(editor.locator('table').first().locator('th')).toHaveText(['Country', 'Shells', 'Note']);
  await editor.locator('td', { hasText: '2,000' }).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' tonnes');
  await page.keyboard.press('Tab');
  await page.keyboard.type('second');
  await page.getByRole('button', { name: /Publish revision 2/ }).click();
  await expect(page.getByText(/Revision 2 published/)).toBeVisible();
  const row = body.locator('figure.article-table table').first().locator('tbody tr').nth(1);
  await expect(row.locator('td')).toHaveText(['Betaland', '2,000 tonnes', 'second']);
  await expect(body.locator('[data-tag="evidence"]')).toHaveText('Betaland');
  await expect(body.locator('figure.article-figure figcaption')).toHaveText('Image: A chart of shipments by month');
  expect(await cspViolations(page)).toEqual([]);
  await admin.context.close();
});
