/**
 * The browser's live connection to a document: an EventSource on
 * /api/documents/:id/events that turns server events into store actions. The browser's own
 * reconnect sends Last-Event-ID, so the server replays whatever was missed; when the server
 * refuses a connection outright (429, 503), this retries later with `?after=` the last id seen.
 */
import type { ApiAnnotation, ApiComment, ApiLink, ApiSuggestionDismissal } from '@/lib/domain/api-types';
import type { Role } from '@/lib/domain/tags';
import type { StoreAction } from './store';

export interface NewRevision {
  id: string;
  number: number;
  createdBy: { id: string; name: string } | null;
}

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'closed';

/**
 * The state a page shows, given what it showed and what the connection just reported. Trouble
 * is shown from its first sign until the server says the stream is live again: a retry that is
 * merely "connecting" (or a transport that opened but has not caught up) does not hide the
 * "Reconnecting…" banner, which would otherwise flicker every retry while a server is down.
 * `closed` (signed out, access revoked) is final.
 */
export function nextLiveState(shown: LiveState, reported: LiveState): LiveState {
  if (shown === 'closed') return 'closed';
  if (shown === 'reconnecting' && reported === 'connecting') return 'reconnecting';
  return reported;
}
export interface PresenceUser {
  id: string;
  name: string;
}

/** Maps one server event onto the store; unknown types are ignored (newer servers may add some). */
export function eventToAction(type: string, data: unknown): StoreAction | null {
  switch (type) {
    case 'annotation.created':
    case 'annotation.updated':
      return { type: 'annotation.upsert', annotation: data as ApiAnnotation };
    case 'annotation.deleted':
      return { type: 'annotation.remove', id: (data as { id: string }).id };
    case 'comment.created':
    case 'comment.updated':
      return { type: 'comment.upsert', comment: data as ApiComment };
    case 'comment.deleted': {
      const d = data as { id: string; annotationId?: string };
      return { type: 'comment.remove', id: d.id, annotationId: d.annotationId };
    }
    case 'link.created':
      return { type: 'link.upsert', link: data as ApiLink };
    case 'link.deleted':
      return { type: 'link.remove', id: (data as { id: string }).id };
    default:
      return null;
  }
}

const RESOURCE_EVENTS = ['annotation.created', 'annotation.updated', 'annotation.deleted', 'comment.created', 'comment.updated', 'comment.deleted', 'link.created', 'link.deleted'];

/** After a refused connection (429 too many streams, 503 database down): first retry, and the cap. */
const RETRY_FIRST_MS = 5_000;
const RETRY_MAX_MS = 60_000;

export function connectLive(
  documentId: string,
  after: string,
  handlers: {
    onAction(a: StoreAction): void;
    onState(s: LiveState): void;
    /** Who has the document open: `count` people in all, `users` the first few of them. */
    onPresence(users: PresenceUser[], count: number): void;
    onRevision(r: NewRevision): void;
    /** The reader's session ended or their access was withdrawn: the stream is closed for good. */
    onRevoked?(message: string): void;
    /** The reader's role changed while the page was open (e.g. an admin demoted them). */
    onRole?(role: Role): void;
    /** An admin renamed the document. */
    onRenamed?(title: string): void;
    /** An admin deleted the document: the stream is closed for good. */
    onDeleted?(): void;
    /** Someone dismissed or restored an estimative-language suggestion (`dismissed` says which). */
    onSuggestion?(d: ApiSuggestionDismissal): void;
  },
): () => void {
  let lastEventId = after;
  let source: EventSource | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let delay = RETRY_FIRST_MS;
  let stopped = false;
  let shown: LiveState = 'connecting';
  const report = (s: LiveState) => {
    const next = nextLiveState(shown, s);
    if (next === shown) return;
    shown = next;
    handlers.onState(next);
  };

  const connect = () => {
    const es = new EventSource(`/api/documents/${encodeURIComponent(documentId)}/events?after=${encodeURIComponent(lastEventId)}`);
    source = es;
    report('connecting');
    const data = (e: Event) => {
      const m = e as MessageEvent<string>;
      if (m.lastEventId) lastEventId = m.lastEventId;
      return JSON.parse(m.data) as unknown;
    };
    for (const type of RESOURCE_EVENTS) {
      es.addEventListener(type, (e) => {
        const action = eventToAction(type, data(e));
        if (action) handlers.onAction(action);
      });
    }
    es.addEventListener('revision.created', (e) => handlers.onRevision((data(e) as { revision: NewRevision }).revision));
    es.addEventListener('presence', (e) => {
      const { users, count } = data(e) as { users: PresenceUser[]; count?: number };
      handlers.onPresence(users, count ?? users.length);
    });
    es.addEventListener('status', (e) => {
      const { state } = data(e) as { state: 'live' | 'reconnecting' };
      if (state === 'live') delay = RETRY_FIRST_MS;
      report(state);
    });
    es.addEventListener('me', (e) => {
      const { role } = data(e) as { role: Role };
      handlers.onRole?.(role);
    });
    for (const type of ['suggestion.dismissed', 'suggestion.restored']) es.addEventListener(type, (e) => handlers.onSuggestion?.(data(e) as ApiSuggestionDismissal));
    es.addEventListener('document.renamed', (e) => handlers.onRenamed?.((data(e) as { title: string }).title));
    es.addEventListener('document.deleted', (e) => {
      data(e);
      stopped = true;
      es.close();
      report('closed');
      handlers.onDeleted?.();
    });
    es.addEventListener('revoked', (e) => {
      stopped = true;
      es.close();
      report('closed');
      handlers.onRevoked?.((data(e) as { message?: string }).message ?? 'Your session ended; sign in again');
    });
    es.onerror = () => {
      if (stopped) return;
      if (es.readyState !== EventSource.CLOSED) return report('reconnecting');
      // The server refused the stream (too many open, database down): the browser does not retry
      // that by itself, so try again later, resuming after the last event received.
      report('reconnecting');
      retry = setTimeout(connect, delay);
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    };
  };
  connect();
  return () => {
    stopped = true;
    clearTimeout(retry);
    source?.close();
  };
}
