import 'server-only';
import { db } from './db';

/**
 * What a live stream replays: the events a reader missed, reduced to the current state of each
 * resource they touch. The hub's catch-up after an outage uses the same reduction.
 */

/** A stored event as the live streams send it. */
export interface StreamEvent {
  id: bigint;
  documentId: string;
  type: string;
  resourceId: string;
  payload: unknown;
}

/** The kind of resource an event is about: `comment` for comment.created/updated/deleted, etc. */
const family = (type: string) => type.slice(0, type.indexOf('.'));

/**
 * Reduces a run of events to the current state of each resource they touch: only each resource's
 * latest event is kept (every change to an annotation or comment writes one, carrying the whole
 * resource, so the latest is its current state, or its deletion), in id order. Comments of an
 * annotation deleted in the run are dropped too. So a reader who missed the history never
 * receives what was later edited away: an edited comment arrives with its new text only, a
 * deleted one as its deletion.
 */
export function currentState<E extends StreamEvent>(events: E[]): E[] {
  const latest = new Map<string, E>();
  for (const e of events) latest.set(`${family(e.type)}:${e.resourceId}`, e);
  const deletedAnnotations = new Set<string>();
  for (const e of latest.values()) if (e.type === 'annotation.deleted') deletedAnnotations.add(e.resourceId);
  return [...latest.values()]
    .filter((e) => !(family(e.type) === 'comment' && e.type !== 'comment.deleted' && deletedAnnotations.has((e.payload as { annotationId?: string }).annotationId ?? '')))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The replay of a document after `after`, as the current state of each resource (currentState),
 * reduced in the database: one row per resource, so it is bounded by the document's size, not by
 * the length of its history.
 */
export async function replayEvents(documentId: string, after: bigint): Promise<StreamEvent[]> {
  const rows = await db().$queryRaw<StreamEvent[]>`
    SELECT id, "documentId", type, "resourceId", payload FROM (
      SELECT DISTINCT ON (split_part(type, '.', 1), "resourceId") id, "documentId", type, "resourceId", payload
      FROM "Event" WHERE "documentId" = ${documentId} AND id > ${after}
      ORDER BY split_part(type, '.', 1), "resourceId", id DESC
    ) latest ORDER BY id`;
  return currentState(rows);
}
