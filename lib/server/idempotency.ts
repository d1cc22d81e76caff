import 'server-only';
import { createHash } from 'node:crypto';
import { AppError } from '@/lib/domain/errors';
import { db, type Tx } from './db';

export interface StoredResult<T> {
  status: number;
  body: T;
}

/**
 * Runs `work` in a transaction; with an Idempotency-Key, the first answer is stored in the same
 * transaction and every retry gets it back instead of doing the work again.
 *
 * The key row is inserted first with ON CONFLICT DO NOTHING: a concurrent request with the same
 * key blocks on that insert until the first transaction ends, then finds the stored answer. So N
 * concurrent retries produce one row and N identical answers.
 */
export const requestHash = (request: unknown): string => createHash('sha256').update(JSON.stringify(request) ?? '').digest('hex');

/** The answer stored for a key that already exists; 422 if it was used for another request. */
export async function storedAnswer<T>(userId: string, key: string, scope: string, hash: string): Promise<StoredResult<T>> {
  const prior = await db().idempotencyKey.findUniqueOrThrow({ where: { userId_key: { userId, key } } });
  if (prior.scope !== scope || prior.requestHash !== hash) {
    throw new AppError('unprocessable', 'This Idempotency-Key was already used for a different request');
  }
  return { status: prior.status, body: prior.response as T };
}

export async function withIdempotency<T>(
  userId: string,
  key: string | null,
  scope: string,
  request: unknown,
  work: (tx: Tx) => Promise<StoredResult<T>>,
): Promise<StoredResult<T>> {
  if (!key) return db().$transaction(work);
  const hash = requestHash(request);
  return db().$transaction(async (tx) => {
    const inserted = await tx.$executeRaw`
      INSERT INTO "IdempotencyKey" ("userId", "key", "scope", "requestHash", "status", "response")
      VALUES (${userId}, ${key}, ${scope}, ${hash}, 0, 'null'::jsonb)
      ON CONFLICT DO NOTHING`;
    if (inserted === 0) {
      const prior = await tx.idempotencyKey.findUniqueOrThrow({ where: { userId_key: { userId, key } } });
      if (prior.scope !== scope || prior.requestHash !== hash) {
        throw new AppError('unprocessable', 'This Idempotency-Key was already used for a different request');
      }
      return { status: prior.status, body: prior.response as T };
    }
    const result = await work(tx);
    await tx.idempotencyKey.update({
      where: { userId_key: { userId, key } },
      data: { status: result.status, response: result.body as object },
    });
    return result;
  });
}
