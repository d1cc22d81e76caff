import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { NextConfig } from 'next';
import { EARLY_PAINT_SCRIPT } from '@/generated/early-paint';
import { API_CSP, API_STATIC_HEADERS, newNonce, pageCsp, sendHsts, TIPTAP_STYLE_SHA256 } from './security-headers';

const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('page CSP', () => {
  it('lets only nonce-carrying scripts and the one early painter (by its hash) run in production: no unsafe-inline, no unsafe-eval', () => {
    const d = directives(pageCsp('abc', { dev: false, https: false }));
    const painter = createHash('sha256').update(EARLY_PAINT_SCRIPT).digest('base64');
    expect(d.get('script-src')).toEqual(["'self'", "'nonce-abc'", `'sha256-${painter}'`, "'strict-dynamic'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'self'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('style-src')).not.toContain("'unsafe-inline'");
    expect(d.has('upgrade-insecure-requests')).toBe(false);
  });

  it("allows 'unsafe-eval' only under next dev, and upgrades requests only over https", () => {
    expect(directives(pageCsp('n', { dev: true, https: false })).get('script-src')).toContain("'unsafe-eval'");
    expect(directives(pageCsp('n', { dev: false, https: true })).has('upgrade-insecure-requests')).toBe(true);
  });

  it('draws a fresh, unguessable nonce each time', () => {
    const seen = new Set(Array.from({ length: 100 }, newNonce));
    expect(seen.size).toBe(100);
    for (const n of seen) expect(Buffer.from(n, 'base64')).toHaveLength(16);
  });

  it("allows Tiptap's injected stylesheet by the hash of @tiptap/core's current text", () => {
    // The editor injects this <style> without a nonce; a Tiptap upgrade that changes it must
    // change the hash too, or the editor loses its base styles under the CSP.
    const req = createRequire(import.meta.url);
    const source = readFileSync(req.resolve('@tiptap/core').replace(/index\.c?js$/, 'index.js'), 'utf8');
    const match = /const style = `([^`]*)`;/.exec(source);
    expect(match, '@tiptap/core no longer declares its stylesheet as `const style`').not.toBeNull();
    expect(createHash('sha256').update(match![1]).digest('base64')).toBe(TIPTAP_STYLE_SHA256);
  });
});

describe('HSTS', () => {
  it('is sent when the public URL is https or the balancer says the request was https', () => {
    expect(sendHsts('https://marginalia.example', null)).toBe(true);
    expect(sendHsts('http://localhost:3000', 'https')).toBe(true);
    expect(sendHsts('http://localhost:3000', 'https, http')).toBe(true);
    expect(sendHsts('http://localhost:3000', null)).toBe(false);
    expect(sendHsts(null, 'http')).toBe(false);
  });
});

describe('next.config.js headers', () => {
  it('gives API routes the API policy and every response nosniff and the referrer policy', async () => {
    const configPath = new URL('../../next.config.js', import.meta.url).href;
    const nextConfig = ((await import(configPath)) as { default: NextConfig }).default;
    const rules = await nextConfig.headers!();
    const api = rules.find((r) => r.source === '/api/:path*');
    expect(api?.headers).toContainEqual({ key: 'Content-Security-Policy', value: API_CSP });
    const all = rules.find((r) => r.source === '/:path*' && !r.has);
    expect(all?.headers).toContainEqual({ key: 'X-Content-Type-Options', value: 'nosniff' });
    expect(all?.headers).toContainEqual({ key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' });
  });

  it('are the headers direct answers (lib/server/direct.ts) set themselves', async () => {
    const configPath = new URL('../../next.config.js', import.meta.url).href;
    const rules = await ((await import(configPath)) as { default: NextConfig }).default.headers!();
    const api = [...rules.filter((r) => r.source === '/:path*' && !r.has), ...rules.filter((r) => r.source === '/api/:path*')].flatMap((r) => r.headers);
    expect(Object.fromEntries(api.map((h) => [h.key, h.value]))).toEqual(API_STATIC_HEADERS);
  });
});
