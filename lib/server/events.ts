import 'server-only';
import type { EventType } from '@/lib/domain/events';
import { Prisma } from '@/generated/prisma/client';
import { ADVISORY_LOCKS } from './advisory-locks';
import type { Tx } from './db';

/**
 * Writes an event row inside the caller's transaction and queues its notification. NOTIFY is
 * transactional in PostgreSQL: listeners hear `doc_events` only if the transaction commits, and
 * in commit order, so the outbox row and its announcement can never disagree.
 *
 * Event ids must also be in commit order, or a reader resuming "after id N" could skip a row
 * with a smaller id that committed later. So the id is drawn under a transaction-scoped advisory
 * lock, held only from here to the commit (event writes come last in every transaction). This
 * relies on every event being written through eventCtes, and on the id sequence handing out one
 * value at a time (no CACHE: a session holding pre-drawn ids would not draw them under the lock;
 * app/api/conditional.integration.test.ts checks it). Conditional reads' ETags rely on it too.
 */
export interface AppendedEvent {
  documentId: string;
  type: EventType;
  actorId: string | null;
  resourceId: string;
  /** JSON text (cast `::text::jsonb`, so it is passed as it is by every driver, see db.ts hotQuery). */
  payload: string;
}

/**
 * The two CTEs that append events: `l` takes the ordering lock (after the CTE `after`, when
 * given, so the events are written only if that produced a row), `e` inserts the events, their
 * ids in the order given. Shared by recordEvent and the one-statement create of
 * annotation-insert.ts.
 */
export function eventCtes(events: AppendedEvent[], after?: string): Prisma.Sql {
  const from = after ? Prisma.raw(` FROM ${after}`) : Prisma.empty;
  const rows = Prisma.join(
    events.map((e, i) => Prisma.sql`(${Prisma.raw(String(i))}, ${e.documentId}, ${e.type}, ${e.actorId}::text, ${e.resourceId}, ${e.payload}::text::jsonb)`),
  );
  return Prisma.sql`l AS (SELECT pg_advisory_xact_lock(${ADVISORY_LOCKS.eventOrder}::bigint)${from}),
    e AS (INSERT INTO "Event" ("documentId", type, "actorId", "resourceId", payload)
          SELECT v.document, v.type, v.actor, v.resource, v.payload
          FROM l, (VALUES ${rows}) AS v(ord, document, type, actor, resource, payload) ORDER BY v.ord
          RETURNING id)`;
}

export async function recordEvent(
  tx: Tx,
  e: { documentId: string; type: EventType; actorId: string | null; resourceId: string; payload: unknown },
): Promise<bigint> {
  // One round trip: take the lock, insert, announce. The INSERT reads from the lock's CTE, so the
  // lock is held before the id is drawn.
  const [row] = await tx.$queryRaw<{ id: bigint }[]>`
    WITH ${eventCtes([{ ...e, payload: JSON.stringify(e.payload) }])}
    SELECT id, pg_notify('doc_events', id::text)::text AS notified FROM e`;
  return row.id;
}
