import { randomBytes } from 'node:crypto';
import { NextRequest } from 'next/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetDb } from '@/scripts/test/db';
import type { AppError } from '@/lib/domain/errors';
import { hit, LONGEST_WINDOW_S, SIGN_IN_LIMITS, sweepThrottles, throttleSignIn } from './rate-limit';
import { db } from './db';


async function attempt(body: BodyInit, headers: Record<string, string> = {}, segments = ['callback', 'credentials']) {
  const { POST } = await import('@/app/api/auth/[...nextauth]/route');
  return POST(
    new NextRequest(`http://localhost:3000/api/auth/${segments.join('/')}`, {
      method: 'POST',
      headers: { host: 'localhost:3000', 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
      duplex: 'half',
    } as ConstructorParameters<typeof NextRequest>[1]),
    { params: Promise.resolve({ nextauth: segments }) },
  );
}

describe('rate limiting', () => {
  beforeEach(resetDb);
  afterEach(() => {
    delete process.env.MARGINALIA_CLIENT_ADDRESS_HEADER;
    vi.useRealTimers();
  });

  it('allows `limit` hits per window and then answers 429 with Retry-After', async () => {
    for (let i = 0; i < 3; i++) await hit('k', 3, 60);
    const e = (await hit('k', 3, 60).catch((x: AppError) => x)) as AppError;
    expect(e.code).toBe('rate_limited');
    expect(Number(e.headers?.['Retry-After'])).toBeGreaterThan(0);
    await expect(hit('other', 3, 60)).resolves.toBeUndefined();
  });

  it('counts the attempts of the last window whatever the clock says: no reset at a minute boundary', async () => {
    // A fixed window aligned to the minute let 10 attempts at :59.9 and 10 more at :00.1 through:
    // twice the limit in a fifth of a second (and made a 10-attempt e2e test fail now and then).
    vi.useFakeTimers({ toFake: ['Date'] });
    const minute = Math.ceil(Date.now() / 60_000) * 60_000;
    vi.setSystemTime(minute - 100);
    for (let i = 0; i < 10; i++) await hit('edge', 10, 60);
    vi.setSystemTime(minute + 100);
    const e = (await hit('edge', 10, 60).catch((x: AppError) => x)) as AppError;
    expect(e.code).toBe('rate_limited');
    // Free again once the oldest attempt is a window old, and it says when that will be.
    expect(Number(e.headers?.['Retry-After'])).toBe(60);
    vi.setSystemTime(minute - 100 + 60_001);
    for (let i = 0; i < 10; i++) await hit('edge', 10, 60);
    await expect(hit('edge', 10, 60)).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('does not count refused attempts: a client that keeps trying is free a window after its last allowed one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) await hit('k', 3, 60);
    for (let s = 1; s <= 59; s += 2) {
      vi.setSystemTime(t0 + s * 1000);
      await expect(hit('k', 3, 60)).rejects.toMatchObject({ code: 'rate_limited' });
    }
    vi.setSystemTime(t0 + 60_001);
    for (let i = 0; i < 3; i++) await hit('k', 3, 60);
  });

  it('says when a place frees up after the limit was lowered (not when the oldest of more attempts leaves)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) {
      vi.setSystemTime(t0 + i * 10_000);
      await hit('lowered', 5, 60);
    }
    vi.setSystemTime(t0 + 45_000);
    // Limit 2 now: 5 attempts held, so the 4th oldest (at 30 s) must leave: at 90 s, 45 s from now.
    const e = (await hit('lowered', 2, 60).catch((x: AppError) => x)) as AppError;
    expect(Number(e.headers?.['Retry-After'])).toBe(45);
    vi.setSystemTime(t0 + 90_001);
    await expect(hit('lowered', 2, 60)).resolves.toBeUndefined();
  });

  it('sweeps throttles idle for longer than the longest window, and only those', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.now();
    await hit('old', 3, 60);
    vi.setSystemTime(t0 + LONGEST_WINDOW_S * 1000 - 5_000);
    await hit('recent', 3, LONGEST_WINDOW_S);
    vi.setSystemTime(t0 + LONGEST_WINDOW_S * 1000 + 1_000);
    expect(await sweepThrottles()).toBe(1);
    const keys = await db().$queryRaw<{ key: string }[]>`SELECT key FROM "Throttle" ORDER BY key`;
    expect(keys.map((k) => k.key)).toEqual(['recent']);
  });

  it('counts concurrent hits exactly', async () => {
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => hit('burst', 10, 60)));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(2);
  });

  it('throttles credential sign-in per (account, client address) under the email next-auth checks', async () => {
    process.env.MARGINALIA_CLIENT_ADDRESS_HEADER = '1';
    // Earlier failures from the attacker's address, under another spelling of the same email.
    for (let i = 0; i < SIGN_IN_LIMITS.perAccountAndAddress; i++) await throttleSignIn('victim@example.test', '203.0.113.9');
    const last = await attempt('csrfToken=x&email=%20Victim%40Example.test&password=guess', { 'x-marginalia-client-address': '203.0.113.9' });
    expect(last.status).toBe(429);
    expect(last.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await last.json()).error.code).toBe('rate_limited');
    // The real user, elsewhere, is not locked out.
    await expect(throttleSignIn('victim@example.test', '198.51.100.20')).resolves.toBeUndefined();
  });

  it('throttles every sign-in callback, and refuses paths next-auth would read the same (extra segments)', async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perAccountAndAddress; i++) await throttleSignIn('victim@example.test', 'unknown');
    const body = 'csrfToken=x&email=victim%40example.test&password=guess';
    // next-auth reads only nextauth[0] and [1]: /callback/credentials/x reached the password check unthrottled.
    expect((await attempt(body, {}, ['callback', 'credentials', 'x'])).status).toBe(404);
    expect((await attempt(body, {}, ['callback', 'anything'])).status).toBe(429);
  });

  it('refuses a callbackUrl that is not on this site (next-auth answered it with a 500 page)', async () => {
    const { GET } = await import('@/app/api/auth/[...nextauth]/route');
    for (const [segments, url] of [[['session'], 'javascript:alert(1)'], [['signin'], 'https://evil.example/'], [['csrf'], 'http://[bad']] as const) {
      const r = await GET(new NextRequest(`http://localhost:3000/api/auth/${segments.join('/')}?callbackUrl=${encodeURIComponent(url)}`), { params: Promise.resolve({ nextauth: [...segments] }) });
      expect(r.status).toBe(400);
      expect((await r.json()).error.details[0].path).toEqual(['callbackUrl']);
    }
  });

  it('counts an email of any length the form allows (a 10,000-character one answered 500: the key outgrew its index)', async () => {
    const long = `${randomBytes(5000).toString('hex')}@example.test`; // random: no compression fits it in the index
    for (let i = 0; i < SIGN_IN_LIMITS.perAccountAndAddress; i++) await throttleSignIn(long, 'unknown');
    await expect(throttleSignIn(long, 'unknown')).rejects.toMatchObject({ code: 'rate_limited' });
    expect((await attempt(`csrfToken=x&email=${long.replace('@', '%40')}&password=p`)).status).toBe(429);
  });

  it('throttles per client address across accounts', async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i++) await throttleSignIn(`user${i}@example.test`, '203.0.113.10');
    await expect(throttleSignIn('fresh@example.test', '203.0.113.10')).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('does not take the client address from X-Forwarded-For or a forged header outside our server', async () => {
    // Without scripts/serve.mjs in front, the address header is not ours: every client is "unknown".
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i++) await throttleSignIn(`user${i}@example.test`, 'unknown');
    const r = await attempt('csrfToken=x&email=a%40example.test&password=p', { 'x-forwarded-for': '198.51.100.77', 'x-marginalia-client-address': '198.51.100.77' });
    expect(r.status).toBe(429);
  });

  it.each([
    ['a repeated email (the limiter and next-auth must read the same one)', 'email=decoy%40x.test&email=victim%40example.test&password=p', undefined],
    ['a repeated password', 'email=victim%40example.test&password=a&password=b', undefined],
    ['a JSON body', JSON.stringify({ email: 'victim@example.test', password: 'p' }), 'application/json'],
    ['a multipart body', '--b\r\nContent-Disposition: form-data; name="email"\r\n\r\nvictim@example.test\r\n--b--', 'multipart/form-data; boundary=b'],
    ['a form sent as text/plain', 'email=victim%40example.test&password=p', 'text/plain; application/x-www-form-urlencoded'],
    ['no content type', 'email=victim%40example.test&password=p', ''],
    ['a NUL in a field', 'email=victim%00%40example.test&password=p', undefined],
  ])('refuses %s with 400 before next-auth reads it', async (_what, body, type) => {
    const r = await attempt(body, type === undefined ? {} : { 'content-type': type });
    expect(r.status).toBe(400);
    expect((await r.json()).error.code).toBe('bad_request');
  });

  it('stops reading a sign-in body at its limit (chunked, no Content-Length)', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new TextEncoder().encode('a'.repeat(4096)));
      },
    });
    // The body never ends: a 413 at all means reading stopped at the limit.
    const r = await attempt(endless);
    expect(r.status).toBe(413);
    expect((await r.json()).error.details.limit).toBe(16 * 1024);
    expect(pulled).toBeGreaterThan(4);
  });
});
