import 'server-only';
import { notFound } from '@/lib/domain/errors';
import { authorize } from '@/lib/domain/policy';
import type { Role } from '@/lib/domain/tags';
import type { SessionActor } from './auth';
import { db } from './db';
import { eventHub, type HubEvent, type PresenceSnapshot } from './event-hub';
import { replayEvents } from './event-replay';
import { log } from './log';
import type { SseSink, SseSource } from './sse';

/**
 * One Server-Sent-Events stream of a document's events (GET /api/documents/:id/events).
 *
 * Order of work, so that nothing is lost or doubled: take a stream slot (429 when the user or the
 * process has too many), subscribe to the hub (live events are held back), replay from the Event
 * table everything after the client's last id, release the held events skipping any id already
 * sent, then count the reader as present. Every `id:` is an event id, so the browser's
 * automatic reconnect (Last-Event-ID) resumes exactly where it stopped.
 *
 * The replay carries each resource's current state, never its history (event-replay.ts): an
 * edited comment arrives with its new text only, a deleted one as its deletion.
 *
 * The stream can be closed at any moment, start-up included (the client goes away, the request
 * is aborted, the reader is revoked). Closing is one idempotent step that undoes whatever was
 * done so far, and start-up checks after every wait whether it is still wanted, so a stream
 * closed early leaves no subscription, presence or slot behind. The heartbeat comes from the
 * hub's one timer, so a stream owns no timer.
 */
const encoder = new TextEncoder();

function frame(e: { id?: bigint; event: string; data: unknown }): Uint8Array {
  const lines = [];
  if (e.id !== undefined) lines.push(`id: ${e.id}`);
  lines.push(`event: ${e.event}`, `data: ${JSON.stringify(e.data)}`, '', '');
  return encoder.encode(lines.join('\n'));
}

// Frames are encoded once and shared by every stream that sends them.
const frames = new WeakMap<object, Uint8Array>();
function frameOf(e: HubEvent): Uint8Array {
  let f = frames.get(e);
  if (!f) frames.set(e, (f = frame({ id: e.id, event: e.type, data: e.payload })));
  return f;
}
function presenceFrame(p: PresenceSnapshot): Uint8Array {
  let f = frames.get(p);
  if (!f) frames.set(p, (f = frame({ event: 'presence', data: p })));
  return f;
}
const PING = encoder.encode(': ping\n\n');

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface EventStream extends SseSource {
  /** Settles when start-up is over: `live`, or `closed` when the stream ended before. */
  started: Promise<'live' | 'closed'>;
}

/** Bytes a stream may have queued for a reader that does not keep up before it is dropped. */
export const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

/**
 * Checks the reader may open the stream (errors here are the route's answer), then returns the
 * stream; it sends once started on a sink (lib/server/sse.ts), and ends as soon as `signal`
 * aborts, before or after that.
 */
export async function openEventStream(actor: SessionActor, documentId: string, after: bigint, signal: AbortSignal): Promise<EventStream> {
  authorize(actor, 'document.read');
  const hub = eventHub();
  // The slot first: a refused attempt costs no query.
  const freeSlot = hub.admit(actor.id);
  try {
    const doc = await db().document.findFirst({ where: { id: documentId, deletedAt: null }, select: { id: true } });
    if (!doc) throw notFound('Document');
  } catch (e) {
    freeSlot();
    throw e;
  }

  let lastSent = after;
  let held: HubEvent[] | null = [];
  let closed = false;
  let sink: SseSink | null = null;
  let unsubscribe = () => {};
  let leave = () => {};
  let settle: (s: 'live' | 'closed') => void = () => {};
  const started = new Promise<'live' | 'closed'>((resolve) => (settle = resolve));
  // A paced replay waiting for room stops waiting when the stream closes.
  let wake: (() => void) | null = null;

  /** Ends the stream and undoes everything start-up did so far; safe to call at any time. */
  const close = (endBody = true) => {
    if (closed) return;
    closed = true;
    wake?.();
    signal.removeEventListener('abort', onAbort);
    unsubscribe();
    leave();
    freeSlot();
    settle('closed');
    if (endBody) sink?.end();
  };
  const onAbort = () => close();
  const send = (bytes: Uint8Array) => {
    if (closed || !sink) return;
    try {
      sink.write(bytes);
      // A reader that does not keep up (or never reads) must not make the server hold an
      // ever-growing queue: past the bound the stream fails, the connection closes, and the
      // browser reconnects from the last id it received.
      if (sink.backlog() > MAX_BACKLOG_BYTES) {
        sink.fail(new Error('event stream reader too slow'));
        close(false);
      }
    } catch {
      close();
    }
  };
  const drained = () => (closed || !sink ? Promise.resolve() : Promise.race([sink.room(), new Promise<void>((r) => (wake = r))]));
  // One write per batch.
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
  /** The replay, paced by the reader: each frame waits until the queue has room. */
  const sendReplay = async (events: HubEvent[]) => {
    for (const e of events) {
      if (closed) return;
      if (e.id <= lastSent) continue;
      lastSent = e.id;
      send(frameOf(e));
      await drained();
    }
  };
  const subscriber = {
    userId: actor.id,
    sessionVersion: actor.sessionVersion,
    role: actor.role,
    credential: actor.credential,
    onEvents: (events: HubEvent[]) => (held ? held.push(...events) : sendEvents(events)),
    onPresence: (p: PresenceSnapshot) => send(presenceFrame(p)),
    onStatus: (state: 'live' | 'reconnecting') => send(frame({ event: 'status', data: { state } })),
    onPing: () => send(PING),
    onShutdown: () => close(),
    onRole: (role: Role) => send(frame({ event: 'me', data: { role } })),
    onRevoked: () => {
      send(frame({ event: 'revoked', data: { message: 'Your session ended; sign in again' } }));
      close();
    },
  };

  const run = async () => {
    send(encoder.encode('retry: 2000\n\n'));
    const unsub = await hub.subscribe(documentId, subscriber);
    unsubscribe = unsub;
    if (closed) return unsub();
    const replay = await replayEvents(documentId, after);
    if (closed) return;
    await sendReplay(replay);
    if (closed) return;
    sendEvents(held ?? []);
    held = null;
    send(frame({ event: 'status', data: { state: 'live', lastEventId: lastSent.toString() } }));
    // Synchronous after the check above: a stream closed during the replay never joins.
    leave = hub.join(documentId, { id: actor.id, name: actor.name }, subscriber);
    settle('live');
  };

  if (signal.aborted) close();
  else signal.addEventListener('abort', onAbort);
  return {
    started,
    start(s) {
      if (sink) throw new Error('event stream started twice');
      sink = s;
      if (closed) s.end();
      else
        run().catch((e) => {
          log('warn', 'event stream start failed', { err: String(e) });
          close();
        });
      return () => close(false);
    },
  };
}

