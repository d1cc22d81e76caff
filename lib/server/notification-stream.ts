import 'server-only';
import { authorize } from '@/lib/domain/policy';
import type { Role } from '@/lib/domain/tags';
import type { SessionActor } from './auth';
import { eventHub, type UserSubscriber } from './event-hub';
import { log } from './log';
import type { SseSink, SseSource } from './sse';
import { unreadFor } from './notifications';

/**
 * The signed-in user's notification stream (GET /api/notifications/events), open on every page
 * for the header's bell. Server-Sent Events: `notifications` with `{ unread }` when it opens and
 * whenever the user's notifications change (a new one, or some marked read in another tab); the
 * browser fetches the list itself when it is shown. `status`, `me` and `revoked` as on the
 * document stream. The hub hears `NOTIFY user_notifications` and tells this user's streams; the
 * unread count is read at most once per burst (a read already queued covers later changes).
 *
 * A user may hold STREAMS_PER_USER notification streams per process, counted apart from their
 * document streams (one tab holds one of each), within the same STREAMS_PER_PROCESS total.
 */
const encoder = new TextEncoder();
const frame = (event: string, data: unknown) => encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
const PING = encoder.encode(': ping\n\n');

export function openNotificationStream(actor: SessionActor, signal: AbortSignal): SseSource {
  authorize(actor, 'notification.read');
  const hub = eventHub();
  const freeSlot = hub.admit(`notifications:${actor.id}`);
  let sink: SseSink | null = null;
  let closed = false;
  let unsubscribe = () => {};
  /** A count read is running; `again` asks for one more after it. */
  let reading = false;
  let again = false;

  const close = () => {
    if (closed) return;
    closed = true;
    signal.removeEventListener('abort', close);
    unsubscribe();
    freeSlot();
    sink?.end();
  };
  const send = (bytes: Uint8Array) => {
    if (closed || !sink) return;
    try {
      sink.write(bytes);
    } catch {
      close();
    }
  };
  const refresh = () => {
    if (closed) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    again = false;
    unreadFor(actor.id)
      .then((unread) => send(frame('notifications', { unread })))
      .catch((e) => log('warn', 'notification count failed', { err: String(e) }))
      .finally(() => {
        reading = false;
        if (again) refresh();
      });
  };
  const subscriber: UserSubscriber = {
    userId: actor.id,
    sessionVersion: actor.sessionVersion,
    role: actor.role,
    credential: actor.credential,
    onNotify: refresh,
    onStatus: (state) => send(frame('status', { state })),
    onPing: () => send(PING),
    onShutdown: close,
    onRole: (role: Role) => send(frame('me', { role })),
    onRevoked: () => {
      send(frame('revoked', { message: 'Your session ended; sign in again' }));
      close();
    },
  };

  if (signal.aborted) close();
  else signal.addEventListener('abort', close);
  return {
    start(s) {
      sink = s;
      if (closed) {
        s.end();
        return () => {};
      }
      send(encoder.encode('retry: 5000\n\n'));
      hub
        .subscribeUser(subscriber)
        .then((unsub) => {
          unsubscribe = unsub;
          if (closed) return unsub();
          refresh();
        })
        .catch((e) => {
          log('warn', 'notification stream start failed', { err: String(e) });
          close();
        });
      return close;
    },
  };
}
