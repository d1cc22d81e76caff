import { describe, expect, it } from 'vitest';
import { checkSameOrigin, isDatabaseUnavailable } from './http';

describe('isDatabaseUnavailable', () => {
  it('recognises a connection killed by a database shutdown (SQLSTATE 57P01) as Prisma reports it', () => {
    const e = Object.assign(new Error('\nInvalid `prisma.apiToken.findUnique()` invocation:\n\n\nDatabase error. Code: `57P01`. Message: `terminating connection due to administrator command`'), {
      name: 'PrismaClientKnownRequestError',
      code: 'P2010',
    });
    expect(isDatabaseUnavailable(e)).toBe(true);
  });

  it('recognises a raw query on a connection the server closed (found by the fault test)', () => {
    const e = Object.assign(new Error('\nInvalid `prisma.$queryRaw()` invocation:\n\n\nRaw query failed. Code: `N/A`. Message: `Server has closed the connection.`'), {
      name: 'PrismaClientKnownRequestError',
      code: 'P2010',
    });
    expect(isDatabaseUnavailable(e)).toBe(true);
  });

  it('recognises refused and dropped connections, directly or as a cause', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('x', { cause: new Error('Connection terminated unexpectedly') }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Database error. Code: `08006`. Message: `connection failure`'))).toBe(true);
  });

  it('recognises postgres.js connection failures and its SQLSTATE codes (the hot statements, db.ts hotQuery)', () => {
    for (const code of ['CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', '08006', '57P01']) {
      expect(isDatabaseUnavailable(Object.assign(new Error(`write ${code} 127.0.0.1:5432`), { code }))).toBe(true);
    }
    // A statement written to a connection the restarting server had just closed (the fault test).
    expect(isDatabaseUnavailable(Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' }))).toBe(true);
    // A constraint violation is a PostgresError too, with its own SQLSTATE.
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
  });

  it('does not mistake ordinary failures for an outage', () => {
    expect(isDatabaseUnavailable(new Error('Unique constraint failed on the fields: (`email`)'))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
  });
});

describe('checkSameOrigin', () => {
  const req = (headers: Record<string, string>, method = 'POST') => new Request('http://localhost:3000/api/x', { method, headers: { host: 'localhost:3000', ...headers } });
  it('lets same-origin and origin-less writes through and refuses cross-site ones', () => {
    expect(() => checkSameOrigin(req({ origin: 'http://localhost:3000' }))).not.toThrow();
    expect(() => checkSameOrigin(req({}))).not.toThrow();
    expect(() => checkSameOrigin(req({ origin: 'https://evil.example' }))).toThrow(/Cross-site/);
    expect(() => checkSameOrigin(req({ 'sec-fetch-site': 'cross-site' }))).toThrow(/Cross-site/);
    expect(() => checkSameOrigin(req({ origin: 'null' }))).toThrow(/Cross-site/);
    expect(() => checkSameOrigin(req({ origin: 'https://evil.example' }, 'GET'))).not.toThrow();
  });
});
