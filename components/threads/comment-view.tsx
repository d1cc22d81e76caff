'use client';

import dynamic from 'next/dynamic';
import { useState } from 'react';
import { isPending, plainText } from '@/lib/client/optimistic';
import type { CommentNode } from '@/lib/client/store';
import { initials } from '@/components/ui/initials';
import { RelativeTime } from '@/components/ui/relative-time';
import { useThreadActions } from './actions';
import { can } from '@/lib/domain/policy';

/**
 * While the editor's code loads, a placeholder of the composer's own shape holds its place, so
 * nothing below it (the thread's Resolve button, the next cards) moves when it arrives.
 */
function ComposerLoading() {
  return (
    <div className="composer composer-loading" aria-busy="true">
      <div className="composer-tools" aria-hidden="true">
        <span className="fmt"><span className="fmt-icon" /></span>
      </div>
      <div className="composer-input">Loading editor…</div>
      <div className="composer-actions" aria-hidden="true">
        <span className="btn-primary composer-placeholder-btn">Post</span>
      </div>
    </div>
  );
}

const Composer = dynamic(() => import('./composer'), { ssr: false, loading: ComposerLoading });

/** Replies nest visually up to this depth; deeper ones stay at this indent (still threaded). */
const MAX_INDENT = 4;

export function CommentView({ node, depth }: { node: CommentNode; depth: number }) {
  const { me, reply, editComment, deleteComment, readOnly } = useThreadActions();
  const [mode, setMode] = useState<'view' | 'reply' | 'edit'>('view');
  /** The version the edit started from; when the comment moves past it, the current text is offered. */
  const [editBase, setEditBase] = useState(0);
  const [editKey, setEditKey] = useState(0);
  const c = node.comment;
  const pending = isPending(c.id);
  /** Whose comment the buttons act on: "Ana Kim's comment", or "your comment". */
  const whose = c.author.id === me.id ? 'your comment' : `${c.author.name}'s comment`;

  return (
    <li className={`comment depth-${Math.min(depth, MAX_INDENT)}`} data-comment-id={c.id}>
      <div className="comment-head">
        {/* A deleted comment keeps its place for its replies, not its author. */}
        <span className={c.deleted ? 'avatar avatar-none' : 'avatar'} aria-hidden="true">{c.deleted ? '' : initials(c.author.name)}</span>
        <span className="comment-author">{c.deleted ? 'Deleted comment' : c.author.name}</span>
        <span className="comment-time">
          <RelativeTime iso={c.createdAt} />
          {c.editedAt && !c.deleted && <span title={`edited ${new Date(c.editedAt).toLocaleString('en')}`}> · edited</span>}
        </span>
      </div>
      {c.deleted ? (
        <p className="comment-body comment-deleted">This comment was deleted.</p>
      ) : mode === 'edit' ? (
        <>
          {c.version !== editBase && (
            <div className="edit-conflict" role="status">
              <p>Someone changed this comment while you were editing. The current text:</p>
              <div className="comment-body" dangerouslySetInnerHTML={{ __html: c.html }} />
              <button
                type="button"
                className="link-btn"
                onClick={() => {
                  try {
                    sessionStorage.removeItem(`marginalia:edit:${c.id}`);
                  } catch {}
                  setEditBase(c.version);
                  setEditKey((k) => k + 1);
                }}
              >
                Start again from the current text
              </button>{' '}
              <span className="muted">or save yours over it.</span>
            </div>
          )}
          <Composer
            key={editKey}
            draftKey={`marginalia:edit:${c.id}`}
            initial={c.body}
            submitLabel="Save"
            autoFocus
            onSubmit={async (body) => {
              await editComment(c, body);
              setMode('view');
            }}
            onCancel={() => setMode('view')}
          />
        </>
      ) : pending ? (
        <div className="comment-body comment-pending" aria-busy="true">
          <p>{plainText(c.body).trim()}</p>
          <span className="muted">Sending…</span>
        </div>
      ) : (
        // The html is rendered and sanitised on the server (lib/domain/comment-body.ts).
        <div className="comment-body" dangerouslySetInnerHTML={{ __html: c.html }} />
      )}
      {!c.deleted && !pending && !readOnly && mode === 'view' && (
        <div className="comment-actions">
          <button type="button" className="link-btn" aria-label={`Reply to ${whose}`} onClick={() => setMode('reply')}>Reply</button>
          {can(me, 'comment.edit', { authorId: c.author.id }) && (
            <button
              type="button"
              className="link-btn"
              aria-label={`Edit ${whose}`}
              onClick={() => {
                setEditBase(c.version);
                setMode('edit');
              }}
            >
              Edit
            </button>
          )}
          {can(me, 'comment.delete', { authorId: c.author.id }) && (
            <button
              type="button"
              className="link-btn danger"
              aria-label={`Delete ${whose}`}
              onClick={() => {
                if (window.confirm('Delete this comment? Replies to it stay.')) void deleteComment(c).catch(() => {});
              }}
            >
              Delete
            </button>
          )}
        </div>
      )}
      {mode === 'reply' && (
        <Composer
          draftKey={`marginalia:reply:${c.id}`}
          submitLabel="Post comment"
          placeholder={`Reply to ${c.author.name}…`}
          autoFocus
          onSubmit={async (body) => {
            await reply(c.annotationId, body, c.id);
            setMode('view');
          }}
          onCancel={() => setMode('view')}
        />
      )}
      {node.replies.length > 0 && (
        <ul className="replies">
          {node.replies.map((r) => (
            <CommentView key={r.comment.id} node={r} depth={depth + 1} />
          ))}
        </ul>
      )}
    </li>
  );
}


export { Composer };
