'use client';

/**
 * Links to a thread: `/documents/:id#a-<annotationId>` (with `?revision=` when the thread is shown
 * on an earlier revision, so the link loads that revision). Opening one scrolls to the passage and
 * focuses the thread, an orphaned one in the Orphaned section; filters that would hide it are
 * cleared first. A hash change on the open page (a pasted link, Back) does the same.
 */
import { useEffect, useRef } from 'react';

export const THREAD_HASH_PREFIX = '#a-';

/** The absolute link to a thread as it is shown now (the page's revision, if not the current one). */
export function threadLink(documentId: string, annotationId: string, revisionId?: string): string {
  const query = revisionId ? `?revision=${encodeURIComponent(revisionId)}` : '';
  return `${window.location.origin}/documents/${encodeURIComponent(documentId)}${query}${THREAD_HASH_PREFIX}${encodeURIComponent(annotationId)}`;
}

/** Copies the link; false when the clipboard refused (the caller shows the link instead). */
export async function copyThreadLink(link: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(link);
    return true;
  } catch {
    return false;
  }
}

const linkedId = () => {
  const h = window.location.hash;
  return h.startsWith(THREAD_HASH_PREFIX) ? decodeURIComponent(h.slice(THREAD_HASH_PREFIX.length)) : null;
};

/** Moves keyboard focus to the thread's card once it is in the margin (at most ~2 s). */
function focusCard(id: string): () => void {
  let tries = 0;
  let frame = 0;
  const step = () => {
    const card = document.querySelector<HTMLElement>(`[data-thread-id="${CSS.escape(id)}"]`);
    if (card) {
      if (!card.hasAttribute('tabindex')) card.setAttribute('tabindex', '-1');
      card.focus({ preventScroll: true });
      return;
    }
    if (++tries < 120) frame = requestAnimationFrame(step);
  };
  frame = requestAnimationFrame(step);
  return () => cancelAnimationFrame(frame);
}

/**
 * Follows `#a-<id>` on load and on hash changes: `isShown(id)` says whether the filters keep it,
 * `showAll()` clears them, `focus` is the page's (scrolls to the passage and marks the thread).
 */
export function useThreadLinkTarget(opts: {
  /** False until the threads have arrived: the link is followed then. */
  ready: boolean;
  ids: ReadonlySet<string>;
  isShown(id: string): boolean;
  showAll(): void;
  focus(id: string, o: { scroll: boolean }): void;
  onMissing(): void;
}): void {
  const latest = useRef(opts);
  useEffect(() => {
    latest.current = opts;
  });
  useEffect(() => {
    let cancel = () => {};
    const follow = () => {
      const id = linkedId();
      if (!id) return;
      const o = latest.current;
      if (!o.ids.has(id)) {
        o.onMissing();
        return;
      }
      if (!o.isShown(id)) o.showAll();
      o.focus(id, { scroll: true });
      cancel();
      cancel = focusCard(id);
    };
    if (!opts.ready) return;
    follow();
    window.addEventListener('hashchange', follow);
    return () => {
      window.removeEventListener('hashchange', follow);
      cancel();
    };
  }, [opts.ready]);
}
