import 'server-only';
import { normalizeEmail } from '@/lib/domain/email';
import { hash, verify } from '@node-rs/argon2';
import type { TCreateUser, TPatchUser } from '@/lib/domain/api-schemas';
import type { ApiUser } from '@/lib/domain/api-types';
import { AppError, notFound } from '@/lib/domain/errors';
import { authorize, can, type Actor } from '@/lib/domain/policy';
import type { Role } from '@/lib/domain/tags';
import { ADVISORY_LOCKS } from './advisory-locks';
import { db } from './db';
import { env } from './env';
import { tokenCache } from './tokens';

/** argon2id with the OWASP-recommended minimum (19 MiB, 2 passes). */
const ARGON = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

type UserRow = { id: string; email: string; name: string; role: Role; active: boolean; createdAt: Date };
export const toApiUser = (u: UserRow): ApiUser => ({
  id: u.id, email: u.email, name: u.name, role: u.role, active: u.active, createdAt: u.createdAt.toISOString(),
});

let dummyHash: Promise<string> | null = null;

/** Returns the user when email and password match an active account. */
export async function verifyCredentials(email: string, password: string) {
  const user = await db().user.findUnique({ where: { email: normalizeEmail(email) } });
  if (!user || !user.active) {
    // Spend the same time as a real check, so response time does not reveal which emails exist.
    dummyHash ??= hash('not-a-password', ARGON);
    await verify(await dummyHash, password).catch(() => false);
    return null;
  }
  return (await verify(user.passwordHash, password).catch(() => false)) ? user : null;
}

/**
 * With REGISTRATION=invite, once any account exists only an admin may create accounts (403).
 * The sign-up route asks this before it reads the body; createUser asks again.
 */
export async function checkRegistration(actor: Actor | null): Promise<void> {
  if (env.registration() !== 'invite' || (actor && can(actor, 'user.manage'))) return;
  const any = await db().user.findFirst({ select: { id: true } });
  if (any) throw new AppError('forbidden', 'Registration is by invitation: ask an admin to create your account');
}

/**
 * Creates an account. The first account becomes an admin; later ones are analysts. With
 * REGISTRATION=invite only an admin may create accounts.
 */
export async function createUser(actor: Actor | null, input: TCreateUser): Promise<ApiUser> {
  await checkRegistration(actor);
  const passwordHash = await hash(input.password, ARGON);
  return db().$transaction(async (tx) => {
    // Serialise sign-ups so that exactly one "first" account becomes admin.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ADVISORY_LOCKS.userRoles}::bigint)`;
    if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
      throw new AppError('conflict', 'An account with this email already exists', [{ path: ['email'], message: 'already registered' }]);
    }
    const first = (await tx.user.count()) === 0;
    const user = await tx.user.create({
      data: { email: input.email, name: input.name, passwordHash, role: first ? 'admin' : 'analyst' },
    });
    return toApiUser(user);
  });
}

export async function getUser(actor: Actor): Promise<ApiUser> {
  const user = await db().user.findUnique({ where: { id: actor.id } });
  if (!user) throw notFound('User');
  return toApiUser(user);
}

export async function listUsers(actor: Actor): Promise<ApiUser[]> {
  authorize(actor, 'user.manage');
  const users = await db().user.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  return users.map(toApiUser);
}

/**
 * Changes role or active. Every request re-reads the user row, so a new role applies at once;
 * deactivation also bumps sessionVersion so the user's existing sessions end for good.
 */
export async function patchUser(actor: Actor, id: string, input: TPatchUser): Promise<ApiUser> {
  authorize(actor, 'user.manage');
  const out = await db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ADVISORY_LOCKS.userRoles}::bigint)`;
    const user = await tx.user.findUnique({ where: { id } });
    if (!user) throw notFound('User');
    const losesAdmin = user.role === 'admin' && user.active && ((input.role && input.role !== 'admin') || input.active === false);
    if (losesAdmin && (await tx.user.count({ where: { role: 'admin', active: true } })) <= 1) {
      throw new AppError('conflict', 'This is the last active admin; make someone else admin first');
    }
    const updated = await tx.user.update({
      where: { id },
      data: { role: input.role, active: input.active, ...(input.active === false ? { sessionVersion: { increment: 1 } } : {}) },
    });
    return toApiUser(updated);
  });
  // Their API tokens are checked afresh here from now on (other processes hear the trigger's NOTIFY).
  tokenCache().forgetUser(id);
  return out;
}

/** Ends every session of the actor (their JWTs carry the old sessionVersion). */
export async function signOutEverywhere(actor: Actor): Promise<void> {
  await db().$transaction([
    db().user.update({ where: { id: actor.id }, data: { sessionVersion: { increment: 1 } } }),
    db().session.deleteMany({ where: { userId: actor.id } }),
  ]);
  tokenCache().forgetUser(actor.id);
}
