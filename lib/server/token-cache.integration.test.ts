import postgres from 'postgres';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeUser, resetDb } from '@/scripts/test/db';
import { pinToMinuteStart } from '@/scripts/test/clock';
import { authenticateToken, createToken, revokeToken, tokenCache } from './tokens';
import { patchUser, signOutEverywhere } from './users';

/**
 * The bearer-token cache (token-cache.ts): a token is answered without a round trip once this
 * process has checked it, and a revocation, deactivation or sign-out-everywhere is seen at once.
 */
const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
afterAll(() => other.end());

/** Authenticates until the answer came from the cache (its LISTEN connection starts on first use). */
async function warm(token: string) {
  await vi.waitFor(async () => {
    const hits = tokenCache().stats.hits;
    expect(await authenticateToken(token)).not.toBeNull();
    expect(tokenCache().stats.hits).toBeGreaterThan(hits);
  }, { timeout: 10_000, interval: 20 });
}

describe('token cache', () => {
  beforeEach(resetDb);
  afterEach(() => {
    delete process.env.API_TOKEN_RATE_LIMIT;
    vi.useRealTimers();
  });

  it('refuses a cached token the moment this process revokes it', async () => {
    const u = await makeUser('analyst');
    const t = await createToken(u, 'script');
    await warm(t.token);
    await revokeToken(u, t.id);
    expect(await authenticateToken(t.token)).toBeNull();
  });

  it('refuses a cached token once another process revokes it (its NOTIFY), and never caches it again', async () => {
    const u = await makeUser('analyst');
    const t = await createToken(u, 'script');
    await warm(t.token);
    // Another server process: a write on another connection, announced only by the trigger.
    await other`UPDATE "ApiToken" SET "revokedAt" = now() WHERE id = ${t.id}`;
    await vi.waitFor(async () => expect(await authenticateToken(t.token)).toBeNull(), { timeout: 10_000, interval: 5 });
    const hits = tokenCache().stats.hits;
    for (let i = 0; i < 3; i++) expect(await authenticateToken(t.token)).toBeNull();
    expect(tokenCache().stats.hits).toBe(hits);
  });

  it('sees a deactivation, a role change and a sign-out-everywhere at once', async () => {
    const admin = await makeUser('admin');
    const u = await makeUser('analyst');
    const t = await createToken(u, 'script');
    await warm(t.token);
    await patchUser(admin, u.id, { role: 'viewer' });
    expect((await authenticateToken(t.token))?.role).toBe('viewer');
    await warm(t.token);
    await signOutEverywhere(u);
    expect((await authenticateToken(t.token))?.sessionVersion).toBe(1);
    await warm(t.token);
    await patchUser(admin, u.id, { active: false });
    expect(await authenticateToken(t.token)).toBeNull();
  });

  it('a change another process makes to the user reaches the cache through its NOTIFY', async () => {
    const u = await makeUser('analyst');
    const t = await createToken(u, 'script');
    await warm(t.token);
    await other`UPDATE "User" SET active = false WHERE id = ${u.id}`;
    await vi.waitFor(async () => expect(await authenticateToken(t.token)).toBeNull(), { timeout: 10_000, interval: 5 });
  });

  it('still counts every request against the rate limit, exactly near the limit, and writes the counts to the database', async () => {
    process.env.API_TOKEN_RATE_LIMIT = '20';
    pinToMinuteStart(); // the quota is a fixed window of a minute: the count must not cross one
    const u = await makeUser('analyst');
    const t = await createToken(u, 'script');
    await warm(t.token); // some requests, at least one answered from the cache
    const [{ count: before }] = await other<{ count: number }[]>`SELECT count FROM "RateLimit" WHERE key = ${`token:${t.id}`}`;
    const counts: number[] = [];
    for (;;) {
      const r = await authenticateToken(t.token);
      counts.push(r!.requests);
      if (r!.requests > 20) break;
    }
    // Every request counted once, in order, up to one past the limit (which auth.ts answers 429).
    const first = counts[0];
    expect(counts).toEqual(Array.from({ length: 22 - first }, (_, i) => first + i));
    expect(first).toBeGreaterThan(before);
    await tokenCache().flushNow();
    const [{ count }] = await other<{ count: number }[]>`SELECT count FROM "RateLimit" WHERE key = ${`token:${t.id}`}`;
    expect(count).toBe(21);
  });
});
