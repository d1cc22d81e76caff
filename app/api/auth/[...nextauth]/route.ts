import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { authOptions } from '@/lib/server/auth';
import { route } from '@/lib/server/http';
import { throttleSignIn } from '@/lib/server/rate-limit';

// Options are built per request so that `next build` needs no secret.
type Ctx = { params: Promise<{ nextauth: string[] }> };
const nextAuth = (req: Request, ctx: Ctx) => NextAuth(authOptions())(req, ctx);

/** Sign-in attempts are throttled (429 + Retry-After) before next-auth sees them. */
const throttled = route<{ nextauth: string[] }>(async ({ req }) => {
  const form = await req.clone().formData().catch(() => null);
  const ip = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || req.headers.get('x-real-ip') || null;
  await throttleSignIn(String(form?.get('email') ?? ''), ip);
  return new Response(null, { status: 204 });
}, { auth: false });

export const GET = nextAuth;
export async function POST(req: NextRequest, ctx: Ctx) {
  const { nextauth } = await ctx.params;
  if (nextauth.join('/') === 'callback/credentials') {
    const gate = await throttled(req, ctx);
    if (gate.status !== 204) return gate;
  }
  return nextAuth(req, ctx);
}
