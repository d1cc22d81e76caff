'use client';

/**
 * Everything a reader can do on the document page, as callbacks with a stable identity (they
 * read the store through a ref), so a change to one thread does not rebuild every action and
 * re-render every card. Each change goes through the API and its answer is applied to the store;
 * creates are shown at once (optimistic) and replaced by the server's copy.
 */
import { useCallback, useMemo, useRef, useState, type Dispatch } from 'react';
import { describe } from '@/lib/domain/anchoring';
import type { ApiAnnotation, ApiComment, ApiLink, ApiTradecraft } from '@/lib/domain/api-types';
import { linkEnds, type Relation } from '@/lib/domain/link-relations';
import type { AnnotationStatus, Role, Tag } from '@/lib/domain/tags';
import { api, ApiError } from '@/lib/client/api';
import { RetryKeys } from '@/lib/client/retry-keys';
import { optimisticAnnotation, optimisticComment } from '@/lib/client/optimistic';
import type { StoreAction, StoreState } from '@/lib/client/store';
import type { ThreadActions } from '@/components/threads/actions';
import type { TextRange } from './article';

export interface Notice {
  kind: 'error' | 'info';
  text: string;
  /** Caused by an outage (no answer, 5xx): it clears by itself once the stream is live again. */
  transient?: boolean;
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

/** The current resource a 409 answer carries, if any. */
function conflictCurrent<T>(e: unknown): T | undefined {
  return e instanceof ApiError && e.code === 'conflict' ? (e.details as { current?: T } | undefined)?.current : undefined;
}

/** What a PATCH of an annotation may change. */
type AnnotationChange = { tag?: Tag; status?: AnnotationStatus } & Partial<ApiTradecraft>;

const isOutage = (e: unknown) => !(e instanceof ApiError) || e.status === 0 || e.status >= 500;

interface Options {
  documentId: string;
  revisionId: string;
  /** The revision's plain text, which selections' offsets point into. */
  text: string;
  me: { id: string; name: string; role: Role };
  readOnly: boolean;
  state: StoreState;
  dispatch: Dispatch<StoreAction>;
  /** The server said the session is gone (401): the page offers to sign in again. */
  onSignedOut(message: string): void;
}

export function useDocumentActions({ documentId, revisionId, text, me, readOnly, state, dispatch, onSignedOut }: Options) {
  const [activeId, setActiveId] = useState<string | null>(null);
  const [composeId, setComposeId] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  /** The orphaned thread being re-attached: the next selection offers "Attach here". */
  const [reattachId, setReattachId] = useState<string | null>(null);
  // Scrolling waits for the render that marks the highlight active: the decorations are
  // rebuilt then, and a smooth scroll started on the old elements would be cut short.
  const [scrollTo, setScrollTo] = useState<{ id: string } | null>(null);
  /** A thread's link form is open: a click on a highlight picks the other end. */
  const [linking, setLinking] = useState<{ fromId: string; relation: Relation } | null>(null);
  /** The thread card under the pointer. */
  const [hoveredThread, setHoveredThread] = useState<string | null>(null);

  const stateRef = useRef(state);
  stateRef.current = state; // eslint-disable-line react-hooks/refs -- read by stable callbacks after render, never during it

  const fail = useCallback(
    (e: unknown, what: string) => {
      if (e instanceof ApiError && e.status === 401) onSignedOut(e.message);
      else setNotice({ kind: 'error', text: `${what}: ${e instanceof ApiError ? e.message : 'Something went wrong'}`, transient: isOutage(e) });
    },
    [onSignedOut],
  );
  /** Shows what failed and rethrows, so the component that asked keeps its text. */
  const report = useCallback(
    (e: unknown, what: string): never => {
      fail(e, what);
      throw e;
    },
    [fail],
  );

  /** Counts requests to focus a thread (the bottom sheet opens on each, even for the same thread). */
  const [focusCount, setFocusCount] = useState(0);
  const focus = useCallback((id: string, opts: { scroll?: boolean; compose?: boolean } = {}) => {
    setActiveId(id);
    setFocusCount((n) => n + 1);
    if (opts.scroll) setScrollTo({ id });
    // "Add a comment": the comment box that replaces the button takes the focus. Focusing another
    // thread otherwise ends the previous one's claim on it.
    setComposeId((current) => (opts.compose ? id : current === id ? current : null));
  }, []);

  /** Creates a highlight (with the judgment fields given, e.g. an accepted suggestion's likelihood) and focuses its new thread. */
  const onTag = useCallback(
    async (tag: Tag, range: TextRange, fields: Partial<ApiTradecraft> = {}) => {
      setPending(true);
      setNotice(null);
      try {
        const target = describe(text, range.start, range.end);
        // Optimistic: the highlight shows at once; the server's copy replaces it.
        const temp = { ...optimisticAnnotation({ documentId, revisionId }, me, tag, target), ...fields };
        dispatch({ type: 'annotation.upsert', annotation: temp });
        const body = { tag, target, revisionId, ...fields };
        const identity = `annotation|${revisionId}|${tag}|${range.start}|${range.end}`;
        const res = await api<{ annotation: ApiAnnotation }>('POST', `/api/documents/${documentId}/annotations`, body, { 'Idempotency-Key': retryKeys.keyFor(identity) })
          .then(answeredBy(identity), refusedBy(identity))
          .finally(() => dispatch({ type: 'annotation.remove', id: temp.id }));
        dispatch({ type: 'annotation.upsert', annotation: res.annotation });
        setActiveId(res.annotation.id);
        setFocusCount((n) => n + 1);
        setComposeId(res.annotation.id);
      } catch (e) {
        fail(e, 'Could not create the highlight');
      } finally {
        setPending(false);
      }
    },
    [documentId, revisionId, text, me, dispatch, fail],
  );

  const onAttach = useCallback(
    async (range: TextRange) => {
      const a = reattachId ? stateRef.current.annotations[reattachId] : undefined;
      if (!a) return setReattachId(null);
      setPending(true);
      try {
        const res = await api<{ annotation: ApiAnnotation }>('PATCH', `/api/annotations/${a.id}`, { target: describe(text, range.start, range.end), version: a.version });
        dispatch({ type: 'annotation.upsert', annotation: res.annotation });
        setReattachId(null);
        setNotice(null);
        focus(a.id, { scroll: true });
      } catch (e) {
        fail(e, 'Could not re-attach the thread');
      } finally {
        setPending(false);
      }
    },
    [reattachId, text, focus, dispatch, fail],
  );

  /**
   * PATCH an annotation on top of the version we show; on 409 show the current one instead.
   * Changes to one annotation go out one after another, each on the version the previous answer
   * gave: Reopen then a quick retag would otherwise send the retag with the version from before
   * the reopen, and get a 409 for the user's own change.
   */
  const patchesInFlight = useRef(new Map<string, Promise<ApiAnnotation | null>>());
  const patch = useCallback(
    async (annotationId: string, change: AnnotationChange, failure: string) => {
      const shown = stateRef.current.annotations[annotationId];
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
    [dispatch, report],
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
      setStatus: (annotationId, status: AnnotationStatus, outcome) =>
        patch(annotationId, { status, ...outcome }, status === 'resolved' ? 'Could not resolve' : 'Could not reopen'),
      judge: (annotationId, change) => patch(annotationId, change, 'Could not save the judgment'),
      setTag: (annotationId, tag) => patch(annotationId, { tag }, 'Could not change the tag'),
      async addPageNote(tag, body) {
        // Optimistic: the note shows at once (without its comment, which the composer still holds).
        const temp = optimisticAnnotation({ documentId, revisionId }, me, tag, null);
        dispatch({ type: 'annotation.upsert', annotation: temp });
        try {
          const identity = `page-note|${documentId}|${tag}|${JSON.stringify(body)}`;
          const res = await api<{ annotation: ApiAnnotation; comment?: ApiComment }>('POST', `/api/documents/${documentId}/annotations`, { tag, scope: 'document', comment: { body } }, { 'Idempotency-Key': retryKeys.keyFor(identity) })
            .then(answeredBy(identity), refusedBy(identity))
            .finally(() => dispatch({ type: 'annotation.remove', id: temp.id }));
          dispatch({ type: 'annotation.upsert', annotation: res.annotation });
          if (res.comment) dispatch({ type: 'comment.upsert', comment: res.comment });
          setNotice(null);
          focus(res.annotation.id);
        } catch (e) {
          report(e, 'Could not add the page note (your text is kept)');
        }
      },
      async link(fromId, otherId, relation) {
        try {
          const { sourceId, targetId } = linkEnds(fromId, otherId, relation);
          const res = await api<{ link: ApiLink }>('POST', `/api/annotations/${sourceId}/links`, { targetId, type: relation.type });
          dispatch({ type: 'link.upsert', link: res.link });
          setNotice(null);
        } catch (e) {
          report(e, 'Could not link the highlights');
        }
      },
      async unlink(annotationId, linkId) {
        try {
          await api('DELETE', `/api/annotations/${annotationId}/links/${linkId}`);
          dispatch({ type: 'link.remove', id: linkId });
        } catch (e) {
          // Already gone (someone else removed it, or its other highlight was deleted).
          if (e instanceof ApiError && e.status === 404) dispatch({ type: 'link.remove', id: linkId });
          else report(e, 'Could not remove the link');
        }
      },
      setLinking,
      hoverThread: setHoveredThread,
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
    [me, focus, report, patch, readOnly, dispatch, documentId, revisionId],
  );

  return { actions, onTag, onAttach, focus, activeId, focusCount, composeId, pending, notice, setNotice, reattachId, setReattachId, scrollTo, linking, hoveredThread };
}
