import 'server-only';
import { createHash } from 'node:crypto';
import { AppError } from '@/lib/domain/errors';
import { db } from './db';
import { env } from './env';
import { log } from './log';

/**
 * Throttling in PostgreSQL, so every server process shares the counts.
 *
 * - `hit` (attempts: sign-in, sign-up) is a sliding window: the Throttle table keeps the times
 *   of the attempts let through in the last window, so the limit holds over every window-long
 *   stretch, with no clock boundary to reset it. A refused attempt is not counted: a client that
 *   keeps trying is free once its oldest counted attempt is a window old (Retry-After says when).
 * - API-token quotas are fixed windows of a minute (RateLimit table, tokens.ts), which the
 *   RateLimit-* headers describe: `windowState` says where such a window stands.
 * Past the limit both throw 429 `rate_limited` with Retry-After.
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

/** The longest window any throttle uses (sign-ups: an hour); rows idle longer are swept. */
export const LONGEST_WINDOW_S = 3600;
const SWEEP_EVERY_MS = 10 * 60_000;
const sweeps = globalThis as unknown as { __marginaliaThrottleSweep?: number };

/**
 * Deletes the throttles whose newest attempt is older than the longest window: nothing in them
 * counts any more, and without this one row per (email, address) ever tried would stay.
 */
export async function sweepThrottles(now = Date.now()): Promise<number> {
  const before = new Date(now - LONGEST_WINDOW_S * 1000).toISOString();
  return db().$executeRaw`DELETE FROM "Throttle" WHERE coalesce("hits"[cardinality("hits")] < ${before}::timestamptz, true)`;
}

export async function hit(key: string, limit: number, windowSeconds: number): Promise<void> {
  const now = Date.now();
  if (windowSeconds > LONGEST_WINDOW_S) throw new Error(`a throttle window over ${LONGEST_WINDOW_S} s would be swept early`);
  // At most every SWEEP_EVERY_MS per process, off the request's path.
  if (now - (sweeps.__marginaliaThrottleSweep ?? 0) > SWEEP_EVERY_MS) {
    sweeps.__marginaliaThrottleSweep = now;
    sweepThrottles(now).catch((e: unknown) => log('warn', 'sweeping throttles failed', { err: String(e) }));
  }
  // As ISO strings with their zone: a Date parameter can be read in the session's time zone.
  const at = new Date(now).toISOString();
  const since = new Date(now - windowSeconds * 1000).toISOString();
  // One statement, so concurrent attempts on one key are counted exactly (the row is locked).
  // SET's expressions all read the row as it was. `oldest` is the attempt whose leaving the
  // window frees a place (the limit may have been lowered since the row filled).
  const rows = await db().$queryRaw<{ allowed: boolean; oldest: Date | null }[]>`
    INSERT INTO "Throttle" ("key", "hits", "allowed") VALUES (${key}, ARRAY[${at}::timestamptz], ${limit > 0})
    ON CONFLICT ("key") DO UPDATE SET
      "allowed" = cardinality(ARRAY(SELECT h FROM unnest("Throttle"."hits") h WHERE h > ${since}::timestamptz)) < ${limit},
      "hits" = ARRAY(SELECT h FROM unnest("Throttle"."hits") h WHERE h > ${since}::timestamptz ORDER BY h)
        || CASE WHEN cardinality(ARRAY(SELECT h FROM unnest("Throttle"."hits") h WHERE h > ${since}::timestamptz)) < ${limit}
           THEN ARRAY[${at}::timestamptz] ELSE '{}' END
    RETURNING "allowed", "hits"[greatest(1, cardinality("hits") - ${limit} + 1)] AS oldest`;
  const row = rows[0];
  if (!row || row.allowed) return;
  const reset = Math.max(1, Math.ceil(((row.oldest?.getTime() ?? now) + windowSeconds * 1000 - now) / 1000));
  throw rateLimited({ limit, remaining: 0, reset });
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
  // Hashed: the email is whatever the form sent (up to its 16 kB), too long for a key's index.
  await hit(`signin:acct:${createHash('sha256').update(`${email}|${address}`).digest('base64url')}`, SIGN_IN_LIMITS.perAccountAndAddress, 60);
}

/** Anonymous sign-ups an hour from one client address (SIGN_UP_RATE_LIMIT): a whole team may join from one office. */
export async function throttleSignUp(address: string): Promise<void> {
  await hit(`signup:addr:${address}`, env.signUpRateLimit(), 3600);
}
