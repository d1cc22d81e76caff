import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

/** Resolves `path` as a browser would against our origin, to see where it really leads. */
const lands = (path: string) => new URL(path, 'https://app.example').origin;

describe('safeNext', () => {
  it.each([
    ['/documents/abc', '/documents/abc'],
    ['/documents/abc?revision=2#a-1', '/documents/abc?revision=2#a-1'],
    ['/', '/'],
  ])('keeps the same-site path %s', (input, out) => expect(safeNext(input)).toBe(out));

  it.each([
    '//evil.example',
    '/\\evil.example',
    '/\t/evil.example',
    '/%09/evil.example'.replace('%09', '\t'),
    '/\n/evil.example',
    '\\\\evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    '/\\/evil.example',
    ' //evil.example',
    '',
    'documents',
  ])('refuses %j', (input) => expect(safeNext(input)).toBe('/'));

  it('never returns a path that leads off-site, for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('/', '\\', '\t', '\n', '\r', ' ', '%', '0', '9', 'e', '.', ':', '@', '?', '#', 'x') }), (s) => {
        const out = safeNext(s);
        expect(out.startsWith('/')).toBe(true);
        expect(lands(out)).toBe('https://app.example');
      }),
    );
  });
});
