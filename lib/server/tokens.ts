import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { AppError, notFound } from '@/lib/domain/errors';
import type { Actor } from '@/lib/domain/policy';
import type { User } from '@/generated/prisma/client';
import { Prisma } from '@/generated/prisma/client';
import { db, hotQuery } from './db';
import { env } from './env';
import { TokenCache, windowOf, type TokenUser } from './token-cache';

/** API tokens for scripts: `Authorization: Bearer <token>`. Only a sha256 of each is stored. */
const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** Live tokens one user may hold: each has its own rate limit, so an endless supply would lift it. */
export const MAX_TOKENS_PER_USER = 20;

export async function createToken(actor: Actor & { via?: 'cookie' | 'token' }, name: string) {
  // A token mints no more tokens: a leaked one cannot multiply itself (or its rate limit).
  if (actor.via === 'token') throw new AppError('forbidden', 'Create API tokens while signed in, not with another token');
  const live = await db().apiToken.count({ where: { userId: actor.id, revokedAt: null } });
  if (live >= MAX_TOKENS_PER_USER) {
    throw new AppError('conflict', `You have ${MAX_TOKENS_PER_USER} API tokens; revoke one before creating another`, { limit: MAX_TOKENS_PER_USER });
  }
  const token = `mgl_${randomBytes(24).toString('base64url')}`;
  const row = await db().apiToken.create({ data: { userId: actor.id, name, tokenHash: digest(token) } });
  return { id: row.id, name: row.name, token, createdAt: row.createdAt.toISOString() };
}

export async function listTokens(actor: Actor) {
  const rows = await db().apiToken.findMany({ where: { userId: actor.id, revokedAt: null }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.createdAt.toISOString(), lastUsedAt: r.lastUsedAt?.toISOString() ?? null }));
}

export async function revokeToken(actor: Actor, id: string): Promise<void> {
  const { count } = await db().apiToken.updateMany({ where: { id, userId: actor.id, revokedAt: null }, data: { revokedAt: new Date() } });
  // Refused here from now on, without waiting for the trigger's announcement (token-cache.ts).
  tokenCache().forgetToken(id);
  if (count === 0) throw notFound('Token');
}

type TokenRow = Pick<User, 'id' | 'email' | 'name' | 'role' | 'active' | 'sessionVersion'> & { tokenId: string; lastUsedAt: Date | null };

/** Per-process cache of checked tokens, kept true by `NOTIFY user_changed` (token-cache.ts). */
const holder = globalThis as unknown as { __marginaliaTokens?: TokenCache };
export function tokenCache(): TokenCache {
  holder.__marginaliaTokens ??= new TokenCache(async (window, counts) => {
    const rows = await hotQuery<{ key: string; count: number }>(Prisma.sql`
      INSERT INTO "RateLimit" ("key", "windowStart", "count")
      SELECT 'token:' || c.id, ${window}, c.n FROM unnest(${counts.map((c) => c.tokenId)}::text[], ${counts.map((c) => c.n)}::int[]) AS c(id, n)
      ON CONFLICT ("key") DO UPDATE SET
        "count" = CASE WHEN "RateLimit"."windowStart" = EXCLUDED."windowStart" THEN "RateLimit"."count" + EXCLUDED."count" ELSE EXCLUDED."count" END,
        "windowStart" = EXCLUDED."windowStart"
      RETURNING "key", "count"`);
    return new Map(rows.map((r) => [r.key.slice('token:'.length), r.count]));
  });
  return holder.__marginaliaTokens;
}

/**
 * The active user a token belongs to, or null for an unknown or revoked token, with the number of
 * requests this token has made in the current one-minute window. A token this process has checked
 * before is answered from tokenCache() (no round trip; revocations and user changes drop it, see
 * token-cache.ts). Otherwise one statement reads it and counts the request (with those counted
 * here meanwhile) in the unlogged RateLimit table, so throttling adds neither a round trip nor a
 * WAL flush.
 */
export async function authenticateToken(token: string) {
  const hash = digest(token);
  const cache = tokenCache();
  const cached = cache.use(hash, env.apiTokenRateLimit());
  if ('user' in cached) {
    await recordUse(hash, cached.user);
    return { ...cached.user, requests: cached.requests };
  }
  const generation = cache.mark();
  const windowStart = new Date(windowOf());
  const count = 1 + cached.pending;
  // A prepared statement through postgres.js (db.ts hotQuery): every uncached API-token request runs it.
  const [row] = await hotQuery<TokenRow & { revokedAt: Date | null; requests: number | null }>(Prisma.sql`
    WITH t AS (
      SELECT t.id AS "tokenId", t."revokedAt", t."lastUsedAt", u.id, u.email, u.name, u.role::text AS role, u.active, u."sessionVersion"
      FROM "ApiToken" t JOIN "User" u ON u.id = t."userId" WHERE t."tokenHash" = ${hash}
    ), counted AS (
      INSERT INTO "RateLimit" ("key", "windowStart", "count")
      SELECT 'token:' || "tokenId", ${windowStart}, ${count}::int FROM t WHERE "revokedAt" IS NULL AND active
      ON CONFLICT ("key") DO UPDATE SET
        "count" = CASE WHEN "RateLimit"."windowStart" = EXCLUDED."windowStart" THEN "RateLimit"."count" + EXCLUDED."count" ELSE EXCLUDED."count" END,
        "windowStart" = EXCLUDED."windowStart"
      RETURNING "count"
    )
    SELECT t.*, (SELECT "count" FROM counted) AS requests FROM t`);
  if (!row || row.revokedAt || !row.active) return null;
  const user: TokenUser = { id: row.id, email: row.email, name: row.name, role: row.role, active: row.active, sessionVersion: row.sessionVersion, tokenId: row.tokenId, lastUsedAt: row.lastUsedAt };
  const requests = row.requests ?? count;
  cache.store(hash, user, requests, generation);
  await recordUse(hash, user);
  return { ...user, requests };
}

/** Recording use is best-effort and at most once a minute per token. */
async function recordUse(hash: string, user: TokenUser): Promise<void> {
  if (user.lastUsedAt && Date.now() - user.lastUsedAt.getTime() <= 60_000) return;
  const now = new Date();
  tokenCache().touch(hash, now);
  await db().apiToken.update({ where: { id: user.tokenId }, data: { lastUsedAt: now } }).catch(() => {});
}
