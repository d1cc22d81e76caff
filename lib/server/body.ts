import 'server-only';
import { AppError } from '@/lib/domain/errors';

/**
 * Request bodies are read at most up to their route's limit. A declared Content-Length over the
 * limit is refused before reading; a body without one (chunked) is read chunk by chunk and reading
 * stops the moment it passes the limit, so a client cannot make the server buffer more than
 * `limit` bytes (scripts/serve.mjs also refuses declared sizes over the largest limit).
 * The connection is not closed on a 413 (see discardRest).
 */
export const tooLarge = (limit: number) =>
  new AppError('payload_too_large', `Request body is over the ${formatLimit(limit)} limit`, { limit });

function formatLimit(limit: number): string {
  return limit >= 1024 * 1024 ? `${limit / 1024 / 1024} MiB` : `${Math.round(limit / 1024)} KiB`;
}

export async function readBody(req: Request, limit: number): Promise<Uint8Array> {
  const declared = req.headers.get('content-length');
  if (declared !== null && !(Number(declared) <= limit)) throw tooLarge(limit);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      void discardRest(reader);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * After a 413 the rest of the body is read and thrown away for a while (a "lingering close"):
 * ending the request at once resets the socket while the client is still sending, and the reset
 * can destroy the 413 before the client reads it. Nothing is kept, and it stops after
 * LINGER_BYTES or LINGER_MS, whichever comes first.
 */
export const LINGER_BYTES = 64 * 1024 * 1024;
export const LINGER_MS = 5_000;

async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  const until = Date.now() + LINGER_MS;
  let discarded = 0;
  try {
    while (discarded < LINGER_BYTES && Date.now() < until) {
      const { done, value } = await reader.read();
      if (done) return;
      discarded += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away: nothing left to discard.
  }
}

/** The body as UTF-8 text; bytes that are not UTF-8 are a 400. */
export async function readText(req: Request, limit: number): Promise<string> {
  const bytes = await readBody(req, limit);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('bad_request', 'Request body is not valid UTF-8');
  }
}

/** The media type of Content-Type without parameters, lower-cased ('' when absent). */
export function mediaType(req: Request): string {
  return (req.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
}
