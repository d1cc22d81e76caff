/**
 * Regenerates docs/screenshot.png and docs/screenshot-phone.png (the README's pictures of the
 * document page: threads beside their passages; on a phone, the bottom sheet on a thread).
 * Run against a freshly started app: `DATA_DIR=.data-demo PORT=3300 npm start`, then
 * `npx tsx scripts/readme-screenshot.ts http://localhost:3300`.
 */
import { chromium, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';

const base = process.argv[2] ?? 'http://localhost:3000';
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });

async function user(name: string): Promise<Page> {
  const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  const email = `${name.split(' ')[0].toLowerCase()}@example.org`;
  await page.goto('/signup');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/^Password/).fill('demo password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Documents' }).waitFor();
  await page.getByRole('link', { name: /Russia/ }).click();
  await page.locator('.article-body h1').waitFor();
  return page;
}

async function highlight(page: Page, text: string, tag: string, comment: string): Promise<string> {
  const doc = await page.evaluate(() => location.pathname.split('/').pop()!);
  const res = await page.request.get(`/api/documents/${doc}`);
  const t = ((await res.json()) as { document: { revision: { text: string } } }).document.revision.text;
  const start = t.indexOf(text);
  const r = await page.request.post(`/api/documents/${doc}/annotations`, {
    data: { tag, target: { quote: { exact: text }, position: { start, end: start + text.length } }, comment: { body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: comment }] }] } } },
  });
  return ((await r.json()) as { annotation: { id: string } }).annotation.id;
}

const ana = await user('Ana Kowalski');
await highlight(ana, 'Reports indicate that Pyongyang has already been supplying Moscow with significant quantities of ammunition', 'evidence', 'Confirmed by two independent imagery reports.');
const spec = await highlight(ana, 'Beyond ammunition, there’s speculation that Russia is also looking to North Korea for additional manpower.', 'speculation', 'Who reports this? I can only find one anonymous source.');
await highlight(ana, 'the possibility of North Korean soldiers fighting alongside Russians is a significant concern', 'assessment', 'Likely, moderate confidence.');
const ben = await user('Ben Mensah');
await ben.reload();
await ben.locator(`[data-annotation-id="${spec}"]`).first().click();
const c = ben.locator(`[data-thread-id="${spec}"] .comment`).first();
await c.getByRole('button', { name: 'Reply' }).click();
await c.getByRole('textbox', { name: 'Comment' }).pressSequentially('Satellite imagery from October shows troop trains; still unconfirmed.');
await c.getByRole('button', { name: 'Post comment' }).click();
await c.locator('.replies .comment').waitFor();
await ben.evaluate(() => window.scrollTo(0, 520));
const settled = (page: Page) => page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity));
await settled(ben);
await ben.screenshot({ path: 'docs/screenshot.png' });

// The same thread on a phone: the margin is a bottom sheet that opens on the tapped highlight.
const phone = await browser.newContext({ baseURL: base, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, storageState: await ben.context().storageState() });
const p = await phone.newPage();
await p.goto(ben.url());
await p.locator('.article-body h1').waitFor();
await p.locator(`[data-annotation-id="${spec}"]`).first().scrollIntoViewIfNeeded();
await p.evaluate(() => window.scrollBy(0, 120));
await p.locator(`[data-annotation-id="${spec}"]`).first().tap();
await p.locator(`.sidebar[data-sheet="open"] [data-thread-id="${spec}"]`).waitFor();
// The page scrolls (smoothly) to keep the passage above the sheet.
await p.waitForFunction(
  (id) => {
    const h = document.querySelector(`[data-annotation-id="${id}"]`)!.getBoundingClientRect();
    const w = window as unknown as { __lastY?: number };
    const still = w.__lastY === window.scrollY;
    w.__lastY = window.scrollY;
    return still && h.bottom <= document.querySelector('.sidebar')!.getBoundingClientRect().top;
  },
  spec,
  { polling: 100 },
);
await settled(p);
await p.screenshot({ path: 'docs/screenshot-phone.png' });
await browser.close();
console.log('wrote docs/screenshot.png and docs/screenshot-phone.png');
