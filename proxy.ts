import { NextResponse, type NextRequest } from 'next/server';
import { RETRY_AFTER_S, unavailablePageHtml } from '@/components/ui/unavailable-page';
import { databaseReachable } from '@/lib/server/db-probe';
import { env } from '@/lib/server/env';
import { HSTS, newNonce, pageCsp, sendHsts } from '@/lib/server/security-headers';

/**
 * Runs before every page (not API routes, not static files; see `config`):
 *
 * 1. A fresh nonce and the page CSP (lib/server/security-headers.ts), set on the request, where
 *    Next.js reads the nonce for its own scripts, and on the response. Pages are rendered per
 *    request (the root layout reads headers), so every page carries its request's nonce.
 * 2. HSTS when the request came over https.
 * 3. While the database cannot be reached, a 503 page with Retry-After instead of rendering
 *    (a page cannot set its own status; a failed query would be a 500 error page).
 *
 * Static headers (nosniff, Referrer-Policy, the API's CSP) come from next.config.js. Protection
 * never depends on this file: pages and handlers authenticate and authorize themselves.
 */
export async function proxy(request: NextRequest) {
  const nonce = newNonce();
  const https = sendHsts(env.publicUrl(), request.headers.get('x-forwarded-proto'));
  const csp = pageCsp(nonce, { dev: env.isDevelopment(), https });

  let response: NextResponse;
  if ((request.method === 'GET' || request.method === 'HEAD') && !(await databaseReachable())) {
    const retryHref = request.nextUrl.pathname + request.nextUrl.search;
    response = new NextResponse(request.method === 'HEAD' ? null : unavailablePageHtml({ retryHref, nonce }), {
      status: 503,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Retry-After': String(RETRY_AFTER_S), 'Cache-Control': 'no-store' },
    });
  } else {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set('Content-Security-Policy', csp);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  response.headers.set('Content-Security-Policy', csp);
  if (https) response.headers.set('Strict-Transport-Security', HSTS);
  return response;
}

export const config = {
  matcher: [
    {
      // Everything but API routes, build assets and the favicon; link prefetches need no CSP
      // (they are not documents) and skip the database check.
      source: '/((?!api/|_next/static|_next/image|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
