/**
 * What only a real server shows: the client address comes from the socket (scripts/serve.mjs), so
 * X-Forwarded-For from an untrusted client changes nothing; bodies are cut off while they arrive;
 * signing out ends the session on the server. "Attackers" connect from other loopback addresses
 * (127.0.0.2, 127.0.0.3), so their counters are not the browser's.
 */
import { request as httpRequest } from 'node:http';
import { expect, test } from '@playwright/test';
import { newUser, signIn, signUp } from './helpers';

const PORT = Number(process.env.E2E_PORT ?? 3211);

interface Answer { status: number; body: string; sent: number; headers: Record<string, string | string[] | undefined> }

/** A raw request from `from` (a loopback address; 127.0.0.1 is the trusted balancer, see playwright.config.ts). `chunks` > 0 streams that many 64 KiB chunks without Content-Length, stopping as soon as an answer arrives. */
function send(from: string, path: string, opts: { body?: string; type?: string; headers?: Record<string, string>; chunks?: number; method?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.type) headers['content-type'] = opts.type;
    if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body));
    let sent = 0;
    let answered = false;
    const req = httpRequest({ host: '127.0.0.1', port: PORT, localAddress: from, method: opts.method ?? 'POST', path, headers, agent: false }, (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sent, headers: res.headers }));
    });
    // A server may reset the socket while we are still writing; what counts is whether an answer came.
    let failure: Error | null = null;
    req.on('error', (e) => (failure = e));
    req.on('close', () => (answered ? undefined : reject(failure ?? new Error('closed without an answer'))));
    if (opts.body !== undefined) return void req.end(opts.body);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let left = opts.chunks ?? 0;
    const pump = () => {
      while (!answered && left > 0) {
        left--;
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

const form = (fields: [string, string][]) => fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
const CREDENTIALS = '/api/auth/callback/credentials';
const FORM = 'application/x-www-form-urlencoded';

test('X-Forwarded-For from an untrusted client does not spread sign-in attempts over many addresses', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 61; i++) {
    const r = await send('127.0.0.2', CREDENTIALS, {
      type: FORM,
      headers: { 'x-forwarded-for': `198.51.100.${i}`, 'x-real-ip': `203.0.113.${i}`, 'x-marginalia-client-address': `192.0.2.${i}` },
      body: form([['csrfToken', 'x'], ['email', `nobody${i}@example.test`], ['password', 'guess']]),
    });
    statuses.push(r.status);
  }
  expect(statuses.slice(0, 60).every((s) => s !== 429)).toBe(true);
  expect(statuses[60]).toBe(429);
});

test('the throttle reads the fields next-auth reads, and refuses other encodings', async () => {
  const dup = await send('127.0.0.4', CREDENTIALS, { type: FORM, body: 'email=decoy%40x.test&email=victim%40example.test&password=p' });
  expect(dup.status).toBe(400);
  expect(JSON.parse(dup.body).error.code).toBe('bad_request');
  const json = await send('127.0.0.4', CREDENTIALS, { type: 'application/json', body: JSON.stringify({ email: 'victim@example.test', password: 'p' }) });
  expect(json.status).toBe(400);
});

test('an attacker elsewhere cannot lock a named user out', async ({ page }) => {
  const user = newUser('Lock Target');
  await signUp(page, user);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/signin/);
  let last = 0;
  for (let i = 0; i < 11; i++) {
    last = (await send('127.0.0.3', CREDENTIALS, { type: FORM, body: form([['csrfToken', 'x'], ['email', user.email], ['password', `wrong ${i}`]]) })).status;
  }
  expect(last).toBe(429);
  await signIn(page, user);
});

test('bodies without Content-Length are cut off at the limit, on our routes and on next-auth\'s', async () => {
  // 200 MiB offered to the anonymous sign-up (limit 1 MiB) and 100 MiB to the sign-in callback (16 KiB).
  const signUpFlood = await send('127.0.0.5', '/api/users', { type: 'application/json', chunks: 3200 });
  expect(signUpFlood.status).toBe(413);
  expect(signUpFlood.sent).toBeLessThan(16 * 1024 * 1024);
  const signInFlood = await send('127.0.0.5', CREDENTIALS, { type: FORM, chunks: 1600 });
  expect(signInFlood.status).toBe(413);
  expect(signInFlood.sent).toBeLessThan(16 * 1024 * 1024);
  // A declared size over every limit is refused before a byte is read.
  const declared = await send('127.0.0.5', '/api/users', { type: 'application/json', headers: { 'content-length': String(200 * 1024 * 1024) }, chunks: 1 });
  expect(declared.status).toBe(413);
});

test('signing out ends the session on the server: a copied cookie stops working', async ({ browser, page }) => {
  const user = newUser('Copy Cat');
  await signUp(page, user);
  const copy = await browser.newContext({ storageState: await page.context().storageState() });
  expect((await copy.request.get('/api/me')).status()).toBe(200);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/signin/);
  expect((await copy.request.get('/api/me')).status()).toBe(401);
  await copy.close();
});

for (const next of ['/\\evil.example', '/%09/evil.example', '//evil.example', '/%5Cevil.example']) {
  test(`after sign-in, ?next=${next} stays on this site`, async ({ page }) => {
    const user = newUser('Redirect Probe');
    await signUp(page, user);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto(`/signin?next=${next}`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
    expect(new URL(page.url()).host).toBe(`localhost:${PORT}`);
  });
}

test('pages take no bodies: anything but GET and HEAD outside /api/ is 405 before a byte is read', async () => {
  for (const path of ['/', '/signin', '/documents/x', '/_next/static/x']) {
    const r = await send('127.0.0.6', path, { type: 'text/plain', headers: { 'next-action': 'x' }, chunks: 1600 });
    expect(r.status).toBe(405);
    expect(r.sent).toBeLessThan(16 * 1024 * 1024);
  }
});

test('forwarding headers count only from a trusted proxy', async () => {
  // Untrusted client: X-Forwarded-Proto does not earn HSTS.
  const untrusted = await send('127.0.0.7', '/api/health', { method: 'GET', headers: { 'x-forwarded-proto': 'https' }, body: '' });
  expect(untrusted.status).toBe(200);
  expect(untrusted.headers['strict-transport-security']).toBeUndefined();
  // The trusted balancer (127.0.0.1): its X-Forwarded-For names the client the throttle counts.
  const statuses: number[] = [];
  for (let i = 0; i < 61; i++) {
    const r = await send('127.0.0.1', CREDENTIALS, { type: FORM, headers: { 'x-forwarded-for': '203.0.113.200' }, body: form([['csrfToken', 'x'], ['email', `someone${i}@example.test`], ['password', 'p']]) });
    statuses.push(r.status);
  }
  expect(statuses.at(-1)).toBe(429);
  // ... and only that client: the balancer's other clients are not throttled with it.
  const other = await send('127.0.0.1', CREDENTIALS, { type: FORM, headers: { 'x-forwarded-for': '203.0.113.201' }, body: form([['csrfToken', 'x'], ['email', 'someone@example.test'], ['password', 'p']]) });
  expect(other.status).not.toBe(429);
});
