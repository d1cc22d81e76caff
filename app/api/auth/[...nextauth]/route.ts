import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { normalizeEmail } from '@/lib/domain/email';
import { authOptions } from '@/lib/server/auth';
import { readAuthForm } from '@/lib/server/auth-form';
import { clientAddress } from '@/lib/server/client-address';
import { route } from '@/lib/server/http';
import { throttleSignIn } from '@/lib/server/rate-limit';

// Options are built per request so that `next build` needs no secret.
type Params = { nextauth: string[] };
type Ctx = { params: Promise<Params> };
const nextAuth = (req: NextRequest, ctx: Ctx) => NextAuth(authOptions())(req, ctx);

export const GET = nextAuth;

/**
 * Every POST is read once by readAuthForm (size limit, one copy of each field, form encoding
 * only); credential sign-ins are throttled under the email next-auth will check, then next-auth
 * gets the same bytes.
 */
export const POST = route<Params>(
  async ({ req, params }) => {
    const form = await readAuthForm(req);
    if (params.nextauth.join('/') === 'callback/credentials') {
      await throttleSignIn(normalizeEmail(form.fields.get('email') ?? ''), clientAddress(req.headers));
    }
    return nextAuth(form.request, { params: Promise.resolve(params) });
  },
  { auth: false, identify: false },
);
