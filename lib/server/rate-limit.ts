import 'server-only';
import { AppError } from '@/lib/domain/errors';
import { db } from './db';

/**
 * Fixed-window throttling in PostgreSQL, so every server process shares the counts. `hit` counts
 * one attempt under `key` and throws 429 `rate_limited` (with Retry-After) past `limit` attempts
 * in the current window.
 */
export async function hit(key: string, limit: number, windowSeconds: number): Promise<void> {
  const windowMs = windowSeconds * 1000;
  const windowStart = new Date(Math.floor(Date.now() / windowMs) * windowMs);
  const rows = await db().$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimit" ("key", "windowStart", "count") VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."windowStart" = EXCLUDED."windowStart" THEN "RateLimit"."count" + 1 ELSE 1 END,
      "windowStart" = EXCLUDED."windowStart"
    RETURNING "count"`;
  if ((rows[0]?.count ?? 0) > limit) {
    const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - Date.now()) / 1000));
    throw new AppError('rate_limited', `Too many attempts; try again in ${retryAfter} s`, { retryAfter }, { 'Retry-After': String(retryAfter) });
  }
}

/**
 * Sign-in: 10 attempts a minute per email, and 60 per client address when a proxy tells us the
 * address (a route handler does not see the socket's, and one shared bucket would lock out a team).
 */
export async function throttleSignIn(email: string, clientIp: string | null): Promise<void> {
  await hit(`signin:email:${email.trim().toLowerCase()}`, 10, 60);
  if (clientIp) await hit(`signin:ip:${clientIp}`, 60, 60);
}
