'use client';

/**
 * The threads of the margin in document order. Up to SMALL_LIST threads are plain elements; past
 * that the list is windowed: only cards within OVERSCAN pixels of the sidebar's visible part are
 * mounted, each absolutely placed at the sum of the heights above it (measured with a
 * ResizeObserver once mounted, ESTIMATE before). The focused card is always mounted, so its
 * composer keeps its text when it scrolls out of view.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ApiAnnotation } from '@/lib/domain/api-types';
import { commentTree, type StoreState } from '@/lib/client/store';
import { ThreadCard } from './thread-card';

const SMALL_LIST = 60;
const ESTIMATE = 150;
const GAP = 12;
const OVERSCAN = 800;

interface Props {
  annotations: ApiAnnotation[];
  state: StoreState;
  activeId: string | null;
  hoveredId: string | null;
  composeId: string | null;
}

export function ThreadList(props: Props) {
  return props.annotations.length <= SMALL_LIST ? <PlainList {...props} /> : <WindowedList {...props} />;
}

function PlainList(props: Props) {
  const { annotations, activeId } = props;
  const refs = useRef(new Map<string, HTMLElement>());
  useEffect(() => {
    const el = activeId ? refs.current.get(activeId) : undefined;
    if (el) revealInMargin(el);
  }, [activeId]);
  return (
    <div className="threads">
      {annotations.map((a) => (
        <Card
          key={a.id}
          {...props}
          a={a}
          cardRef={(el) => {
            if (el) refs.current.set(a.id, el);
            else refs.current.delete(a.id);
          }}
        />
      ))}
    </div>
  );
}

function WindowedList(props: Props) {
  const { annotations, activeId } = props;
  const listRef = useRef<HTMLDivElement>(null);
  // Measured card heights; a new Map when one changes, so the offsets below recompute.
  const [heights, setHeights] = useState(() => new Map<string, number>());
  const [view, setView] = useState({ top: 0, height: 1000 });

  const scroller = () => listRef.current?.closest<HTMLElement>('.sidebar') ?? null;

  // Offsets: tops[i] is where card i starts inside the list.
  const tops = useMemo(() => {
    const out = new Array<number>(annotations.length + 1);
    out[0] = 0;
    for (let i = 0; i < annotations.length; i++) out[i + 1] = out[i] + (heights.get(annotations[i].id) ?? ESTIMATE) + GAP;
    return out;
  }, [annotations, heights]);

  useLayoutEffect(() => {
    const el = scroller();
    const list = listRef.current;
    if (!el || !list) return;
    let frame = 0;
    const read = () => {
      frame = 0;
      const offset = list.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop;
      setView((v) => {
        const top = el.scrollTop - offset;
        return v.top === top && v.height === el.clientHeight ? v : { top, height: el.clientHeight };
      });
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
  }, []);

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
                if (id && prev.get(id) !== h) (next ??= new Map(prev)).set(id, h);
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

  // Bring the focused thread into view (a click on its highlight).
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
  const shown: number[] = [];
  for (let i = from; i < to; i++) shown.push(i);
  const activeIndex = activeId ? annotations.findIndex((a) => a.id === activeId) : -1;
  if (activeIndex >= 0 && (activeIndex < from || activeIndex >= to)) shown.push(activeIndex);

  return (
    <div ref={listRef} className="threads threads-windowed" style={{ height: tops[annotations.length] }} role="list">
      {shown.map((i) => {
        const a = annotations[i];
        return (
          <div key={a.id} role="listitem" aria-posinset={i + 1} aria-setsize={annotations.length} className="thread-slot" style={{ top: tops[i] }}>
            <Card {...props} a={a} cardRef={observe} />
          </div>
        );
      })}
    </div>
  );
}

/** Where `el` starts inside the scrolled content of `box`. */
const offsetIn = (box: HTMLElement, el: Element) => el.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;

/** Scrolls `box` as little as needed to show its content between `top` and `bottom`. */
function scrollToShow(box: HTMLElement, top: number, bottom: number, behavior: ScrollBehavior) {
  if (top < box.scrollTop) box.scrollTo({ top: top - GAP, behavior });
  else if (bottom > box.scrollTop + box.clientHeight) box.scrollTo({ top: Math.min(top - GAP, bottom - box.clientHeight + GAP), behavior });
}

/**
 * Brings an element of the margin into view by scrolling the margin only: scrollIntoView would
 * also move the window and cut short the article's own scroll to the same highlight.
 */
export function revealInMargin(el: HTMLElement): void {
  const box = el.closest<HTMLElement>('.sidebar');
  if (!box) return;
  const top = offsetIn(box, el);
  scrollToShow(box, top, top + el.offsetHeight, 'smooth');
}

/** One thread card with its comments and its state in the list. */
export function Card({ a, state, activeId, hoveredId, composeId, cardRef }: Omit<Props, 'annotations'> & { a: ApiAnnotation; cardRef?: (el: HTMLElement | null) => void }) {
  return (
    <ThreadCard
      ref={cardRef}
      annotation={a}
      comments={commentTree(state, a.id)}
      active={a.id === activeId}
      hovered={a.id === hoveredId}
      composeNow={a.id === composeId}
    />
  );
}

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
