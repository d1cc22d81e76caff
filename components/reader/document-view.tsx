'use client';

/**
 * The document page's client root: the store kept live (use-live-document.ts), the reader's
 * actions (use-document-actions.ts), and the page's parts: the article with its highlights, the
 * margin, the header's tools and the notices.
 */
import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import { isPageNote } from '@/lib/domain/api-types';
import { buildTextIndex, type JsonNode } from '@/lib/domain/document-text';
import type { Role } from '@/lib/domain/tags';
import { commentTrees, linksByAnnotation, orderedAnnotations } from '@/lib/client/store';
import { markRanges } from '@/lib/client/css-highlights';
import { highlightSpecs } from '@/lib/domain/highlight';
import { relationLabel } from '@/lib/domain/link-relations';
import { LinkCandidatesContext } from '@/components/threads/links';
import { CommentLoaderContext, useCommentLoader } from '@/components/threads/comment-loader';
import { ThreadActionsContext } from '@/components/threads/actions';
import { Sidebar } from '@/components/threads/sidebar';
import { Article } from './article';
import { ChecksPanel, useReviewChecks } from './checks-panel';
import { ExportMenu } from './export-menu';
import { Filters } from './filters';
import { applyFilters, NO_FILTERS } from '@/lib/domain/annotation-filters';
import { useUrlFilters } from './use-url-filters';
import { useThreadLinkTarget } from '@/components/threads/use-thread-link';
import { HeaderSlot } from './header-slot';
import { Presence } from './presence';
import { Shortcuts } from './shortcuts';
import { useSuggestions } from './suggestions';
import { useDocumentActions } from './use-document-actions';
import { useLiveDocument } from './use-live-document';
import { TITLE_EVENT } from './live-title';
import { shortTitle } from '@/lib/domain/document-title';
import { can } from '@/lib/domain/policy';

interface Props {
  /** The newest event id when the page was rendered: the live stream resumes after it. */
  lastEventId: string;
  document: { id: string; title: string; revision: { id: string; number: number; text: string; content: JsonNode }; currentRevision: { id: string; number: number } };
  /** The annotations' URL (useLiveDocument). */
  dataUrl: string;
  me: { id: string; name: string; role: Role };
}

export function DocumentView({ document: doc, dataUrl, me: meAtLoad, lastEventId }: Props) {
  /** An earlier revision is shown read-only, without a live connection. */
  const readOnly = doc.revision.id !== doc.currentRevision.id;
  const { state, dispatch, data, retry, live, present, newer, role, signedOut, setSignedOut, announced, renamed, deleted } = useLiveDocument({
    documentId: doc.id,
    revisionId: doc.revision.id,
    lastEventId,
    readOnly,
    dataUrl,
    role: meAtLoad.role,
    meId: meAtLoad.id,
  });
  const me = useMemo(() => ({ ...meAtLoad, role }), [meAtLoad, role]);
  const commentLoader = useCommentLoader(doc.id, dispatch);
  const text = useMemo(() => buildTextIndex(doc.revision.content).text, [doc.revision.content]);
  const hasTitleHeading = useMemo(() => (doc.revision.content.content ?? []).some((n) => n.type === 'heading' && Number(n.attrs?.level) === 1), [doc.revision.content]);
  const { actions, onTag, onAttach, focus, activeId, focusCount, composeId, pending, notice, setNotice, reattachId, setReattachId, scrollTo, linking, hoveredThread } = useDocumentActions({
    documentId: doc.id,
    revisionId: doc.revision.id,
    text,
    me,
    readOnly,
    state,
    dispatch,
    onSignedOut: setSignedOut,
  });
  const [hoveredId, setHoveredId] = useState<string | null>(null);
  const { filters, setFilters, hits, searching } = useUrlFilters(doc.id, doc.revision.id);
  const [checksOpen, setChecksOpen] = useState(false);
  const { checks, error: checksError } = useReviewChecks(doc.id, state, readOnly ? 'off' : checksOpen || filters.hasChecks ? 'eager' : 'lazy');
  const checked = useMemo(() => new Set(checks?.map((c) => c.annotationId)), [checks]);

  // A message left by the page that navigated here (the revision editor after publishing).
  useEffect(() => {
    try {
      const flash = sessionStorage.getItem('marginalia:flash');
      if (flash) {
        sessionStorage.removeItem('marginalia:flash');
        // Reading the tab's storage needs the browser, so this runs once after hydration; the
        // message is also consumed here, which a render-time read must not do.
        setNotice({ kind: 'info', text: flash });
      }
    } catch {}
  }, [setNotice]);

  // A rename by an admin shows in the header and the tab at once.
  useEffect(() => {
    if (renamed === null) return;
    window.dispatchEvent(new CustomEvent(TITLE_EVENT, { detail: renamed }));
    window.document.title = `${shortTitle(renamed)} · Marginalia`;
  }, [renamed]);

  // An error caused by an outage clears by itself once the stream is live again.
  const [liveBefore, setLiveBefore] = useState(live);
  if (live !== liveBefore) {
    setLiveBefore(live);
    if (live === 'live' && notice?.transient) setNotice(null);
  }

  const ordered = useMemo(() => orderedAnnotations(state), [state]);
  const visible = useMemo(() => applyFilters(ordered, filters, me.id, checked, hits), [ordered, filters, me.id, checked, hits]);
  // Each tag chip counts its tag among what the other filters keep.
  const countable = useMemo(() => applyFilters(ordered, { ...filters, tags: [] }, me.id, checked, hits), [ordered, filters, me.id, checked, hits]);
  useThreadLinkTarget({
    ready: data === 'ready',
    ids: new Set(ordered.map((a) => a.id)),
    isShown: (id) => visible.some((a) => a.id === id),
    showAll: () => setFilters(NO_FILTERS),
    focus,
    onMissing: () => setNotice({ kind: 'info', text: 'The linked thread is not on this revision (it may have been deleted).' }),
  });
  const highlights = useMemo(() => highlightSpecs(visible), [visible]);
  // Estimative-language suggestions: offered to whoever may highlight here and now (components/reader/suggestions.tsx).
  const mayTag = !readOnly && !deleted && !signedOut && !newer && !reattachId && can(me, 'annotation.create');
  const suggestions = useSuggestions({ documentId: doc.id, text, available: mayTag, annotations: ordered, drawn: highlights, onTag, pending, onError: (t) => setNotice({ kind: 'error', text: t }) });
  // Every thread's comment tree, rebuilt once per change; unchanged threads keep theirs.
  const [built, setBuilt] = useState(() => ({ from: state.comments, trees: commentTrees(state.comments) }));
  let trees = built.trees;
  if (built.from !== state.comments) {
    trees = commentTrees(state.comments, built.trees);
    setBuilt({ from: state.comments, trees });
  }

  // Every thread's links, rebuilt once per change; unchanged threads keep theirs.
  const [linkBuilt, setLinkBuilt] = useState(() => ({ links: state.links, annotations: state.annotations, views: linksByAnnotation(state) }));
  let linkViews = linkBuilt.views;
  if (linkBuilt.links !== state.links || linkBuilt.annotations !== state.annotations) {
    linkViews = linksByAnnotation(state, linkBuilt.views);
    setLinkBuilt({ links: state.links, annotations: state.annotations, views: linkViews });
  }
  // Pointing at a highlight or a thread marks the highlights and threads it is linked to.
  const pointed = hoveredId ?? hoveredThread;
  const linkedIds = useMemo(() => new Set((pointed ? linkViews.get(pointed) : undefined)?.map((v) => v.other.id) ?? []), [pointed, linkViews]);
  useEffect(() => {
    const root = window.document.querySelector('.article-body');
    if (!root) return;
    const marks = [...linkedIds].flatMap((id) => {
      const a = state.annotations[id];
      return a && a.anchor !== 'orphaned' ? [[a.target.position.start, a.target.position.end] as [number, number]] : [];
    });
    markRanges(root, 'mg-linked', marks);
  }, [linkedIds]); // eslint-disable-line react-hooks/exhaustive-deps -- the marks follow the pointer, not every change
  // Picking the other end of a link: Escape anywhere ends it.
  useEffect(() => {
    if (!linking) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && actions.setLinking(null);
    window.document.addEventListener('keydown', onKey);
    return () => window.document.removeEventListener('keydown', onKey);
  }, [linking, actions]);

  /** Of overlapping highlights, the shortest: the one the reader is pointing at. */
  const innermost = (ids: string[]): string | null =>
    ids
      .map((id) => state.annotations[id])
      .filter(Boolean)
      .sort((x, y) => x.target.position.end - x.target.position.start - (y.target.position.end - y.target.position.start))[0]?.id ?? null;

  return (
    <ThreadActionsContext.Provider value={actions}>
      <CommentLoaderContext.Provider value={commentLoader}>
      <LinkCandidatesContext.Provider value={ordered}>
      <HeaderSlot>
        <Filters value={filters} onChange={setFilters} counts={countable} all={ordered} searching={searching} />
        {suggestions.toggle}
        {!readOnly && <ChecksPanel checks={checks} error={checksError} open={checksOpen} setOpen={setChecksOpen} onJump={(id) => focus(id, { scroll: true })} />}
        <ExportMenu documentId={doc.id} revisionId={readOnly ? doc.revision.id : undefined} />
        {/* An earlier revision is read alone: presence belongs to the current one. */}
        {!readOnly && <Presence users={present.users} count={present.count} meId={me.id} />}
        <Shortcuts />
      </HeaderSlot>
      <div className="notice-region" role="status" aria-live="polite">
        {deleted ? (
          <div className="notice notice-error" role="alert" data-document-deleted>
            <span>An admin deleted this document. Nothing more can be added to it; your unsent text is kept in this tab.</span>
            <Link className="btn-secondary" href="/">Go to the documents</Link>
          </div>
        ) : signedOut ? (
          <div className="notice notice-error" role="alert" data-signed-out>
            <span>
              {signedOut}. You can no longer post here; your unsent text is kept in this tab.
            </span>
            <a className="btn-secondary" href={`/signin?callbackUrl=${encodeURIComponent(`/documents/${doc.id}`)}`} target="_blank" rel="noopener">
              Sign in again
            </a>
          </div>
        ) : (
          (live === 'reconnecting' || live === 'closed') && (
            <div className="notice notice-info" data-live-state={live}>
              <span>
                {live === 'closed'
                  ? 'Live updates stopped. Reload the page to see new changes.'
                  : 'Reconnecting… Changes by others will appear when the connection is back; your unsent text is kept.'}
              </span>
            </div>
          )
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
        {linking && state.annotations[linking.fromId] && (
          <div className="notice notice-info revision-banner" data-testid="linking-banner">
            <span>
              Linking {isPageNote(state.annotations[linking.fromId]) ? 'the page note' : `“${state.annotations[linking.fromId].target.quote.exact.slice(0, 60)}”`} ({relationLabel(linking.relation).toLowerCase()} …): click the
              other highlight in the article, or choose it in the thread.
            </span>
            <button type="button" className="link-btn" onClick={() => actions.setLinking(null)}>Cancel</button>
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
      {/* Changes by others, read politely (errors above are read at once). */}
      <div className="sr-only" role="status" aria-live="polite" data-testid="live-announcer">
        {announced}
      </div>
      <div className="reading-room">
        <main className="article-column">
          {/* Every page has one top heading: the document's title, unless its text starts with one. */}
          {!hasTitleHeading && <h1 className="sr-only">{doc.title}</h1>}
          <Article
            revisionId={doc.revision.id}
            content={doc.revision.content}
            text={text}
            highlights={highlights}
            activeId={activeId}
            selection={
              readOnly
                ? { mode: 'none', note: 'This is an earlier revision; highlight on the current one.' }
                : deleted
                  ? { mode: 'none', note: 'This document was deleted.' }
                : signedOut
                  ? { mode: 'none', note: 'Sign in again to highlight.' }
                : data !== 'ready'
                  ? { mode: 'none', note: data === 'loading' ? 'Loading the highlights…' : 'The highlights could not be loaded.' }
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
              if (!id) return;
              if (linking && id !== linking.fromId) {
                const { fromId, relation } = linking;
                void actions.link(fromId, id, relation).then(() => actions.setLinking(null), () => {});
              } else if (!linking) focus(id);
            }}
            onHighlightHover={(ids) => setHoveredId(innermost(ids))}
            onHighlightEnter={(id) => focus(id, { compose: true })}
            scrollTo={scrollTo}
            onCaret={suggestions.onCaret}
            onCaretKey={suggestions.onCaretKey}
            caretKeys={suggestions.keys}
          />
          {suggestions.bar}
        </main>
        <Sidebar data={data} onRetry={retry} focusCount={focusCount} trees={trees} annotations={visible} total={ordered.length} activeId={activeId} hoveredId={hoveredId} composeId={composeId} revisionNumber={doc.revision.number} links={linkViews} linking={linking} linkedIds={linkedIds} loaded={state.loaded} />
      </div>
      </LinkCandidatesContext.Provider>
      </CommentLoaderContext.Provider>
    </ThreadActionsContext.Provider>
  );
}
