'use client';

/**
 * The threads of the margin, in one of two layouts:
 * - Beside the article (wide screens, once the page is live): each card at the height of its
 *   passage (lib/client/margin-layout.ts), measured from the article's text (lib/client/anchor-tops.ts);
 *   the focused card at its passage, the others making room. The page scrolls, not the margin.
 * - A list in document order (the bottom sheet of narrow screens, and the server's render), which
 *   the margin's own scroll moves.
 * Both are windowed past SMALL_LIST threads: only cards near the visible part are mounted, each
 * placed with the heights above it (measured with a ResizeObserver once mounted, ESTIMATE before).
 * The focused card is always mounted, so its composer keeps its text when it scrolls out of view.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ApiAnnotation } from '@/lib/domain/api-types';
import type { CommentNode, CommentTrees, LinkView, LinkViews, StoreState } from '@/lib/client/store';
import { isPending } from '@/lib/client/optimistic';
import type { Relation } from '@/lib/domain/link-relations';
import { anchorTops } from '@/lib/client/anchor-tops';
import { cardsIn, placeCards } from '@/lib/client/margin-layout';
import { ThreadCard } from './thread-card';

const SMALL_LIST = 60;
/** Before hydration a long list shows this many cards in flow (no overlap, no measuring). */
const FIRST_RENDER = 30;
const ESTIMATE = 150;
const GAP = 12;
const OVERSCAN = 800;

interface Props {
  annotations: ApiAnnotation[];
  trees: CommentTrees;
  activeId: string | null;
  hoveredId: string | null;
  composeId: string | null;
  /** Each thread's links (lib/client/store.ts linksByAnnotation). */
  links: LinkViews;
  /** The thread whose link form is open, with the relation chosen there. */
  linking: { fromId: string; relation: Relation } | null;
  /** Threads linked to the thread or highlight under the pointer. */
  linkedIds: ReadonlySet<string>;
  /** The threads whose comments are in the store (lib/client/store.ts StoreState.loaded). */
  loaded: StoreState['loaded'];
}

export function ThreadList(props: Props & { layout: 'beside' | 'list' | 'server' }) {
  const { layout, ...rest } = props;
  if (layout === 'beside') return <BesideList {...rest} />;
  if (layout === 'server') return <PlainList {...rest} annotations={rest.annotations.slice(0, FIRST_RENDER)} />;
  return rest.annotations.length <= SMALL_LIST ? <PlainList {...rest} /> : <WindowedList {...rest} />;
}

function PlainList(props: Props) {
  const { annotations, activeId } = props;
  const listRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = activeId ? listRef.current?.querySelector<HTMLElement>(`[data-thread-id="${CSS.escape(activeId)}"]`) : null;
    if (el) revealInMargin(el);
  }, [activeId]);
  return (
    <div className="threads" ref={listRef}>
      {annotations.map((a) => (
        <Card key={a.id} {...cardProps(props, a)} />
      ))}
    </div>
  );
}

/** Measured card heights, updated by a ResizeObserver on the mounted cards. */
function useHeights() {
  // A new Map when one changes, so the offsets computed from it recompute.
  const [heights, setHeights] = useState(() => new Map<string, number>());
  const observer = useMemo(
    () =>
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver((entries) =>
            setHeights((prev) => {
              let next: Map<string, number> | null = null;
              for (const e of entries) {
                const id = (e.target as HTMLElement).dataset.threadId;
                const h = Math.round(e.borderBoxSize?.[0]?.blockSize ?? (e.target as HTMLElement).offsetHeight);
                if (id && h > 0 && prev.get(id) !== h) (next ??= new Map(prev)).set(id, h);
              }
              return next ?? prev;
            }),
          ),
    [],
  );
  useEffect(() => () => observer?.disconnect(), [observer]);
  const observe = useCallback(
    (el: HTMLElement | null) => {
      if (el) observer?.observe(el);
    },
    [observer],
  );
  return { heights, observe };
}

/** The part of `el`'s scrolled content that is visible, as [top, height] in `list`'s coordinates. */
function useView(listRef: React.RefObject<HTMLElement | null>, scroller: () => HTMLElement | Window | null) {
  const [view, setView] = useState({ top: 0, height: 1000 });
  useLayoutEffect(() => {
    const el = scroller();
    const list = listRef.current;
    if (!el || !list) return;
    let frame = 0;
    const read = () => {
      frame = 0;
      const box = el instanceof Window ? { top: 0, height: window.innerHeight } : { top: el.getBoundingClientRect().top, height: el.clientHeight };
      const top = box.top - list.getBoundingClientRect().top;
      setView((v) => (v.top === top && v.height === box.height ? v : { top, height: box.height }));
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(read);
    };
    read();
    el.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onScroll);
    return () => {
      cancelAnimationFrame(frame);
      el.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', onScroll);
    };
    // The scroller is fixed for the life of the list.
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  return view;
}

function WindowedList(props: Props) {
  const { annotations, activeId } = props;
  const listRef = useRef<HTMLDivElement>(null);
  const { heights, observe } = useHeights();
  const scroller = () => listRef.current?.closest<HTMLElement>('.sidebar') ?? null;
  const view = useView(listRef, scroller);

  // Offsets: tops[i] is where card i starts inside the list.
  const tops = useMemo(() => {
    const out = new Array<number>(annotations.length + 1);
    out[0] = 0;
    for (let i = 0; i < annotations.length; i++) out[i + 1] = out[i] + (heights.get(annotations[i].id) ?? ESTIMATE) + GAP;
    return out;
  }, [annotations, heights]);

  // Bring the focused thread into view (a tap on its highlight).
  useEffect(() => {
    if (!activeId) return;
    const i = annotations.findIndex((a) => a.id === activeId);
    const el = scroller();
    const list = listRef.current;
    if (i < 0 || !el || !list) return;
    const offset = offsetIn(el, list);
    scrollToShow(el, offset + tops[i], offset + tops[i + 1] - GAP, 'auto');
    // Only when the focus changes; later height changes must not yank the scroll position.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [activeId]);

  const from = Math.max(0, upperBound(tops, view.top - OVERSCAN) - 1);
  const to = Math.min(annotations.length, upperBound(tops, view.top + view.height + OVERSCAN));
  const shown = withActive(from, to, annotations, activeId);

  return (
    <div ref={listRef} className="threads threads-windowed" style={{ height: tops[annotations.length] }}>
      {shown.map((i) => (
        <div key={annotations[i].id} className="thread-slot" style={slotAt(tops[i])}>
          <Card {...cardProps(props, annotations[i])} cardRef={observe} />
        </div>
      ))}
    </div>
  );
}

/**
 * Cards beside their passages. The passages' heights are measured when the threads or the
 * article's layout change (a resize, fonts arriving), never on scroll.
 */
function BesideList(props: Props) {
  const { annotations, activeId } = props;
  const listRef = useRef<HTMLDivElement>(null);
  const { heights, observe } = useHeights();
  const view = useView(listRef, () => window);
  const [anchors, setAnchors] = useState<Map<string, number> | null>(null);

  // What the measurement depends on: which threads, and where their passages start.
  const positions = useMemo(() => annotations.map((a) => ({ id: a.id, start: a.target.position.start, end: a.target.position.end })), [annotations]);
  const positionsKey = useMemo(() => positions.map((p) => `${p.id}@${p.start}`).join(','), [positions]);
  useLayoutEffect(() => {
    const root = document.querySelector('.article-body');
    const list = listRef.current;
    if (!root || !list) return;
    let frame = 0;
    const measure = () => {
      frame = 0;
      setAnchors(anchorTops(root, list, positions));
    };
    measure();
    const again = () => {
      if (!frame) frame = requestAnimationFrame(measure);
    };
    // A ResizeObserver reports the size it starts with, which measure() just used: only later
    // changes measure again; so do fonts still loading (none when they are all in already).
    let first = true;
    const ro =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver(() => {
            if (first) first = false;
            else again();
          });
    ro?.observe(root);
    // The page notes sit above the list: when they grow or shrink (a note added, its form opened)
    // the list moves, and every passage's top relative to it changes.
    const notes = list.closest('.sheet-body')?.querySelector('.page-notes');
    if (notes) ro?.observe(notes);
    if (document.fonts && document.fonts.status !== 'loaded') void document.fonts.ready.then(again);
    return () => {
      cancelAnimationFrame(frame);
      ro?.disconnect();
    };
    // positionsKey stands for positions.
  }, [positionsKey]); // eslint-disable-line react-hooks/exhaustive-deps

  const items = useMemo(
    () => annotations.map((a) => ({ anchor: anchors?.get(a.id) ?? 0, height: heights.get(a.id) ?? ESTIMATE })),
    [annotations, anchors, heights],
  );
  const activeIndex = activeId ? annotations.findIndex((a) => a.id === activeId) : -1;
  const tops = useMemo(() => placeCards(items, activeIndex, GAP), [items, activeIndex]);
  const height = items.length ? tops[items.length - 1] + items[items.length - 1].height : 0;

  const [from, to] = annotations.length <= SMALL_LIST ? [0, annotations.length] : cardsIn(tops, items, view.top - OVERSCAN, view.top + view.height + OVERSCAN);
  const shown = withActive(from, to, annotations, activeId);

  return (
    <div ref={listRef} className="threads threads-beside" style={{ height }} data-measured={anchors ? 'true' : 'false'}>
      {anchors &&
        shown.map((i) => (
          <div key={annotations[i].id} className="thread-slot" style={slotAt(tops[i])}>
            <Card {...cardProps(props, annotations[i])} cardRef={observe} />
          </div>
        ))}
    </div>
  );
}

/**
 * Where a card's slot sits: moved by a transform, not `top`, so cards that glide down when one
 * above them grows (its comments arrive) are not a layout shift (docs/architecture.md).
 */
const slotAt = (top: number) => ({ transform: `translateY(${top}px)` });

/** The cards from..to, plus the focused one wherever it is (in document order). */
function withActive(from: number, to: number, annotations: ApiAnnotation[], activeId: string | null): number[] {
  const shown: number[] = [];
  const activeIndex = activeId ? annotations.findIndex((a) => a.id === activeId) : -1;
  if (activeIndex >= 0 && activeIndex < from) shown.push(activeIndex);
  for (let i = from; i < to; i++) shown.push(i);
  if (activeIndex >= to) shown.push(activeIndex);
  return shown;
}

/** Where `el` starts inside the scrolled content of `box`. */
const offsetIn = (box: HTMLElement, el: Element) => el.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;

/** Scrolls `box` as little as needed to show its content between `top` and `bottom`. */
function scrollToShow(box: HTMLElement, top: number, bottom: number, behavior: ScrollBehavior) {
  if (top < box.scrollTop) box.scrollTo({ top: top - GAP, behavior });
  else if (bottom > box.scrollTop + box.clientHeight) box.scrollTo({ top: Math.min(top - GAP, bottom - box.clientHeight + GAP), behavior });
}

/**
 * Brings an element of the margin into view. In the bottom sheet the margin scrolls by itself
 * (scrollIntoView would also move the window and cut short the article's own scroll to the same
 * highlight); beside the article, the page scrolls.
 */
export function revealInMargin(el: HTMLElement): void {
  const box = el.closest<HTMLElement>('.sidebar');
  if (!box) return;
  if (box.scrollHeight <= box.clientHeight) {
    const r = el.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight) el.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    return;
  }
  const top = offsetIn(box, el);
  scrollToShow(box, top, top + el.offsetHeight, 'smooth');
}

const NO_COMMENTS: CommentNode[] = [];

const NO_LINKS: LinkView[] = [];

function cardProps({ trees, activeId, hoveredId, composeId, links, linking, linkedIds, loaded }: Omit<Props, 'annotations'>, a: ApiAnnotation) {
  return {
    a,
    comments: trees.get(a.id)?.tree ?? NO_COMMENTS,
    commentsLoaded: loaded === 'all' || loaded.has(a.id) || isPending(a.id),
    active: a.id === activeId,
    hovered: a.id === hoveredId || linkedIds.has(a.id),
    composeNow: a.id === composeId,
    links: links.get(a.id) ?? NO_LINKS,
    linking: linking?.fromId === a.id ? linking.relation : null,
  };
}

/**
 * One thread card. Memoised: it re-renders only when its thread, its comments (the same tree
 * object while they are unchanged, lib/client/store.ts commentTrees) or its state in the list change.
 */
export const Card = memo(function Card({ a, cardRef, ...rest }: ReturnType<typeof cardProps> & { cardRef?: (el: HTMLElement | null) => void }) {
  return <ThreadCard ref={cardRef} annotation={a} {...rest} />;
});

export { cardProps };

/** The first index whose value is greater than x (tops is ascending). */
function upperBound(tops: number[], x: number): number {
  let lo = 0;
  let hi = tops.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tops[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
