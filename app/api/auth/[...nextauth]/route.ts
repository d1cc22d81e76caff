import NextAuth from 'next-auth';
import { authOptions } from '@/lib/server/auth';

// Options are built per request so that `next build` needs no secret.
type Ctx = { params: Promise<{ nextauth: string[] }> };
const handle = (req: Request, ctx: Ctx) => NextAuth(authOptions())(req, ctx);
export { handle as GET, handle as POST };
