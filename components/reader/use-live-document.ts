'use client';

/**
 * The document's annotations and comments as one store (lib/client/store.ts), kept current by
 * the live stream (lib/client/live.ts), with what the stream says about the connection, who else
 * is reading, newer revisions, and the reader's own access (a changed role, a session that ended).
 */
import { useEffect, useReducer, useRef, useState } from 'react';
import type { ApiAnnotation, ApiComment, ApiLink } from '@/lib/domain/api-types';
import { api } from '@/lib/client/api';
import { paintEarly, releasePlan, SPAN_LIMIT } from '@/lib/client/css-highlights';
import { highlightSpecs } from '@/lib/domain/highlight';
import type { Role } from '@/lib/domain/tags';
import { connectLive, type LiveState, type NewRevision, type PresenceUser } from '@/lib/client/live';
import { announcement } from '@/lib/client/announce';
import { initialState, reducer } from '@/lib/client/store';
import { SUGGESTION_EVENT } from './suggestions';

interface Options {
  documentId: string;
  revisionId: string;
  /** The newest event id when the page was rendered: the stream resumes after it. */
  lastEventId: string;
  /** An earlier revision is read alone, with no live connection. */
  readOnly: boolean;
  /**
   * Where the annotations, links and comments are read from (the list API, whose unfiltered
   * answer is the document's shared snapshot; the page preloads it while its HTML arrives).
   */
  dataUrl: string;
  role: Role;
  meId: string;
}

/** Without `comments`, the threads' comments load as they are shown (components/threads/comment-loader.ts). */
type Loaded = { annotations: ApiAnnotation[]; comments?: ApiComment[]; links: ApiLink[] };

export function useLiveDocument({ documentId, revisionId, lastEventId, readOnly, dataUrl, role: initialRole, meId }: Options) {
  const [state, dispatch] = useReducer(reducer, undefined, () => initialState([], [], []));
  /** 'loading' until the annotations arrived; an error message when they could not be read. */
  const [data, setData] = useState<'loading' | 'ready' | { error: string }>('loading');
  const [attempt, setAttempt] = useState(0);
  const [live, setLive] = useState<LiveState>('connecting');
  const [present, setPresent] = useState<{ users: PresenceUser[]; count: number }>({ users: [], count: 0 });
  /** A revision published while this page was open. */
  const [newer, setNewer] = useState<NewRevision | null>(null);
  /** The reader's role now (an admin may change it while the page is open). */
  const [role, setRole] = useState<Role>(initialRole);
  /** Why the reader's session ended (signed out elsewhere, deactivated), once it has. */
  const [signedOut, setSignedOut] = useState<string | null>(null);
  /** The document's title, as renamed while the page is open (null until then). */
  const [renamed, setRenamed] = useState<string | null>(null);
  /** An admin deleted the document while it was open. */
  const [deleted, setDeleted] = useState(false);
  /** The last change someone else made, for screen readers (lib/client/announce.ts). */
  const [announced, setAnnounced] = useState('');
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  }, [state]);

  // The first request starts while the page hydrates (not after, in the effect): its answer is
  // usually in already, from the page's preload (same URL, mode and credentials, so reused).
  const [first] = useState(() => {
    if (typeof window === 'undefined') return null;
    const answer = api<Loaded>('GET', dataUrl);
    // Painted as soon as it is in, before the render that takes it (lib/client/css-highlights.ts).
    answer.then((body) => paintEarly(revisionId, highlightSpecs(body.annotations)), () => {}); // errors: the effect below

    return { url: dataUrl, answer };
  });
  useEffect(() => {
    let stop = false;
    const answer = attempt === 0 && first?.url === dataUrl ? first.answer : api<Loaded>('GET', dataUrl);
    answer
      .then((body) => {
        if (stop) return;
        dispatch({ type: 'reset', annotations: body.annotations, comments: body.comments ?? [], links: body.links, loaded: body.comments ? 'all' : 'none' });
        setData('ready');
        // Few enough to be drawn as elements: what the page's plan painted goes.
        if (highlightSpecs(body.annotations).length <= SPAN_LIMIT) releasePlan();
      })
      .catch((e: unknown) => {
        if (stop) return;
        releasePlan();
        setData({ error: e instanceof Error ? e.message : 'The highlights could not be loaded.' });
      });
    return () => {
      stop = true;
    };
  }, [dataUrl, attempt, first]);

  // Leaving the page before the list came (an in-app visit elsewhere): nothing of its plan stays.
  useEffect(() => releasePlan, []);

  const ready = data === 'ready';
  useEffect(() => {
    // Live changes are applied on top of the loaded state: the stream replays everything after
    // the page's event id, which is older than the data, and applying a change twice is harmless.
    if (readOnly || !ready) return;
    return connectLive(documentId, lastEventId, {
      onAction(action) {
        // After a new revision, highlights made on it point into text this page does not show.
        if (action.type === 'annotation.upsert' && action.annotation.revisionId !== revisionId) return;
        const said = announcement(action, stateRef.current, meId);
        if (said) setAnnounced(said);
        dispatch(action);
      },
      onState: setLive,
      onPresence: (users, count) => setPresent({ users, count }),
      onRevision: (r) => {
        if (r.id !== revisionId) setNewer(r);
      },
      onRole: setRole,
      onRevoked: setSignedOut,
      onRenamed: setRenamed,
      onDeleted: () => setDeleted(true),
      onSuggestion: (d) => window.dispatchEvent(new CustomEvent(SUGGESTION_EVENT, { detail: d })),
    });
    // Reconnecting is EventSource's job (with Last-Event-ID); the page's id only seeds the first connect.
  }, [documentId, revisionId, readOnly, ready]); // eslint-disable-line react-hooks/exhaustive-deps

  const retry = () => {
    setData('loading');
    setAttempt((n) => n + 1);
  };
  return { state, dispatch, data, retry, live, present, newer, role, signedOut, setSignedOut, announced, renamed, deleted };
}
