/**
 * Where to go after signing in: only a path on this site. The value is parsed the way a browser
 * parses a URL (WHATWG: backslashes become slashes, tabs and newlines are dropped, `//host` is
 * another host), resolved against a placeholder origin, and accepted only if it stays on that
 * origin. The answer is re-serialised from the parsed URL, never the raw input, so what the
 * browser later follows is exactly what was checked.
 */
const BASE = 'http://marginalia.invalid';

export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.length > 2048) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // A path starting with two slashes (or slash-backslash) would be read as another host if it
  // were ever used as a relative URL again.
  return /^\/[/\\]/.test(path) ? fallback : path;
}
