import 'server-only';
import { AppError } from '@/lib/domain/errors';
import { db } from './db';
import { env } from './env';

/**
 * Fixed-window throttling in PostgreSQL, so every server process shares the counts. `count`
 * counts one attempt under `key` and tells where the window stands; `hit` also throws 429
 * `rate_limited` (with Retry-After) past `limit` attempts in the current window.
 */
export interface Window {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  reset: number;
}

const windowStartOf = (windowMs: number) => new Date(Math.floor(Date.now() / windowMs) * windowMs);

export function windowState(count: number, limit: number, windowSeconds: number): Window {
  const windowMs = windowSeconds * 1000;
  const reset = Math.max(1, Math.ceil((windowStartOf(windowMs).getTime() + windowMs - Date.now()) / 1000));
  return { limit, remaining: Math.max(0, limit - count), reset };
}

export function rateLimited(w: Window, what = 'attempts'): AppError {
  return new AppError('rate_limited', `Too many ${what}; try again in ${w.reset} s`, { retryAfter: w.reset }, { 'Retry-After': String(w.reset), ...rateLimitHeaders(w) });
}

/** RateLimit-* response headers (IETF httpapi draft, as most API gateways send them). */
export function rateLimitHeaders(w: Window): Record<string, string> {
  return { 'RateLimit-Limit': String(w.limit), 'RateLimit-Remaining': String(w.remaining), 'RateLimit-Reset': String(w.reset) };
}

export async function hit(key: string, limit: number, windowSeconds: number): Promise<void> {
  const windowStart = windowStartOf(windowSeconds * 1000);
  const rows = await db().$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimit" ("key", "windowStart", "count") VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."windowStart" = EXCLUDED."windowStart" THEN "RateLimit"."count" + 1 ELSE 1 END,
      "windowStart" = EXCLUDED."windowStart"
    RETURNING "count"`;
  const count = rows[0]?.count ?? 0;
  if (count > limit) throw rateLimited(windowState(count, limit, windowSeconds));
}

/** Sign-in attempts a minute: per account from one client address, and per client address. */
export const SIGN_IN_LIMITS = { perAccountAndAddress: 10, perAddress: 60 } as const;

/**
 * Sign-in: counted before the password is checked, under exactly the (normalised) email that is
 * checked. Per (account, address) rather than per account, so an attacker elsewhere cannot lock
 * the real user out by failing on purpose; per address, so one client cannot guess across many
 * accounts. The address comes from client-address.ts (never from a client-chosen header).
 */
export async function throttleSignIn(email: string, address: string): Promise<void> {
  await hit(`signin:addr:${address}`, SIGN_IN_LIMITS.perAddress, 60);
  await hit(`signin:acct:${email}|${address}`, SIGN_IN_LIMITS.perAccountAndAddress, 60);
}

/** Anonymous sign-ups an hour from one client address (SIGN_UP_RATE_LIMIT): a whole team may join from one office. */
export async function throttleSignUp(address: string): Promise<void> {
  await hit(`signup:addr:${address}`, env.signUpRateLimit(), 3600);
}
