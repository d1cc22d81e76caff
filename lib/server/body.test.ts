import { describe, expect, it } from 'vitest';
import type { AppError } from '@/lib/domain/errors';
import { readBody, readText } from './body';

/** A body without Content-Length that never ends, counting how many chunks were pulled. */
function endless(chunkSize: number) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      state.pulled++;
      c.enqueue(new Uint8Array(chunkSize));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://localhost/x', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('readBody', () => {
  it('answers 413 for a chunked body as soon as it passes the limit, then discards a bounded rest', async () => {
    const { stream, state } = endless(64 * 1024);
    // The body never ends: an answer at all means reading stopped at the limit.
    const e = (await readBody(post(stream), 1024 * 1024).catch((x: AppError) => x)) as AppError;
    expect(e.code).toBe('payload_too_large');
    // Then what the client still sends is read and dropped (lingering), up to 64 MiB, and the
    // body is cancelled: nothing is kept, and the lingering ends.
    await expect.poll(() => state.cancelled, { timeout: 10_000 }).toBe(true);
    expect(state.pulled).toBeLessThanOrEqual((65 * 1024 * 1024) / (64 * 1024) + 2);
  });

  it('refuses a declared length over the limit before reading', async () => {
    const { stream, state } = endless(1024);
    const e = (await readBody(post(stream, { 'content-length': String(2 * 1024 * 1024) }), 1024 * 1024).catch((x: AppError) => x)) as AppError;
    expect(e.code).toBe('payload_too_large');
    expect(state.pulled).toBeLessThanOrEqual(1);
  });

  it.each(['abc', '1e9', 'Infinity'])('treats an unreadable or huge Content-Length (%j) as over the limit', async (v) => {
    await expect(readBody(post('{}', { 'content-length': v }), 1024)).rejects.toMatchObject({ code: 'payload_too_large' });
  });

  it('reads a body within the limit exactly', async () => {
    expect(await readText(post('héllo'), 1024)).toBe('héllo');
  });

  it('answers 400 for bytes that are not UTF-8', async () => {
    await expect(readText(post(new Uint8Array([0x7b, 0xff, 0x7d])), 1024)).rejects.toMatchObject({ code: 'bad_request' });
  });
});
