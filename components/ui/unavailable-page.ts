/**
 * The page answered (503, Retry-After) while the database cannot be reached. proxy.ts sends it
 * before any React rendering, so it is a complete HTML document of its own: no data, no
 * scripts, its one stylesheet carrying the request's CSP nonce. It reloads itself after
 * RETRY_AFTER_S, and the link retries at once.
 */
export const RETRY_AFTER_S = 5;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function unavailablePageHtml(opts: { retryHref: string; nonce: string }): string {
  const href = escapeHtml(opts.retryHref);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta http-equiv="refresh" content="${RETRY_AFTER_S}">
<title>Temporarily unavailable · Marginalia</title>
<style nonce="${escapeHtml(opts.nonce)}">
body{margin:0;min-height:100vh;display:grid;place-items:center;font:16px/1.5 system-ui,sans-serif;background:Canvas;color:CanvasText}
main{max-width:28rem;padding:2rem;border:1px solid color-mix(in srgb,CanvasText 15%,transparent);border-radius:12px}
.brand{margin:0 0 .5rem;font-weight:600;opacity:.7}
h1{margin:0 0 .75rem;font-size:1.4rem}
a{color:LinkText}
</style>
</head>
<body>
<main role="alert">
<p class="brand">Marginalia</p>
<h1>Temporarily unavailable</h1>
<p>The database cannot be reached; this page will work again shortly.</p>
<p><a href="${href}">Try again</a></p>
</main>
</body>
</html>
`;
}
