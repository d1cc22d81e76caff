import { NextRequest } from 'next/server';
import { encode } from 'next-auth/jwt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeUser, resetDb } from '@/scripts/test/db';
import { authOptions } from './auth';
import { createToken } from './tokens';
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

  it('counts requests per token, says so in RateLimit-* headers and answers 429 past the limit', async () => {
    process.env.API_TOKEN_RATE_LIMIT = '3';
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
