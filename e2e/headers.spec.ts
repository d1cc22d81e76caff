/**
 * Security headers on the built app (`next start`): every page carries a CSP with a fresh nonce
 * that Next.js puts on its scripts, and works under it without a single violation (editors,
 * live stream and all); every response, API ones included, carries nosniff and the referrer
 * policy; API answers carry their own no-loading policy and `Cache-Control: no-store`; HSTS goes
 * out only when the request came over https.
 */
import { expect, test, type APIResponse } from '@playwright/test';
import { cspViolations, makeAdmin, openArticle, tag, thread, userInNewContext, watchCspViolations } from './helpers';

const directive = (csp: string, name: string) => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) ?? '';

function expectCommonHeaders(res: APIResponse, what: string) {
  const h = res.headers();
  expect(h['x-content-type-options'], what).toBe('nosniff');
  expect(h['referrer-policy'], what).toBe('strict-origin-when-cross-origin');
  expect(h['strict-transport-security'], `${what}: no HSTS over plain http`).toBeUndefined();
}

test('pages: a nonce CSP on every response, the nonce on every script, and no violation on any page', async ({ browser }) => {
  const admin = await userInNewContext(browser, 'Hedda Headers');
  await makeAdmin(admin.user.email);
  const { page } = admin;

  // The policy: nonce-only scripts, nothing unsafe, no framing, no plugins, no <base> tricks.
  const first = await page.request.get('/');
  const second = await page.request.get('/');
  for (const res of [first, second]) {
    expect(res.status()).toBe(200);
    expectCommonHeaders(res, 'page');
  }
  const csp = first.headers()['content-security-policy'];
  const scriptSrc = directive(csp, 'script-src');
  const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
  expect(nonce, csp).toBeTruthy();
  expect(scriptSrc).not.toContain('unsafe-inline');
  expect(scriptSrc).not.toContain('unsafe-eval');
  expect(directive(csp, 'frame-ancestors')).toBe("frame-ancestors 'none'");
  expect(directive(csp, 'object-src')).toBe("object-src 'none'");
  expect(directive(csp, 'base-uri')).toBe("base-uri 'self'");
  expect(second.headers()['content-security-policy']).not.toContain(nonce);
  // Next.js put the request's nonce on each of its scripts.
  const scripts = (await first.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`);

  // Every page, used as a person would, reports no violation.
  await watchCspViolations(page);
  const visited: string[] = [];
  const check = async (what: string) => {
    visited.push(what);
    expect(await cspViolations(page), what).toEqual([]);
  };
  await page.goto('/');
  await check('document list');

  const stream = page.waitForResponse((r) => r.url().includes('/events'));
  await openArticle(page);
  const id = await tag(page, 'artillery shells', 'Evidence');
  const box = thread(page, id).getByRole('textbox', { name: 'Comment' });
  await expect(box).toBeVisible();
  // Tiptap's base stylesheet (allowed by its hash) applies: without it this would be 'normal'.
  expect(await box.evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('break-spaces');
  await box.click();
  await box.pressSequentially('Under the policy.');
  await thread(page, id).getByRole('button', { name: 'Post comment' }).click();
  await expect(thread(page, id).locator('.comment-body').last()).toHaveText('Under the policy.');
  // The live stream connected (connect-src allows it).
  expect((await stream).status()).toBe(200);
  await check('document page with composer and live stream');

  await page.getByRole('link', { name: 'Edit' }).click();
  await expect(page.locator('.editor-body')).toBeVisible();
  expect(await page.locator('.editor-body').evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('break-spaces');
  await check('revision editor');

  for (const [path, what] of [['/documents/new', 'import form'], ['/users', 'people'], ['/no-such-page', 'not found']] as const) {
    await page.goto(path);
    await expect(page.locator('h1').first()).toBeVisible();
    await check(what);
  }

  const anonymous = await browser.newContext();
  const anon = await anonymous.newPage();
  await watchCspViolations(anon);
  for (const path of ['/signin', '/signup']) {
    const res = await anon.goto(path);
    expect(res?.headers()['content-security-policy']).toContain("'nonce-");
    await expect(anon.locator('h1')).toBeVisible();
    expect(await cspViolations(anon), path).toEqual([]);
  }
  await anonymous.close();
  await admin.context.close();
  console.log(`headers: no CSP violation on ${visited.length + 2} pages`);
});

test('API responses: nosniff, referrer policy, a no-loading CSP, and no-store on private data', async ({ browser, playwright }) => {
  const { page, context } = await userInNewContext(browser, 'Ines Api');
  const req = page.request;
  const docs = await req.get('/api/documents');
  const docId = ((await docs.json()) as { documents: { id: string }[] }).documents[0].id;
  const token = await req.post('/api/tokens', { data: { name: 'headers' } });
  const tokenId = ((await token.json()) as { id: string }).id;
  const anonymous = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });

  const answers: [string, APIResponse][] = [
    ['GET /api/documents', docs],
    ['POST /api/tokens (201)', token],
    ['GET /api/documents/:id', await req.get(`/api/documents/${docId}`)],
    ['GET /api/me', await req.get('/api/me')],
    ['DELETE /api/tokens/:id (204)', await req.delete(`/api/tokens/${tokenId}`)],
    ['GET /api/no-such (404)', await req.get('/api/no-such')],
    ['POST /api/documents (403)', await req.post('/api/documents', { data: { title: 'x', format: 'text', source: 'x' } })],
    ['GET /api/me anonymous (401)', await anonymous.get('/api/me')],
    ['GET /api/auth/session', await req.get('/api/auth/session')],
    ['GET /api/auth/csrf', await req.get('/api/auth/csrf')],
  ];
  // The live stream: headers only (the body never ends).
  const stream = await page.evaluate(async (url) => {
    const ctrl = new AbortController();
    const res = await fetch(url, { signal: ctrl.signal });
    const h = Object.fromEntries(res.headers.entries());
    ctrl.abort();
    return h;
  }, `/api/documents/${docId}/events`);

  const gaps: string[] = [];
  for (const [what, res] of answers) {
    expectCommonHeaders(res, what);
    expect(res.headers()['content-security-policy'], what).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    if (!/no-store/.test(res.headers()['cache-control'] ?? '')) gaps.push(`${what}: Cache-Control ${res.headers()['cache-control'] ?? '(none)'}`);
  }
  expect(stream['x-content-type-options']).toBe('nosniff');
  expect(stream['referrer-policy']).toBe('strict-origin-when-cross-origin');
  if (!/no-store|no-cache/.test(stream['cache-control'] ?? '')) gaps.push(`SSE: Cache-Control ${stream['cache-control'] ?? '(none)'}`);
  console.log(gaps.length ? `API responses without no-store:\n  ${gaps.join('\n  ')}` : 'every API response checked says no-store');
  expect(gaps).toEqual([]);
  await anonymous.dispose();
  await context.close();
});

test('HSTS only when the request came over https (X-Forwarded-Proto from the balancer)', async ({ request }) => {
  for (const path of ['/signin', '/api/health']) {
    const plain = await request.get(path);
    expect(plain.headers()['strict-transport-security'], path).toBeUndefined();
    const tls = await request.get(path, { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers()['strict-transport-security'], path).toBe('max-age=63072000');
  }
});
