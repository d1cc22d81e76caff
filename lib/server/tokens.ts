import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { AppError, notFound } from '@/lib/domain/errors';
import type { Actor } from '@/lib/domain/policy';
import type { User } from '@/generated/prisma/client';
import { Prisma } from '@/generated/prisma/client';
import { db, hotQuery } from './db';

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
  const rows = await db().apiToken.findMany({ where: { userId: actor.id, revokedAt: null }, orderBy: { createdAt: 'desc' } });
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.createdAt.toISOString(), lastUsedAt: r.lastUsedAt?.toISOString() ?? null }));
}

export async function revokeToken(actor: Actor, id: string): Promise<void> {
  const { count } = await db().apiToken.updateMany({ where: { id, userId: actor.id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count === 0) throw notFound('Token');
}

/**
 * The active user a token belongs to, or null for an unknown or revoked token, with the number of
 * requests this token has made in the current one-minute window (counted in the same statement,
 * in the unlogged RateLimit table, so throttling adds neither a round trip nor a WAL flush).
 */
export async function authenticateToken(token: string) {
  const windowStart = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  // A prepared statement through postgres.js (db.ts hotQuery): every API-token request runs it.
  const [row] = await hotQuery<Pick<User, 'id' | 'email' | 'name' | 'role' | 'active' | 'sessionVersion'> & { tokenId: string; revokedAt: Date | null; lastUsedAt: Date | null; requests: number | null }>(Prisma.sql`
    WITH t AS (
      SELECT t.id AS "tokenId", t."revokedAt", t."lastUsedAt", u.id, u.email, u.name, u.role::text AS role, u.active, u."sessionVersion"
      FROM "ApiToken" t JOIN "User" u ON u.id = t."userId" WHERE t."tokenHash" = ${digest(token)}
    ), counted AS (
      INSERT INTO "RateLimit" ("key", "windowStart", "count")
      SELECT 'token:' || "tokenId", ${windowStart}, 1 FROM t WHERE "revokedAt" IS NULL AND active
      ON CONFLICT ("key") DO UPDATE SET
        "count" = CASE WHEN "RateLimit"."windowStart" = EXCLUDED."windowStart" THEN "RateLimit"."count" + 1 ELSE 1 END,
        "windowStart" = EXCLUDED."windowStart"
      RETURNING "count"
    )
    SELECT t.*, (SELECT "count" FROM counted) AS requests FROM t`);
  if (!row || row.revokedAt || !row.active) return null;
  // Recording use is best-effort and at most once a minute per token.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db().apiToken.update({ where: { id: row.tokenId }, data: { lastUsedAt: new Date() } }).catch(() => {});
  }
  return { id: row.id, email: row.email, name: row.name, role: row.role, active: row.active, sessionVersion: row.sessionVersion, requests: row.requests ?? 1, tokenId: row.tokenId };
}
