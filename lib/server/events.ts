import 'server-only';
import type { EventType } from '@/lib/domain/events';
import type { Tx } from './db';

/**
 * Writes an event row inside the caller's transaction and queues its notification. NOTIFY is
 * transactional in PostgreSQL: listeners hear `doc_events` only if the transaction commits, and
 * in commit order, so the outbox row and its announcement can never disagree.
 */
export async function recordEvent(
  tx: Tx,
  e: { documentId: string; type: EventType; actorId: string | null; resourceId: string; payload: unknown },
): Promise<bigint> {
  const row = await tx.event.create({
    data: { documentId: e.documentId, type: e.type, actorId: e.actorId, resourceId: e.resourceId, payload: e.payload as object },
    select: { id: true },
  });
  await tx.$executeRaw`SELECT pg_notify('doc_events', ${row.id.toString()})`;
  return row.id;
}
