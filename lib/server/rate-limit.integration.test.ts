import { NextRequest } from 'next/server';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDb } from '@/scripts/test/db';
import type { AppError } from '@/lib/domain/errors';
import { hit, throttleSignIn } from './rate-limit';

describe('rate limiting', () => {
  beforeEach(resetDb);

  it('allows `limit` hits per window and then answers 429 with Retry-After', async () => {
    for (let i = 0; i < 3; i++) await hit('k', 3, 60);
    const e = (await hit('k', 3, 60).catch((x: AppError) => x)) as AppError;
    expect(e.code).toBe('rate_limited');
    expect(Number(e.headers?.['Retry-After'])).toBeGreaterThan(0);
    await expect(hit('other', 3, 60)).resolves.toBeUndefined();
  });

  it('counts concurrent hits exactly', async () => {
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => hit('burst', 10, 60)));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(2);
  });

  it('throttles credential sign-in attempts per email before next-auth runs', async () => {
    const { POST } = await import('@/app/api/auth/[...nextauth]/route');
    const attempt = () =>
      POST(
        new NextRequest('http://localhost:3000/api/auth/callback/credentials', {
          method: 'POST',
          headers: { host: 'localhost:3000', 'x-forwarded-for': '198.51.100.7', 'content-type': 'application/x-www-form-urlencoded' },
          body: 'csrfToken=x&email=victim%40example.test&password=guess',
        }),
        { params: Promise.resolve({ nextauth: ['callback', 'credentials'] }) },
      );
    // Ten earlier attempts (next-auth itself cannot run outside a Next request, so they are counted directly).
    for (let i = 0; i < 10; i++) await throttleSignIn('Victim@example.test', '203.0.113.9');
    const last = await attempt();
    expect(last.status).toBe(429);
    expect(last.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await last.json()).error.code).toBe('rate_limited');
  });
});
