import { describe, expect, it } from 'vitest';
import { preferredEncoding } from './negotiation';

describe('preferredEncoding (Accept-Encoding, RFC 9110 §12.5.3)', () => {
  const both = ['br', 'gzip'] as const;
  it("takes the first of the server's codings a browser accepts", () => {
    expect(preferredEncoding('gzip, deflate, br, zstd', both)).toBe('br');
    expect(preferredEncoding('gzip', both)).toBe('gzip');
    expect(preferredEncoding('GZip', both)).toBe('gzip');
    expect(preferredEncoding('deflate, gzip;q=1.0, *;q=0.5', both)).toBe('gzip');
  });
  it('never answers a coding the client refused with q=0, in any spelling', () => {
    expect(preferredEncoding('gzip;q=0', both)).toBeNull();
    expect(preferredEncoding('gzip; q=0.000', both)).toBeNull();
    expect(preferredEncoding('br;q=0, gzip', both)).toBe('gzip');
    expect(preferredEncoding('*;q=0', both)).toBeNull();
    expect(preferredEncoding('*, br;q=0', both)).toBe('gzip');
    expect(preferredEncoding('br;q=0.0000, *', both)).toBe('gzip'); // a weight that does not parse refuses, not falls back to *
    expect(preferredEncoding('br;q=0, br', both)).toBeNull(); // named twice: the lower weight
    expect(preferredEncoding('br, br;q=0, gzip;q=0.1', both)).toBe('gzip');
  });
  it('prefers the higher weight, then the server order', () => {
    expect(preferredEncoding('br;q=0.5, gzip;q=0.9', both)).toBe('gzip');
    expect(preferredEncoding('gzip;q=0.5, br;q=0.5', both)).toBe('br');
    expect(preferredEncoding('*', both)).toBe('br');
  });
  it('is the identity (null) for none, identity alone, or a header that does not parse', () => {
    for (const h of [null, '', 'identity', 'compress', 'gzip;q=abc', 'gzip;q=2', 'br;q=-1', '\u0000gzip', ';;,,']) expect(preferredEncoding(h, both)).toBeNull();
  });
  it('offers only what the server has', () => {
    expect(preferredEncoding('gzip, deflate, br, zstd', ['gzip'])).toBe('gzip');
    expect(preferredEncoding('br', ['gzip'])).toBeNull();
  });
});
