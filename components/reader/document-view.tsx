'use client';

/**
 * The document page's client root: one store (lib/client/store.ts) read by the article's
 * highlight layer and by the sidebar; every change goes through the API and its answer is
 * applied to the store.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { describe } from '@/lib/domain/anchoring';
import type { ApiAnnotation, ApiComment } from '@/lib/domain/api-types';
import { buildTextIndex, type JsonNode } from '@/lib/domain/document-text';
import type { AnnotationStatus, Role, Tag } from '@/lib/domain/tags';
import { api, ApiError } from '@/lib/client/api';
import { RetryKeys } from '@/lib/client/retry-keys';
import { connectLive, type LiveState, type NewRevision, type PresenceUser } from '@/lib/client/live';
import { optimisticAnnotation, optimisticComment } from '@/lib/client/optimistic';
import { initialState, orderedAnnotations, reducer } from '@/lib/client/store';
import { ThreadActionsContext, type ThreadActions } from '@/components/threads/actions';
import { Sidebar } from '@/components/threads/sidebar';
import { Article, type TextRange } from './article';
import { Filters, applyFilters, type FilterState } from './filters';
import { HeaderSlot } from './header-slot';
import { Presence } from './presence';
import { Shortcuts } from './shortcuts';
import { can } from '@/lib/domain/policy';

interface Props {
  /** The newest event id when the page was rendered: the live stream resumes after it. */
  lastEventId: string;
  document: { id: string; title: string; revision: { id: string; number: number; text: string; content: JsonNode }; currentRevision: { id: string; number: number } };
  annotations: ApiAnnotation[];
  comments: ApiComment[];
  me: { id: string; name: string; role: Role };
}

/** Idempotency keys of this page's creates (see RetryKeys): a retry of the same create reuses its key. */
const retryKeys = new RetryKeys();
const answeredBy = (identity: string) => <T,>(value: T): T => {
  retryKeys.answered(identity);
  return value;
};
/** A refusal the server gave (4xx) ends the create; a lost answer or an outage keeps its key for the retry. */
const refusedBy = (identity: string) => (e: unknown): never => {
  if (e instanceof ApiError && e.status >= 400 && e.status < 500) retryKeys.answered(identity);
  throw e;
};

export function DocumentView({ document: doc, annotations, comments, me, lastEventId }: Props) {
  const [state, dispatch] = useReducer(reducer, undefined, () => initialState(annotations, comments));
  const [activeId, setActiveId] = useState<string | null>(null);
  const [hoveredId, setHoveredId] = useState<string | null>(null);
  const [composeId, setComposeId] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [live, setLive] = useState<LiveState>('connecting');
  const [present, setPresent] = useState<{ users: PresenceUser[]; count: number }>({ users: [], count: 0 });
  const [filters, setFilters] = useState<FilterState>({ tags: [], hideResolved: false, mine: false });
  /** An earlier revision is shown read-only, without a live connection. */
  const readOnly = doc.revision.id !== doc.currentRevision.id;
  /** A revision published while this page was open. */
  const [newer, setNewer] = useState<NewRevision | null>(null);
  /** The orphaned thread being re-attached: the next selection offers "Attach here". */
  const [reattachId, setReattachId] = useState<string | null>(null);

  useEffect(() => {
    if (readOnly) return;
    return connectLive(doc.id, lastEventId, {
      onAction(action) {
        // After a new revision, highlights made on it point into text this page does not show.
        if (action.type === 'annotation.upsert' && action.annotation.revisionId !== doc.revision.id) return;
        dispatch(action);
      },
      onState: setLive,
      onPresence: (users, count) => setPresent({ users, count }),
      onRevision: (r) => {
        if (r.id !== doc.revision.id) setNewer(r);
      },
    });
    // Reconnecting is EventSource's job (with Last-Event-ID); the page's id only seeds the first connect.
  }, [doc.id, doc.revision.id, readOnly]); // eslint-disable-line react-hooks/exhaustive-deps

  // A message left by the page that navigated here (the revision editor after publishing).
  useEffect(() => {
    try {
      const flash = sessionStorage.getItem('marginalia:flash');
      if (flash) {
        sessionStorage.removeItem('marginalia:flash');
        // Reading the tab's storage needs the browser, so this runs once after hydration; the
        // message is also consumed here, which a render-time read must not do.
        // eslint-disable-next-line react-hooks/set-state-in-effect
        setNotice({ kind: 'info', text: flash });
      }
    } catch {}
  }, []);

  const text = useMemo(() => buildTextIndex(doc.revision.content).text, [doc.revision.content]);
  const ordered = useMemo(() => orderedAnnotations(state), [state]);
  const visible = useMemo(() => applyFilters(ordered, filters, me.id), [ordered, filters, me.id]);
  const highlights = useMemo(
    () => visible.filter((a) => a.anchor !== 'orphaned').map((a) => ({ id: a.id, tag: a.tag, resolved: a.status === 'resolved', start: a.target.position.start, end: a.target.position.end })),
    [visible],
  );

  /** Of overlapping highlights, the shortest: the one the reader is pointing at. */
  const innermost = (ids: string[]): string | null =>
    ids
      .map((id) => state.annotations[id])
      .filter(Boolean)
      .sort((x, y) => x.target.position.end - x.target.position.start - (y.target.position.end - y.target.position.start))[0]?.id ?? null;

  const report = useCallback((e: unknown, what: string) => {
    const msg = e instanceof ApiError ? e.message : 'Something went wrong';
    setNotice({ kind: 'error', text: `${what}: ${msg}` });
    throw e;
  }, []);

  // Scrolling waits for the render that marks the highlight active: the decorations are
  // rebuilt then, and a smooth scroll started on the old elements would be cut short.
  const [scrollTo, setScrollTo] = useState<{ id: string } | null>(null);
  const focus = useCallback((id: string, opts: { scroll?: boolean; compose?: boolean } = {}) => {
    setActiveId(id);
    if (opts.scroll) setScrollTo({ id });
    // "Add a comment": the comment box that replaces the button takes the focus. Focusing another
    // thread otherwise ends the previous one's claim on it.
    setComposeId((current) => (opts.compose ? id : current === id ? current : null));
  }, []);


  const onTag = useCallback(
    async (tag: Tag, range: TextRange) => {
      setPending(true);
      setNotice(null);
      try {
        const target = describe(text, range.start, range.end);
        // Optimistic: the highlight shows at once; the server's copy replaces it.
        const temp = optimisticAnnotation({ documentId: doc.id, revisionId: doc.revision.id }, me, tag, target);
        dispatch({ type: 'annotation.upsert', annotation: temp });
        const body = { tag, target, revisionId: doc.revision.id };
        const identity = `annotation|${doc.revision.id}|${tag}|${range.start}|${range.end}`;
        const res = await api<{ annotation: ApiAnnotation }>('POST', `/api/documents/${doc.id}/annotations`, body, { 'Idempotency-Key': retryKeys.keyFor(identity) })
          .then(answeredBy(identity), refusedBy(identity))
          .finally(() => dispatch({ type: 'annotation.remove', id: temp.id }));
        dispatch({ type: 'annotation.upsert', annotation: res.annotation });
        setActiveId(res.annotation.id);
        setComposeId(res.annotation.id);
      } catch (e) {
        const msg = e instanceof ApiError ? e.message : 'Something went wrong';
        setNotice({ kind: 'error', text: `Could not create the highlight: ${msg}` });
      } finally {
        setPending(false);
      }
    },
    [doc, text, me],
  );

  const onAttach = useCallback(
    async (range: TextRange) => {
      const a = reattachId ? state.annotations[reattachId] : undefined;
      if (!a) return setReattachId(null);
      setPending(true);
      try {
        const res = await api<{ annotation: ApiAnnotation }>('PATCH', `/api/annotations/${a.id}`, { target: describe(text, range.start, range.end), version: a.version });
        dispatch({ type: 'annotation.upsert', annotation: res.annotation });
        setReattachId(null);
        setNotice(null);
        focus(a.id, { scroll: true });
      } catch (e) {
        const msg = e instanceof ApiError ? e.message : 'Something went wrong';
        setNotice({ kind: 'error', text: `Could not re-attach the thread: ${msg}` });
      } finally {
        setPending(false);
      }
    },
    [reattachId, state.annotations, text, focus],
  );

  /**
   * PATCH an annotation on top of the version we show; on 409 show the current one instead.
   * Changes to one annotation go out one after another, each on the version the previous answer
   * gave: Reopen then a quick retag would otherwise send the retag with the version from before
   * the reopen, and get a 409 for the user's own change.
   */
  const patchesInFlight = useRef(new Map<string, Promise<ApiAnnotation | null>>());
  const patch = useCallback(
    async (annotationId: string, change: { tag?: Tag; status?: AnnotationStatus }, failure: string) => {
      const shown = state.annotations[annotationId];
      if (!shown) return;
      // Optimistic: same version, so any newer copy (a live event, the answer) replaces it.
      dispatch({ type: 'annotation.upsert', annotation: { ...shown, ...change } });
      const previous = patchesInFlight.current.get(annotationId) ?? Promise.resolve(null);
      const next = previous.then(async (answered) => {
        const a = answered && answered.version > shown.version ? answered : shown;
        try {
          const res = await api<{ annotation: ApiAnnotation }>('PATCH', `/api/annotations/${annotationId}`, { ...change, version: a.version });
          dispatch({ type: 'annotation.upsert', annotation: res.annotation });
          return res.annotation;
        } catch (e) {
          const current = conflictCurrent<ApiAnnotation>(e);
          dispatch({ type: 'annotation.upsert', annotation: current ?? a });
          report(e, failure);
          return current ?? null;
        }
      });
      patchesInFlight.current.set(annotationId, next);
      await next;
      if (patchesInFlight.current.get(annotationId) === next) patchesInFlight.current.delete(annotationId);
    },
    [state.annotations, report],
  );

  const actions: ThreadActions = useMemo(
    () => ({
      me,
      focus,
      readOnly,
      startReattach(annotationId) {
        setReattachId(annotationId);
        setActiveId(annotationId);
        setNotice(null);
      },
      async reply(annotationId, body, parentId) {
        // Optimistic: the comment shows at once (marked as sending); the server's copy replaces it.
        const temp = optimisticComment(annotationId, parentId ?? null, me, body);
        dispatch({ type: 'comment.upsert', comment: temp });
        try {
          const identity = `comment|${annotationId}|${parentId ?? ''}|${JSON.stringify(body)}`;
          const res = await api<{ comment: ApiComment }>('POST', `/api/annotations/${annotationId}/comments`, parentId ? { body, parentId } : { body }, { 'Idempotency-Key': retryKeys.keyFor(identity) })
            .then(answeredBy(identity), refusedBy(identity))
            .finally(() => dispatch({ type: 'comment.remove', id: temp.id }));
          dispatch({ type: 'comment.upsert', comment: res.comment });
          setNotice(null);
        } catch (e) {
          report(e, 'Your comment was not posted (your text is kept)');
        }
      },
      async editComment(comment, body) {
        try {
          const res = await api<{ comment: ApiComment }>('PATCH', `/api/comments/${comment.id}`, { body, version: comment.version });
          dispatch({ type: 'comment.upsert', comment: res.comment });
          setNotice(null);
        } catch (e) {
          const current = conflictCurrent<ApiComment>(e);
          if (current) dispatch({ type: 'comment.upsert', comment: current });
          report(e, current ? 'Not saved: someone edited it first. Your text is kept; the current text is shown with it' : 'Your edit was not saved (your text is kept)');
        }
      },
      async deleteComment(comment) {
        try {
          await api('DELETE', `/api/comments/${comment.id}`);
          dispatch({ type: 'comment.remove', id: comment.id });
        } catch (e) {
          report(e, 'Could not delete the comment');
        }
      },
      setStatus: (annotationId, status: AnnotationStatus) =>
        patch(annotationId, { status }, status === 'resolved' ? 'Could not resolve' : 'Could not reopen'),
      setTag: (annotationId, tag) => patch(annotationId, { tag }, 'Could not change the tag'),
      async deleteAnnotation(annotationId) {
        try {
          await api('DELETE', `/api/annotations/${annotationId}`);
          dispatch({ type: 'annotation.remove', id: annotationId });
          setActiveId((cur) => (cur === annotationId ? null : cur));
        } catch (e) {
          report(e, 'Could not delete the highlight');
        }
      },
    }),
    [me, focus, report, patch, readOnly],
  );

  return (
    <ThreadActionsContext.Provider value={actions}>
      <HeaderSlot>
        <Filters value={filters} onChange={setFilters} counts={ordered} />
        {/* An earlier revision is read alone: presence belongs to the current one. */}
        {!readOnly && <Presence users={present.users} count={present.count} meId={me.id} />}
        <Shortcuts />
      </HeaderSlot>
      <div className="notice-region" role="status" aria-live="polite">
        {(live === 'reconnecting' || live === 'closed') && (
          <div className="notice notice-info" data-live-state={live}>
            <span>
              {live === 'closed'
                ? 'Live updates stopped. Reload the page to see new changes.'
                : 'Reconnecting… Changes by others will appear when the connection is back; your unsent text is kept.'}
            </span>
          </div>
        )}
        {readOnly && (
          <div className="notice notice-info revision-banner">
            <span>
              You are reading revision {doc.revision.number}, an earlier version (read-only). Its highlights are shown as they were
              then.
            </span>
            <a className="btn-secondary" href={`/documents/${doc.id}`}>Go to the current revision ({doc.currentRevision.number})</a>
          </div>
        )}
        {newer && (
          <div className="notice notice-info revision-banner" data-testid="newer-revision">
            <span>
              Revision {newer.number} was published{newer.createdBy ? ` by ${newer.createdBy.name}` : ''}. Highlights may have moved; new
              ones are not shown here until you load it. Your unsent text is kept.
            </span>
            <a className="btn-secondary" href={`/documents/${doc.id}`}>Load revision {newer.number}</a>
          </div>
        )}
        {reattachId && state.annotations[reattachId] && (
          <div className="notice notice-info revision-banner" data-testid="reattach-banner">
            <span>
              Select the passage the thread “{state.annotations[reattachId].target.quote.exact.slice(0, 60)}” is about, then choose <strong>Attach here</strong>.
            </span>
            <button type="button" className="link-btn" onClick={() => setReattachId(null)}>Cancel</button>
          </div>
        )}
        {notice && (
          // Errors are announced at once, other notices politely.
          <div className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
            <span>{notice.text}</span>
            <button type="button" className="link-btn" onClick={() => setNotice(null)}>Dismiss</button>
          </div>
        )}
      </div>
      <div className="reading-room">
        <main className="article-column">
          <Article
            content={doc.revision.content}
            text={text}
            highlights={highlights}
            activeId={activeId}
            selection={
              readOnly
                ? { mode: 'none', note: 'This is an earlier revision; highlight on the current one.' }
                : reattachId
                  ? { mode: 'attach', onAttach: (r) => void onAttach(r), onCancel: () => setReattachId(null) }
                  : !can(me, 'annotation.create')
                    ? { mode: 'none', note: 'Viewers can comment but not highlight.' }
                    : newer
                      ? { mode: 'none', note: `Load revision ${newer.number} to highlight.` }
                      : { mode: 'tag' }
            }
            pending={pending}
            onTag={onTag}
            onHighlightClick={(ids) => {
              const id = innermost(ids);
              if (id) focus(id);
            }}
            onHighlightHover={(ids) => setHoveredId(innermost(ids))}
            scrollTo={scrollTo}
          />
        </main>
        <Sidebar state={state} annotations={visible} total={ordered.length} activeId={activeId} hoveredId={hoveredId} composeId={composeId} revisionNumber={doc.revision.number} />
      </div>
    </ThreadActionsContext.Provider>
  );
}

/** The current resource a 409 answer carries, if any. */
function conflictCurrent<T>(e: unknown): T | undefined {
  return e instanceof ApiError && e.code === 'conflict' ? (e.details as { current?: T } | undefined)?.current : undefined;
}
