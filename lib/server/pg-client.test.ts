import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './http';
import { bounded } from './pg-client';

/**
 * A server that closes every connection as it starts (as a restarting PostgreSQL does for a
 * moment): postgres.js keeps a statement queued on that connection while it reconnects, without
 * end. The request path must give up and answer 503 instead of hanging.
 */
describe('bounded statements', () => {
  const server = createServer((socket) => socket.end());
  let sql: postgres.Sql;
  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    sql = postgres({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, user: 'x', database: 'x', max: 1, connect_timeout: 3, idle_timeout: 0, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql.end({ timeout: 0 });
    server.close();
  });

  it('gives up on a statement the driver cannot send, with an error answered as 503', async () => {
    const error = await bounded(sql.unsafe('SELECT 1'), 300).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONNECT_TIMEOUT' });
    expect(isDatabaseUnavailable(error)).toBe(true);
  });
});
