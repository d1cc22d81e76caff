import { describe, expect, it } from 'vitest';
import { clientAddress, isTrustedPeer, normalizeAddress, passPrecompressed, requestTarget, trustedProxies } from './serve.mjs';

describe('client address (scripts/serve.mjs)', () => {
  const none = trustedProxies('');
  const lb = trustedProxies('10.0.0.0/8, ::1');

  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress('198.51.100.7', '203.0.113.1', none)).toBe('198.51.100.7');
    expect(clientAddress('::ffff:198.51.100.7', '203.0.113.1, 10.0.0.1', none)).toBe('198.51.100.7');
  });

  it('takes the first untrusted hop from the right behind trusted proxies', () => {
    expect(clientAddress('10.1.2.3', '203.0.113.1', lb)).toBe('203.0.113.1');
    // A client-supplied first entry is ignored: the proxy appended the real peer after it.
    expect(clientAddress('10.1.2.3', 'spoofed, 198.51.100.9, 10.9.9.9', lb)).toBe('198.51.100.9');
    expect(clientAddress('::1', '203.0.113.4', lb)).toBe('203.0.113.4');
  });

  it('stops at a malformed hop and at the end of the chain', () => {
    expect(clientAddress('10.1.2.3', 'not-an-ip', lb)).toBe('10.1.2.3');
    expect(clientAddress('10.1.2.3', '10.4.4.4', lb)).toBe('10.4.4.4');
    expect(clientAddress('10.1.2.3', undefined, lb)).toBe('10.1.2.3');
    expect(clientAddress(undefined, '203.0.113.1', lb)).toBe('unknown');
  });

  it('normalises IPv4-mapped and bracketed addresses', () => {
    expect(normalizeAddress('::FFFF:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeAddress('[::1]')).toBe('::1');
    expect(normalizeAddress('evil')).toBeNull();
  });

  it('refuses a TRUSTED_PROXIES entry that is not an address', () => {
    expect(() => trustedProxies('proxy.internal')).toThrow(/TRUSTED_PROXIES/);
  });

  it('trusts forwarding headers only from a listed proxy', () => {
    expect(isTrustedPeer('10.2.3.4', lb)).toBe(true);
    expect(isTrustedPeer('::ffff:10.2.3.4', lb)).toBe(true);
    expect(isTrustedPeer('198.51.100.7', lb)).toBe(false);
    expect(isTrustedPeer('127.0.0.1', none)).toBe(false);
    expect(isTrustedPeer(undefined, lb)).toBe(false);
  });

  it('checks and normalises the request target as Next will route it', () => {
    expect(requestTarget('/api/../signin')).toEqual({ ok: true, path: '/signin' });
    expect(requestTarget('/api/documents/abc?x=1')).toEqual({ ok: true, path: '/api/documents/abc' });
    expect(requestTarget('/api/documents/%ff').ok).toBe(false);
    expect(requestTarget('/api/tokens/%E0%A4%A').ok).toBe(false);
    expect(requestTarget('http://evil.example/api/me').ok).toBe(false);
    expect(requestTarget('//evil.example/x').ok).toBe(false);
    expect(requestTarget('*').ok).toBe(false);
  });
});

describe('a route\'s own encoding (scripts/serve.mjs passPrecompressed)', () => {
  it('becomes the Content-Encoding for gzip and br only; anything else is dropped, never passed on', () => {
    const set = new Map<string, unknown>();
    const res = { setHeader(name: string, value: unknown) { set.set(name, value); return this; } };
    passPrecompressed(res);
    for (const [value, expected] of [['gzip', 'gzip'], ['br', 'br'], [['br'], 'br'], ['BR', 'br'], ['deflate', undefined], ['identity', undefined], ['gzip, br', undefined]] as const) {
      set.clear();
      res.setHeader('X-Marginalia-Content-Encoding', value);
      expect(set.get('Content-Encoding')).toBe(expected);
      expect(set.has('X-Marginalia-Content-Encoding')).toBe(false);
    }
    res.setHeader('Content-Type', 'application/json');
    expect(set.get('Content-Type')).toBe('application/json');
  });
});
