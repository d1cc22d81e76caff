import 'server-only';
import { randomBytes } from 'node:crypto';
import type { Role } from '@/lib/domain/tags';
import { db } from './db';

/**
 * Server-side sessions behind next-auth's JWTs. Signing in creates a Session row whose id goes into
 * the JWT; every request must find that row (with its user, in one query), so signing out, which
 * deletes it, ends that session at once, even for a copy of the cookie. Sign-out-everywhere
 * deletes all of a user's rows. Rows expire with the JWT; one still in use is extended at most
 * once a day (next-auth re-issues the cookie with a later expiry as it is used).
 */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
const EXTEND_AFTER_MS = 24 * 60 * 60 * 1000;

const expiry = () => new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000);

export async function startSession(userId: string): Promise<string> {
  const id = randomBytes(24).toString('base64url');
  await db().session.create({ data: { id, userId, expiresAt: expiry() } });
  // Housekeeping on sign-in, so expired rows never pile up.
  await db().session.deleteMany({ where: { userId, expiresAt: { lt: new Date() } } });
  return id;
}

export async function endSession(id: string): Promise<void> {
  await db().session.deleteMany({ where: { id } });
}

/** The user behind a credential (a session, or an API token: token-cache.ts), as requests see them. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  sessionVersion: number;
}

/** The user of a live session `sid` belonging to `uid`, or null when it has ended or expired. */
export async function sessionActor(sid: string, uid: string): Promise<SessionUser | null> {
  const [row] = await db().$queryRaw<(SessionUser & { expiresAt: Date })[]>`
    SELECT u.id, u.email, u.name, u.role::text AS role, u.active, u."sessionVersion", s."expiresAt"
    FROM "Session" s JOIN "User" u ON u.id = s."userId"
    WHERE s.id = ${sid} AND s."userId" = ${uid} AND s."expiresAt" > now()`;
  if (!row) return null;
  if (row.expiresAt.getTime() - Date.now() < SESSION_MAX_AGE_SECONDS * 1000 - EXTEND_AFTER_MS) {
    await db().session.updateMany({ where: { id: sid }, data: { expiresAt: expiry() } }).catch(() => {});
  }
  const { expiresAt: _expiresAt, ...user } = row;
  return user;
}
