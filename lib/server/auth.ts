import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { decode } from 'next-auth/jwt';
import type { Actor } from '@/lib/domain/policy';
import { AppError } from '@/lib/domain/errors';
import { env } from './env';
import { rateLimited, windowState, type Window } from './rate-limit';
import { endSession, sessionActor, startSession, SESSION_MAX_AGE_SECONDS } from './sessions';
import { authenticateToken } from './tokens';
import { verifyCredentials } from './users';

/**
 * Authentication. Sign-in is next-auth's credentials flow with JWT sessions; the JWT carries the
 * user id, the user's `sessionVersion` and the id of a Session row (sessions.ts). Every request
 * re-reads the user with that row, so deactivation, role changes, sign-out (which deletes the
 * row) and sign-out-everywhere apply on the very next request, even to a copied cookie.
 * Scripts can authenticate with `Authorization: Bearer <token>` (tokens.ts).
 */
export const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'];

export function authOptions(): NextAuthOptions {
  return {
    secret: env.authSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/signin' },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials) {
          const user = await verifyCredentials(credentials?.email ?? '', credentials?.password ?? '');
          return user ? { id: user.id, name: user.name, email: user.email, sv: user.sessionVersion } : null;
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.sv = (user as { sv?: number }).sv ?? 0;
          token.sid = await startSession(user.id);
        }
        return token;
      },
      // Only ever back to this site (next-auth's default also allows any URL on its own origin).
      redirect({ url, baseUrl }) {
        return new URL(url, baseUrl).origin === new URL(baseUrl).origin ? new URL(url, baseUrl).toString() : baseUrl;
      },
      session({ session, token }) {
        if (session.user) (session.user as { id?: unknown }).id = token.uid;
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === 'string') await endSession(token.sid);
      },
    },
  };
}

export interface Credential {
  kind: 'session' | 'token';
  id: string;
}

export interface SessionActor extends Actor {
  name: string;
  email: string;
  via: 'cookie' | 'token';
  /** The user's sessionVersion this request was authenticated under (re-checked by long streams). */
  sessionVersion: number;
  /** API-token requests: where this token's rate-limit window stands (sent as RateLimit-* headers). */
  rateLimit?: Window;
  /** The session or token the request was authenticated with (long streams end when it does). */
  credential: Credential;
}

/** Resolves the JWT of a session cookie to a live, active user whose session is still valid. */
async function actorFromSessionToken(raw: string): Promise<SessionActor | null> {
  let payload: Record<string, unknown> | null;
  try {
    payload = (await decode({ token: raw, secret: env.authSecret() })) as Record<string, unknown> | null;
  } catch {
    return null;
  }
  const { uid, sid, sv } = payload ?? {};
  if (typeof uid !== 'string' || typeof sid !== 'string') return null;
  const user = await sessionActor(sid, uid);
  if (!user || !user.active || user.sessionVersion !== sv) return null;
  return { id: user.id, role: user.role, name: user.name, email: user.email, via: 'cookie', sessionVersion: user.sessionVersion, credential: { kind: 'session', id: sid } };
}

type CookieReader = { get(name: string): { value: string } | undefined };

export async function actorFromCookies(cookies: CookieReader): Promise<SessionActor | null> {
  for (const name of SESSION_COOKIES) {
    const value = cookies.get(name)?.value;
    if (value) return actorFromSessionToken(value);
  }
  return null;
}

/** The actor of an API request: a bearer token if one is sent, else the session cookie. */
export async function actorFromRequest(headers: Headers, cookies: CookieReader): Promise<SessionActor | null> {
  const authz = headers.get('authorization');
  if (authz) {
    const m = /^Bearer\s+(\S+)$/i.exec(authz);
    if (!m) throw new AppError('unauthorized', 'Authorization header must be "Bearer <token>"');
    const user = await authenticateToken(m[1]);
    if (!user) throw new AppError('unauthorized', 'This API token is not valid (revoked or unknown)');
    const rateLimit = windowState(user.requests, env.apiTokenRateLimit(), 60);
    if (user.requests > rateLimit.limit) throw rateLimited(rateLimit, 'requests with this API token');
    return { id: user.id, role: user.role, name: user.name, email: user.email, via: 'token', sessionVersion: user.sessionVersion, rateLimit, credential: { kind: 'token', id: user.tokenId } };
  }
  return actorFromCookies(cookies);
}
