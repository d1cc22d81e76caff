/**
 * The Content-Security-Policy of HTML pages and the HSTS decision, used by proxy.ts on every
 * page request. Pure functions of their inputs so that unit tests pin the policy down.
 *
 * Scripts: only those carrying the request's nonce run ('strict-dynamic' extends the trust to
 * the chunks they load). Next.js reads the nonce from this header on the request and puts it
 * on its own scripts. One inline script runs by its hash: the document page's early painter
 * (lib/client/early-paint-entry.ts, bundled into generated/early-paint.ts with its hash). Nothing else
 * (inline handlers, javascript: URLs, injected <script>) runs.
 * 'unsafe-eval' only under `next dev`, whose React tooling needs it.
 *
 * Styles: <style>/<link> elements need the nonce or 'self', except Tiptap's one base stylesheet,
 * which its editor injects without a nonce and is allowed by its hash (TIPTAP_STYLE_SHA256, kept
 * equal to @tiptap/core's text by a unit test). Style *attributes* are allowed: React positions
 * the selection toolbar and the windowed thread list with them, and they cannot run script.
 * `next dev` injects its CSS without a nonce, so dev allows inline style elements.
 */

import { EARLY_PAINT_SHA256 } from '@/generated/early-paint';

/** sha256 of the stylesheet @tiptap/core's Editor injects (its `injectCSS` option). */
export const TIPTAP_STYLE_SHA256 = 'PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA=';

export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export function pageCsp(nonce: string, opts: { dev: boolean; https: boolean }): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'sha256-${EARLY_PAINT_SHA256}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ''}`,
    opts.dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}' 'sha256-${TIPTAP_STYLE_SHA256}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  // Only over https: on a plain-http origin it would send the page's own requests to https.
  if (opts.https) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

/** The policy of API responses (JSON, SSE): they are never documents, so nothing may load. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * What next.config.js's headers() gives every API answer (a test compares them). Answers that
 * lib/server/direct.ts writes without Next carry these itself; HSTS is scripts/serve.mjs's.
 */
export const API_STATIC_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'Content-Security-Policy': API_CSP,
};

/** Two years, the preload list's minimum; subdomains are left to their own operators. */
export const HSTS = 'max-age=63072000';

/**
 * HSTS goes out when the request reached us over https: the configured public URL (NEXTAUTH_URL)
 * is https (TLS ends at the balancer in front of `next start`, which serves plain http), or the
 * balancer says so in X-Forwarded-Proto. A client forging that header over plain http gains
 * nothing: browsers ignore Strict-Transport-Security received over http.
 */
export function sendHsts(publicUrl: string | null, forwardedProto: string | null): boolean {
  if (publicUrl?.toLowerCase().startsWith('https:')) return true;
  return forwardedProto?.split(',')[0]?.trim().toLowerCase() === 'https';
}
