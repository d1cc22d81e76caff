import 'server-only';
import { env } from './env';

/**
 * The base of the absolute IRIs in exports: the public URL (NEXTAUTH_URL) when set, so ids do
 * not depend on which host name a client used; else the request's own origin.
 */
export function exportBase(req: { nextUrl: { origin: string } }): string {
  return (env.publicUrl() ?? req.nextUrl.origin).replace(/\/+$/, '');
}
