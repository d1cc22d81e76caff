'use client';

import { ChevronDown, ChevronUp } from 'lucide-react';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { isPageNote, type ApiAnnotation } from '@/lib/domain/api-types';
import { anchorTops } from '@/lib/client/anchor-tops';
import type { CommentTrees, LinkViews, StoreState } from '@/lib/client/store';
import type { Relation } from '@/lib/domain/link-relations';
import { PageNotes } from './page-notes';
import { Card, cardProps, revealInMargin, ThreadList } from './thread-list';

interface Props {
  /** Whether the document's threads have arrived (useLiveDocument). */
  data: 'loading' | 'ready' | { error: string };
  onRetry(): void;
  trees: CommentTrees;
  annotations: ApiAnnotation[];
  total: number;
  activeId: string | null;
  hoveredId: string | null;
  composeId: string | null;
  revisionNumber: number;
  /** Increases with each request to focus a thread: the bottom sheet opens on it. */
  focusCount: number;
  links: LinkViews;
  linking: { fromId: string; relation: Relation } | null;
  linkedIds: ReadonlySet<string>;
  /** The threads whose comments are in the store. */
  loaded: StoreState['loaded'];
}

/** Wide enough for the margin beside the article (the same width as the stylesheet's breakpoint). */
const BESIDE = '(min-width: 961px)';

const onWidthChange = (cb: () => void) => {
  const m = window.matchMedia(BESIDE);
  m.addEventListener('change', cb);
  return () => m.removeEventListener('change', cb);
};
/** Whether the margin fits beside the article; null on the server and while hydrating. */
const useBeside = () => useSyncExternalStore<boolean | null>(onWidthChange, () => window.matchMedia(BESIDE).matches, () => null);

/**
 * The margin: first the page notes (threads about the whole document, components/threads/page-notes.tsx),
 * then every visible thread beside its passage when the window is wide enough, else a list
 * in document order in a bottom sheet that opens on the focused thread; then the Orphaned
 * section: threads whose passage was not found when the document was revised, each with the
 * quote it lost.
 */
export function Sidebar({ data, onRetry, trees, annotations, total, activeId, hoveredId, composeId, revisionNumber, focusCount, links, linking, linkedIds, loaded }: Props) {
  const shared = { trees, activeId, hoveredId, composeId, links, linking, linkedIds, loaded };
  const pageNotes = annotations.filter(isPageNote);
  const anchored = annotations.filter((a) => a.anchor !== 'orphaned' && !isPageNote(a));
  const orphans = annotations.filter((a) => a.anchor === 'orphaned' && !isPageNote(a));
  const orphanRef = useRef<HTMLElement>(null);
  const wide = useBeside();
  const layout = wide === null ? 'server' : wide ? 'beside' : 'list';

  // The bottom sheet opens on the focused thread (a tap on a highlight, a new highlight).
  const [open, setOpen] = useState(false);
  const [openedAt, setOpenedAt] = useState(focusCount);
  if (focusCount !== openedAt) {
    setOpenedAt(focusCount);
    if (activeId) setOpen(true);
  }

  // In the bottom sheet, the focused thread's passage must stay in view above the sheet.
  const asideRef = useRef<HTMLElement>(null);
  useEffect(() => {
    const a = activeId ? anchored.find((x) => x.id === activeId) : undefined;
    const root = document.querySelector('.article-body');
    const sheet = asideRef.current;
    if (layout !== 'list' || !a || !root || !sheet) return;
    // Where its first and last characters are (a line is about 2em of the article's text).
    const { start, end } = a.target.position;
    const tops = anchorTops(root, root, [{ id: 'first', start, end }, { id: 'last', start: Math.max(start, end - 1), end }]);
    const origin = root.getBoundingClientRect().top;
    const first = origin + (tops.get('first') ?? 0);
    const last = origin + (tops.get('last') ?? 0) + 2 * parseFloat(getComputedStyle(root).fontSize);
    const header = document.querySelector('.app-header')?.getBoundingClientRect().bottom ?? 0;
    if (first < header + 8 || last > sheet.getBoundingClientRect().top) window.scrollBy({ top: first - header - 24, behavior: 'smooth' });
    // Each request to focus a thread, not each change of the list.
  }, [focusCount]); // eslint-disable-line react-hooks/exhaustive-deps

  const activeIsOrphan = !!activeId && orphans.some((o) => o.id === activeId);
  useEffect(() => {
    if (activeIsOrphan && orphanRef.current) revealInMargin(orphanRef.current);
  }, [activeId, activeIsOrphan]);

  const count = annotations.length === total ? `${total}` : `${annotations.length} of ${total}`;
  return (
    <aside ref={asideRef} className="sidebar" aria-label="Threads" aria-busy={data === 'loading'} data-layout={layout} data-sheet={open ? 'open' : 'closed'}>
      <h2 className="sidebar-title">
        {/* In the bottom sheet the heading opens and closes it; beside the article it is a heading. */}
        <button type="button" className="sheet-toggle" aria-expanded={open} aria-controls="margin-threads" onClick={() => setOpen(!open)}>
          Threads <span className="muted">{count}</span>
          {open ? <ChevronDown size={16} aria-hidden="true" /> : <ChevronUp size={16} aria-hidden="true" />}
        </button>
        <span className="sidebar-heading">
          Threads <span className="muted">{count}</span>
        </span>
      </h2>
      <div className="sheet-body" id="margin-threads">
        <PageNotes notes={pageNotes} shared={shared} />
        {data === 'loading' ? (
          <div className="empty" role="status"><p>Loading the threads…</p></div>
        ) : data !== 'ready' ? (
          <div className="empty" role="alert">
            <p><strong>The threads could not be loaded.</strong> {data.error}</p>
            <button type="button" className="btn-ghost" onClick={onRetry}>Try again</button>
          </div>
        ) : total === 0 ? (
          <div className="empty">
            <p><strong>No highlights yet.</strong></p>
            <p>Select any passage to tag it as evidence, speculation or assessment, then say why.</p>
          </div>
        ) : annotations.length === 0 ? (
          <div className="empty"><p>No thread matches the filters.</p></div>
        ) : (
          <ThreadList layout={layout} annotations={anchored} {...shared} />
        )}
        {orphans.length > 0 && (
          <section className="orphans" aria-labelledby="orphans-title" ref={orphanRef}>
            <h2 className="sidebar-title" id="orphans-title">
              Orphaned <span className="muted">{orphans.length}</span>
            </h2>
            <p className="muted orphans-help">
              Their passage was not found in revision {revisionNumber}. The threads are kept; the author or an admin can re-attach
              one to new text.
            </p>
            <div className="threads">
              {orphans.map((a) => (
                <Card key={a.id} {...cardProps(shared, a)} />
              ))}
            </div>
          </section>
        )}
      </div>
    </aside>
  );
}
