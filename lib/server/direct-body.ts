import 'server-only';
/**
 * Answers whose body is bytes already in memory (a document snapshot's cached JSON, gzip or
 * brotli, lib/server/snapshots.ts): Next reads them as a stream of one chunk; lib/server/direct.ts
 * writes the Buffer to the socket itself. Neither copies it (a Response built on the bytes would
 * copy them first: ~100–300 kB per read of a heavily annotated document).
 */
const bytesOf = new WeakMap<Response, Buffer>();

export function bytesResponse(bytes: Buffer, init: ResponseInit): Response {
  // A small Buffer may be a slice of Node's shared pool: Next gets a copy of its own of that, so
  // nothing it might do with a chunk's ArrayBuffer reaches other buffers (large ones own theirs).
  const view = bytes.buffer.byteLength === bytes.byteLength ? new Uint8Array(bytes.buffer) : new Uint8Array(bytes);
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      c.enqueue(view);
      c.close();
    },
  }, { highWaterMark: 0 });
  const res = new Response(body, init);
  bytesOf.set(res, bytes);
  return res;
}

/** The bytes of a bytesResponse (undefined for any other answer). */
export const bytesOfResponse = (res: Response): Buffer | undefined => bytesOf.get(res);
