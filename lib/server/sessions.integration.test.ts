import { NextRequest } from 'next/server';
import { encode } from 'next-auth/jwt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeUser, resetDb } from '@/scripts/test/db';
import { pinToMinuteStart } from '@/scripts/test/clock';
import { authOptions } from './auth';
import { createToken, MAX_TOKENS_PER_USER } from './tokens';
import { signOutEverywhere } from './users';
import { startSession } from './sessions';

const secret = () => process.env.AUTH_SECRET!;

async function me(headers: Record<string, string>) {
  const { GET } = await import('@/app/api/me/route');
  return GET(new NextRequest('http://localhost:3000/api/me', { headers: { host: 'localhost:3000', ...headers } }), { params: Promise.resolve({}) });
}

async function cookieFor(uid: string, sid?: string) {
  return `next-auth.session-token=${await encode({ token: { uid, sv: 0, ...(sid ? { sid } : {}) }, secret: secret() })}`;
}

describe('server-side sessions', () => {
  beforeEach(resetDb);
  afterEach(() => {
    delete process.env.API_TOKEN_RATE_LIMIT;
  });

  it('signing out ends that session on the server: a copy of the cookie stops working', async () => {
    const u = await makeUser('analyst');
    // Sign-in through next-auth's own callbacks, as its credentials flow runs them.
    const token = await authOptions().callbacks!.jwt!({ token: {}, user: { id: u.id, sv: 0 } as never, account: null, trigger: 'signIn' } as never);
    const cookie = `next-auth.session-token=${await encode({ token, secret: secret() })}`;
    const other = await cookieFor(u.id, await startSession(u.id));
    expect((await me({ cookie })).status).toBe(200);

    await authOptions().events!.signOut!({ token, session: null as never } as never);
    expect((await me({ cookie })).status).toBe(401);
    // Another browser of the same user is still signed in.
    expect((await me({ cookie: other })).status).toBe(200);
  });

  it('sign-out-everywhere ends every session of the user', async () => {
    const u = await makeUser('viewer');
    const a = await cookieFor(u.id, await startSession(u.id));
    const b = await cookieFor(u.id, await startSession(u.id));
    await signOutEverywhere(u);
    expect((await me({ cookie: a })).status).toBe(401);
    expect((await me({ cookie: b })).status).toBe(401);
  });

  it('refuses a session token without a server-side session, or with another user\'s', async () => {
    const u = await makeUser('analyst');
    const v = await makeUser('analyst');
    expect((await me({ cookie: await cookieFor(u.id) })).status).toBe(401);
    expect((await me({ cookie: await cookieFor(u.id, 'made-up') })).status).toBe(401);
    expect((await me({ cookie: await cookieFor(u.id, await startSession(v.id)) })).status).toBe(401);
  });
});

describe('API token throttling', () => {
  beforeEach(resetDb);
  afterEach(() => {
    delete process.env.API_TOKEN_RATE_LIMIT;
    vi.useRealTimers();
  });

  it('counts requests per token, says so in RateLimit-* headers and answers 429 past the limit', async () => {
    process.env.API_TOKEN_RATE_LIMIT = '3';
    pinToMinuteStart(); // the quota is a fixed window of a minute: the count must not cross one
    const u = await makeUser('analyst');
    const t = await createToken(u, 'script');
    const other = await createToken(u, 'other script');
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await me({ authorization: `Bearer ${t.token}` });
      expect(r.status).toBe(200);
      expect(r.headers.get('ratelimit-limit')).toBe('3');
      remaining.push(r.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const over = await me({ authorization: `Bearer ${t.token}` });
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(over.headers.get('ratelimit-remaining')).toBe('0');
    expect((await over.json()).error.code).toBe('rate_limited');
    // Per token: another token of the same user has its own window.
    expect((await me({ authorization: `Bearer ${other.token}` })).status).toBe(200);
  });
});

describe('limits on making credentials', () => {
  beforeEach(resetDb);

  it('a token cannot mint tokens, and a user holds at most MAX_TOKENS_PER_USER live ones', async () => {
    const { POST } = await import('@/app/api/tokens/route');
    const post = (headers: Record<string, string>) =>
      POST(new NextRequest('http://localhost:3000/api/tokens', { method: 'POST', headers: { host: 'localhost:3000', 'content-type': 'application/json', ...headers }, body: JSON.stringify({ name: 'more' }) }), { params: Promise.resolve({}) });
    const u = await makeUser('analyst');
    const t = await createToken(u, 'script');
    expect((await post({ authorization: `Bearer ${t.token}` })).status).toBe(403);
    const cookie = await cookieFor(u.id, await startSession(u.id));
    for (let i = 1; i < MAX_TOKENS_PER_USER; i++) expect((await post({ cookie })).status).toBe(201);
    const over = await post({ cookie });
    expect(over.status).toBe(409);
    expect((await over.json()).error.details.limit).toBe(MAX_TOKENS_PER_USER);
  });

  it('throttles anonymous sign-ups per client address, not an admin adding people', async () => {
    process.env.SIGN_UP_RATE_LIMIT = '3';
    process.env.MARGINALIA_CLIENT_ADDRESS_HEADER = '1';
    try {
      const { POST } = await import('@/app/api/users/route');
      let n = 0;
      const signUp = (address: string, headers: Record<string, string> = {}) =>
        POST(new NextRequest('http://localhost:3000/api/users', { method: 'POST', headers: { host: 'localhost:3000', 'content-type': 'application/json', 'x-marginalia-client-address': address, ...headers }, body: JSON.stringify({ email: `p${++n}@example.test`, name: 'P', password: 'a rare passphrase' }) }), { params: Promise.resolve({}) });
      for (let i = 0; i < 3; i++) expect((await signUp('203.0.113.5')).status).toBe(201);
      const over = await signUp('203.0.113.5');
      expect(over.status).toBe(429);
      expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await signUp('203.0.113.6')).status).toBe(201);
      const admin = await makeUser('admin');
      const cookie = await cookieFor(admin.id, await startSession(admin.id));
      expect((await signUp('203.0.113.5', { cookie, origin: 'http://localhost:3000' })).status).toBe(201);
    } finally {
      delete process.env.SIGN_UP_RATE_LIMIT;
      delete process.env.MARGINALIA_CLIENT_ADDRESS_HEADER;
    }
  });
});

