'use client';

import { ChevronDown, ChevronRight, Trash2 } from 'lucide-react';
import { forwardRef, useEffect, useState } from 'react';
import { isPageNote, type ApiAnnotation } from '@/lib/domain/api-types';
import type { CommentNode, LinkView } from '@/lib/client/store';
import type { Relation } from '@/lib/domain/link-relations';
import { TAG_META, TAGS, type Tag } from '@/lib/domain/tags';
import { RelativeTime } from '@/components/ui/relative-time';
import { TagIcon } from '@/components/ui/tag-icon';
import { isPending } from '@/lib/client/optimistic';
import { useThreadActions } from './actions';
import { useThreadComments } from './comment-loader';
import { JudgmentEditor, JudgmentSummary, ResolveForm } from './judgment';
import { Composer, CommentView } from './comment-view';
import { LinkButton, LinkForm, LinkList } from './links';
import { CopyLinkButton } from './copy-link';
import { can } from '@/lib/domain/policy';

/** The start of a quote (40 characters at most), for the buttons that say which thread they act on. */
export function shortQuote(exact: string): string {
  const chars = Array.from(exact.replace(/\s+/g, ' ').trim());
  return chars.length > 40 ? `${chars.slice(0, 40).join('').trimEnd()}…` : chars.join('');
}

interface Props {
  annotation: ApiAnnotation;
  comments: CommentNode[];
  /** All the thread's comments are here; if not, the card asks for them when it shows them. */
  commentsLoaded: boolean;
  active: boolean;
  /** The pointer is over this thread's highlight: lift the card. */
  hovered: boolean;
  /** Focus the composer (right after the highlight was created). */
  composeNow: boolean;
  links: LinkView[];
  /** This thread's link form is open, with this relation chosen. */
  linking: Relation | null;
}

export const ThreadCard = forwardRef<HTMLElement, Props>(function ThreadCard({ annotation: a, comments, commentsLoaded, active, hovered, composeNow, links, linking }, ref) {
  const { me, reply, setStatus, setTag, deleteAnnotation, focus, startReattach, readOnly, hoverThread } = useThreadActions();
  const orphaned = a.anchor === 'orphaned';
  const resolved = a.status === 'resolved';
  const [expanded, setExpanded] = useState(false);
  /** The outcome form is open (Resolve was pressed). */
  const [resolving, setResolving] = useState(false);
  const collapsed = resolved && !expanded && !active;
  const canResolve = can(me, 'annotation.resolve') && !readOnly;
  const meta = TAG_META[a.tag];
  const pending = isPending(a.id);
  // A page note has no passage: it is named by its tag and author instead of a quote.
  const pageNote = isPageNote(a);
  const onQuote = pageNote ? `the ${meta.label.toLowerCase()} page note by ${a.author.name}` : `the thread on “${shortQuote(a.target.quote.exact)}”`;
  // Comments are asked for when the card shows them (mounted in view, not collapsed).
  const { request, failed } = useThreadComments();
  const waiting = !commentsLoaded && a.commentCount > 0;
  const showsComments = !collapsed && !pending;
  // What sits below the comments (the composer, the forms, the actions) comes with them: shown
  // under the placeholders, it would move down when they are replaced (a layout shift). Once
  // shown it stays, whatever is loaded later (a composer must not lose what is being posted).
  // A composer asked for (Enter on the highlight, a new thread) opens at once all the same.
  const [settled, setSettled] = useState(!waiting || failed.has(a.id));
  if (!settled && (!waiting || failed.has(a.id))) setSettled(true);
  useEffect(() => {
    if (waiting && showsComments) request(a.id);
  }, [waiting, showsComments, request, a.id]);

  return (
    <article
      ref={ref}
      className={`thread thread-${a.tag}${orphaned ? ' is-orphaned' : ''}${resolved ? ' is-resolved' : ''}${active ? ' is-active' : ''}${hovered ? ' is-hovered' : ''}`}
      data-thread-id={a.id}
      aria-label={pageNote ? `${meta.label} page note, ${a.status}` : `${meta.label} thread, ${a.status}: ${a.target.quote.exact.slice(0, 80)}`}
      // Pointing at a thread with links marks the passages it is linked to.
      onMouseEnter={links.length ? () => hoverThread(a.id) : undefined}
      onMouseLeave={links.length ? () => hoverThread(null) : undefined}
    >
      <header className="thread-head">
        {resolved && (
          <button type="button" className="icon-btn" aria-label={`${collapsed ? 'Expand' : 'Collapse'} ${onQuote}`} aria-expanded={!collapsed} onClick={() => setExpanded(collapsed)}>
            {collapsed ? <ChevronRight size={14} /> : <ChevronDown size={14} />}
          </button>
        )}
        <span className={`tag-badge tag-${a.tag}`}>
          <TagIcon tag={a.tag} /> {meta.label}
        </span>
        <span className="status">{resolved ? 'resolved' : 'open'}</span>
        {a.anchorMethod === 'fuzzy' && !orphaned && (
          <span className="anchor-note" title={`Its text was edited; matched with ${Math.round((a.anchorScore ?? 0) * 100)}% confidence. Check that it still fits.`}>
            approximate
          </span>
        )}
        {a.commentCount > 0 && (
          <span className="count">
            <span aria-hidden="true">{a.commentCount}</span>
            <span className="sr-only">{a.commentCount === 1 ? '1 comment' : `${a.commentCount} comments`}</span>
          </span>
        )}
        {!pending && <CopyLinkButton a={a} onQuote={onQuote} olderRevision={readOnly} />}
      </header>
      {pageNote ? (
        <p className="page-note-scope">About the whole document</p>
      ) : orphaned ? (
        <p className="quote quote-lost" title="This passage is no longer in the text">
          <span className="sr-only">Lost passage: </span>“{a.target.quote.exact.length > 220 ? `${a.target.quote.exact.slice(0, 220)}…` : a.target.quote.exact}”
        </p>
      ) : (
        <button type="button" className="quote" onClick={() => focus(a.id, { scroll: true })} title="Show in the article">
          “{a.target.quote.exact.length > 220 ? `${a.target.quote.exact.slice(0, 220)}…` : a.target.quote.exact}”
        </button>
      )}
      {pending && <p className="muted">Saving…</p>}
      {!pending && <JudgmentSummary a={a} />}
      {!collapsed && !pending && (
        <>
          <div className="thread-meta">
            {a.author.name} · <RelativeTime iso={a.createdAt} />
          </div>
          {active && !readOnly && can(me, 'annotation.judge', { authorId: a.author.id }) && <JudgmentEditor a={a} onQuote={onQuote} />}
          <LinkList a={a} links={links} onQuote={onQuote} />
          {waiting ? (
            failed.has(a.id) ? (
              <p className="empty-thread" role="alert">
                The comments could not be loaded. {failed.get(a.id)}{' '}
                <button type="button" className="btn-ghost" onClick={() => request(a.id)}>Try again</button>
              </p>
            ) : (
              // As many placeholders as there are comments, so the card barely changes height when they arrive.
              <ul className="comments comments-loading" aria-busy="true" aria-label={`Loading ${a.commentCount === 1 ? '1 comment' : `${a.commentCount} comments`}`}>
                {Array.from({ length: Math.min(a.commentCount, 20) }, (_, i) => <li key={i} className="comment-placeholder" />)}
              </ul>
            )
          ) : comments.length > 0 ? (
            <ul className="comments">
              {comments.map((n) => (
                <CommentView key={n.comment.id} node={n} depth={0} />
              ))}
            </ul>
          ) : (
            <p className="empty-thread">No comments yet. Say why you tagged this.</p>
          )}
          {readOnly || !(settled || (active && composeNow)) ? null : active ? (
            <Composer
              key={`${a.id}-${composeNow}`}
              draftKey={`marginalia:thread:${a.id}`}
              submitLabel="Post comment"
              autoFocus={composeNow}
              placeholder={comments.length ? 'Add to the discussion…' : 'Why this tag? Add a comment…'}
              onSubmit={(body) => reply(a.id, body)}
            />
          ) : (
            <button type="button" className="btn-ghost add-comment" aria-label={`Add a comment to ${onQuote}`} onClick={() => focus(a.id, { compose: true })}>
              Add a comment
            </button>
          )}
          {settled && resolving && !resolved && canResolve && <ResolveForm a={a} onQuote={onQuote} onDone={() => setResolving(false)} />}
          {settled && linking && !readOnly && <LinkForm a={a} links={links} relation={linking} onQuote={onQuote} />}
          {!readOnly && settled && (
          <footer className="thread-actions">
            {orphaned && can(me, 'annotation.reattach', { authorId: a.author.id }) && (
              <button type="button" className="btn-secondary" aria-label={`Re-attach ${onQuote}`} onClick={() => startReattach(a.id)}>
                Re-attach
              </button>
            )}
            {can(me, 'link.create') && !pending && <LinkButton a={a} onQuote={onQuote} open={!!linking} />}
            {canResolve && (
              <button
                type="button"
                className="btn-secondary"
                aria-label={`${resolved ? 'Reopen' : 'Resolve'} ${onQuote}`}
                aria-expanded={resolved ? undefined : resolving}
                onClick={() => (resolved ? void setStatus(a.id, 'open').catch(() => {}) : setResolving(!resolving))}
              >
                {resolved ? 'Reopen' : 'Resolve'}
              </button>
            )}
            {can(me, 'annotation.retag', { authorId: a.author.id }) && (
              <label className="retag">
                <span className="sr-only">Tag</span>
                <select aria-label={`Change tag of ${onQuote}`} value={a.tag} onChange={(e) => void setTag(a.id, e.target.value as Tag).catch(() => {})}>
                  {TAGS.map((t) => (
                    <option key={t} value={t}>{TAG_META[t].label}</option>
                  ))}
                </select>
              </label>
            )}
            {can(me, 'annotation.delete', { authorId: a.author.id }) && (
              <button
                type="button"
                className="icon-btn danger"
                aria-label={pageNote ? `Delete ${onQuote} and its thread` : `Delete highlight “${shortQuote(a.target.quote.exact)}” and its thread`}
                title="Delete highlight and its thread"
                onClick={() => {
                  if (window.confirm('Delete this highlight and its whole thread?')) void deleteAnnotation(a.id).catch(() => {});
                }}
              >
                <Trash2 size={14} />
              </button>
            )}
          </footer>
          )}
        </>
      )}
    </article>
  );
});
