/**
 * The browser's live connection to a document: an EventSource on
 * /api/documents/:id/events that turns server events into store actions. The browser's own
 * reconnect sends Last-Event-ID, so the server replays whatever was missed.
 */
import type { ApiAnnotation, ApiComment } from '@/lib/domain/api-types';
import type { StoreAction } from './store';

export interface NewRevision {
  id: string;
  number: number;
  createdBy: { id: string; name: string } | null;
}

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'closed';
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
    case 'comment.deleted':
      return { type: 'comment.remove', id: (data as { id: string }).id };
    default:
      return null;
  }
}

const RESOURCE_EVENTS = ['annotation.created', 'annotation.updated', 'annotation.deleted', 'comment.created', 'comment.updated', 'comment.deleted'];

export function connectLive(
  documentId: string,
  after: string,
  handlers: {
    onAction(a: StoreAction): void;
    onState(s: LiveState): void;
    onPresence(users: PresenceUser[]): void;
    onRevision(r: NewRevision): void;
  },
): () => void {
  const source = new EventSource(`/api/documents/${encodeURIComponent(documentId)}/events?after=${encodeURIComponent(after)}`);
  handlers.onState('connecting');
  for (const type of RESOURCE_EVENTS) {
    source.addEventListener(type, (e) => {
      const action = eventToAction(type, JSON.parse((e as MessageEvent<string>).data));
      if (action) handlers.onAction(action);
    });
  }
  source.addEventListener('revision.created', (e) => handlers.onRevision((JSON.parse((e as MessageEvent<string>).data) as { revision: NewRevision }).revision));
  source.addEventListener('presence', (e) => handlers.onPresence((JSON.parse((e as MessageEvent<string>).data) as { users: PresenceUser[] }).users));
  source.addEventListener('status', (e) => {
    const { state } = JSON.parse((e as MessageEvent<string>).data) as { state: 'live' | 'reconnecting' };
    handlers.onState(state);
  });
  source.addEventListener('revoked', () => {
    source.close();
    handlers.onState('closed');
  });
  source.onerror = () => handlers.onState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
  return () => source.close();
}
