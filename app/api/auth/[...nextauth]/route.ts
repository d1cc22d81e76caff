import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { normalizeEmail } from '@/lib/domain/email';
import { AppError } from '@/lib/domain/errors';
import { authOptions } from '@/lib/server/auth';
import { readAuthForm } from '@/lib/server/auth-form';
import { clientAddress } from '@/lib/server/client-address';
import { route } from '@/lib/server/http';
import { throttleSignIn } from '@/lib/server/rate-limit';

// Options are built per request so that `next build` needs no secret.
type Params = { nextauth: string[] };
type Ctx = { params: Promise<Params> };
const nextAuth = (req: NextRequest, ctx: Ctx) => NextAuth(authOptions())(req, ctx);

/**
 * next-auth reads only the first two segments (action, provider): any more would reach the same
 * handler under another path, so they are refused. A `callbackUrl` that is not a URL on this site
 * is refused too (next-auth answered it with a 500 page).
 */
function checkPath(params: Params, req: NextRequest): void {
  if (params.nextauth.length > 2) throw new AppError('not_found', 'No such API endpoint');
  const callbackUrl = req.nextUrl.searchParams.get('callbackUrl');
  if (callbackUrl !== null && !sameSite(callbackUrl, req.nextUrl.origin)) {
    throw new AppError('bad_request', 'callbackUrl must be a URL on this site', [{ path: ['callbackUrl'], message: 'must be a URL on this site' }]);
  }
}

function sameSite(url: string, origin: string): boolean {
  try {
    return new URL(url, origin).origin === origin;
  } catch {
    return false;
  }
}

export const GET = route<Params>(
  async ({ req, params }) => {
    checkPath(params, req);
    return nextAuth(req, { params: Promise.resolve(params) });
  },
  { auth: false, identify: false },
);

/**
 * Every POST is read once by readAuthForm (size limit, one copy of each field, form encoding
 * only); credential sign-ins are throttled under the email next-auth will check, then next-auth
 * gets the same bytes.
 */
export const POST = route<Params>(
  async ({ req, params }) => {
    checkPath(params, req);
    const form = await readAuthForm(req);
    // Every sign-in callback is throttled, whatever the provider segment says.
    if (params.nextauth[0] === 'callback') {
      await throttleSignIn(normalizeEmail(form.fields.get('email') ?? ''), clientAddress(req.headers));
    }
    return nextAuth(form.request, { params: Promise.resolve(params) });
  },
  { auth: false, identify: false },
);
