import { describe, expect, it } from 'vitest';
import { negotiate } from './protocol';

describe('negotiate (Accept, RFC 9110 §12.5.1)', () => {
  it('JSON-LD by default and on ties; JSON when weighted higher; null when neither is acceptable', () => {
    expect(negotiate(null)).toBe('ld');
    expect(negotiate('*/*')).toBe('ld');
    expect(negotiate('application/ld+json;q=0.5, application/json')).toBe('json');
    expect(negotiate('text/turtle')).toBeNull();
    expect(negotiate('application/ld+json; profile="http://example.org/other"')).toBeNull();
  });
  it('a more specific range overrides a wider one: a type refused with q=0 is never sent, whatever */* says', () => {
    expect(negotiate('application/ld+json;q=0, */*')).toBe('json');
    expect(negotiate('application/json;q=0, application/*')).toBe('ld');
    expect(negotiate('*/*;q=0.5, application/json;q=0, application/ld+json;q=0.4')).toBe('ld');
    expect(negotiate('application/ld+json;q=0, application/json;q=0, */*')).toBeNull();
    expect(negotiate('application/ld+json;profile="http://www.w3.org/ns/anno.jsonld";q=0, application/ld+json, application/json;q=0.1')).toBe('json');
    expect(negotiate('*/*;q=0')).toBeNull();
    expect(negotiate('application/*;q=0, */*')).toBeNull();
  });
  it('a weight that does not parse refuses that range', () => {
    expect(negotiate('application/ld+json;q=abc')).toBeNull();
    expect(negotiate('application/ld+json;q=2, application/json;q=0.3')).toBe('json');
  });
});
