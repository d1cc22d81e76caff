import 'server-only';
import { randomUUID } from 'node:crypto';
import { notFound } from '@/lib/domain/errors';
import { authorize } from '@/lib/domain/policy';
import type { SessionActor } from './auth';
import { db } from './db';
import { eventHub, type HubEvent } from './event-hub';
import { log } from './log';

/**
 * One Server-Sent-Events stream of a document's events (GET /api/documents/:id/events).
 *
 * Order of work, so that nothing is lost or doubled: subscribe to the hub first (live events are
 * held back), then replay from the Event table everything after the client's last id, then
 * release the held events, skipping any id already sent. Every `id:` is the event id, so the
 * browser's automatic reconnect (Last-Event-ID) resumes exactly where it stopped.
 *
 * Replay leaves out the content of resources deleted later in the same replay: a client that
 * missed both the creation and the deletion only hears of the deletion.
 */
const HEARTBEAT_MS = 15_000;
const encoder = new TextEncoder();

function frame(e: { id?: bigint; event: string; data: unknown }): Uint8Array {
  const lines = [];
  if (e.id !== undefined) lines.push(`id: ${e.id}`);
  lines.push(`event: ${e.event}`, `data: ${JSON.stringify(e.data)}`, '', '');
  return encoder.encode(lines.join('\n'));
}

const frames = new WeakMap<HubEvent, Uint8Array>();
function frameOf(e: HubEvent): Uint8Array {
  let f = frames.get(e);
  if (!f) frames.set(e, (f = frame({ id: e.id, event: e.type, data: e.payload })));
  return f;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Drops create/update events of resources that the same batch later deletes. */
export function withoutDeletedContent(events: HubEvent[]): HubEvent[] {
  const deletedAnnotations = new Set<string>();
  const deletedComments = new Set<string>();
  for (const e of events) {
    const p = e.payload as { id?: string };
    if (e.type === 'annotation.deleted' && p.id) deletedAnnotations.add(p.id);
    if (e.type === 'comment.deleted' && p.id) deletedComments.add(p.id);
  }
  return events.filter((e) => {
    const p = e.payload as { id?: string; annotationId?: string };
    if (e.type === 'annotation.created' || e.type === 'annotation.updated') return !deletedAnnotations.has(p.id ?? '');
    if (e.type === 'comment.created' || e.type === 'comment.updated') {
      return !deletedComments.has(p.id ?? '') && !deletedAnnotations.has(p.annotationId ?? '');
    }
    return true;
  });
}

export async function openEventStream(actor: SessionActor, documentId: string, after: bigint, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  authorize(actor, 'document.read');
  const doc = await db().document.findUnique({ where: { id: documentId }, select: { id: true } });
  if (!doc) throw notFound('Document');
  const hub = eventHub();
  const connectionId = randomUUID();
  let lastSent = after;
  let held: HubEvent[] | null = [];
  let closed = false;
  let unsubscribe = () => {};
  let heartbeat: NodeJS.Timeout | undefined;

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (bytes: Uint8Array) => {
        if (closed) return;
        try {
          controller.enqueue(bytes);
        } catch {
          close();
        }
      };
      // One write per batch; each event's frame is encoded once and shared by every stream.
      const sendEvents = (events: HubEvent[]) => {
        const parts: Uint8Array[] = [];
        for (const e of events) {
          if (e.id <= lastSent) continue;
          lastSent = e.id;
          parts.push(frameOf(e));
        }
        if (parts.length === 1) send(parts[0]);
        else if (parts.length > 1) send(concat(parts));
      };
      const close = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        void hub.leave(connectionId).catch(() => {});
        try {
          controller.close();
        } catch {
          /* already closed by the client */
        }
      };
      signal.addEventListener('abort', close);

      send(encoder.encode('retry: 2000\n\n'));
      unsubscribe = await hub.subscribe(documentId, {
        userId: actor.id,
        sessionVersion: actor.sessionVersion,
        onEvents: (events) => (held ? held.push(...events) : sendEvents(events)),
        onPresence: (users) => send(frame({ event: 'presence', data: { users } })),
        onStatus: (state) => send(frame({ event: 'status', data: { state } })),
        onShutdown: () => close(),
        onRevoked: () => {
          send(frame({ event: 'revoked', data: { message: 'Your session ended; sign in again' } }));
          close();
        },
      });
      try {
        const rows = await db().event.findMany({
          where: { documentId, id: { gt: after } },
          orderBy: { id: 'asc' },
          select: { id: true, documentId: true, type: true, payload: true },
        });
        sendEvents(withoutDeletedContent(rows));
        sendEvents(held ?? []);
        held = null;
        send(frame({ event: 'status', data: { state: 'live', lastEventId: lastSent.toString() } }));
        await hub.join(connectionId, documentId, { id: actor.id, name: actor.name });
      } catch (e) {
        log('warn', 'event stream start failed', { err: String(e) });
        close();
        return;
      }
      heartbeat = setInterval(() => send(encoder.encode(': ping\n\n')), HEARTBEAT_MS);
    },
    cancel() {
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      void hub.leave(connectionId).catch(() => {});
    },
  });
}

/** The newest event id of a document: the page renders up to it and the stream resumes after it. */
export async function latestEventId(documentId: string): Promise<bigint> {
  const row = await db().event.findFirst({ where: { documentId }, orderBy: { id: 'desc' }, select: { id: true } });
  return row?.id ?? 0n;
}
