/**
 * Painting many highlights without an element per highlight: the CSS Custom Highlight API
 * (`CSS.highlights`, styled with `::highlight(name)` in globals.css). Above SPAN_LIMIT highlights
 * the reader renders the bare article and registers one `Highlight` per tag × status (plus the
 * focused and the flashing one) made of DOM Ranges built here from text offsets, so 2,000
 * overlapping highlights cost ranges, not tens of thousands of nested spans to parse, style and
 * lay out. Hit-testing is by position: the caret offset under the pointer, then the highlights
 * covering it (lib/domain/inline-layout's text offsets, the same ones the spans carry).
 */
import type { Tag } from '@/lib/domain/tags';
import { decodePaintPlan, encodePaintPlan, PAINT_NAMES, paintIntervals, SPAN_LIMIT, union } from '@/lib/domain/highlight';

export { SPAN_LIMIT };

export const cssHighlightsSupported = (): boolean => typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight !== 'undefined';

interface Spec {
  id: string;
  tag: Tag;
  resolved: boolean;
  start: number;
  end: number;
}

/** Every text node (and <br>, as one character) under the blocks of `root`, with its text offset. */
export function textNodes(root: Element): { node: Node; from: number; length: number }[] {
  const out: { node: Node; from: number; length: number }[] = [];
  for (const block of Array.from(root.querySelectorAll('[data-o]'))) {
    let offset = Number(block.getAttribute('data-o'));
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === Node.TEXT_NODE) {
        const length = (n as Text).data.length;
        if (length) out.push({ node: n, from: offset, length });
        offset += length;
      } else if ((n as Element).tagName === 'BR') offset += 1;
    }
  }
  return out;
}

/** A DOM Range over text offsets [start, end), or null when they cover no text. */
function rangeOf(nodes: ReturnType<typeof textNodes>, start: number, end: number, live = false): AbstractRange | null {
  let lo = 0;
  let hi = nodes.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (nodes[mid].from + nodes[mid].length <= start) lo = mid + 1;
    else hi = mid;
  }
  const first = nodes[lo];
  if (!first || first.from >= end) return null;
  let last = lo;
  while (last + 1 < nodes.length && nodes[last + 1].from < end) last++;
  const bounds = {
    startContainer: first.node, startOffset: Math.max(0, start - first.from),
    endContainer: nodes[last].node, endOffset: Math.min(nodes[last].length, end - nodes[last].from),
  };
  if (live) {
    const range = document.createRange();
    range.setStart(bounds.startContainer, bounds.startOffset);
    range.setEnd(bounds.endContainer, bounds.endOffset);
    return range;
  }
  // Static ranges: the browser need not update 2,000 live ranges on every DOM change elsewhere
  // on the page (typing in a comment box was 2-3x slower with live ones).
  return new StaticRange(bounds);
}

const NAMES = [...PAINT_NAMES, 'mg-active', 'mg-flash'];

export function clearHighlights(): void {
  painted.current = null;
  if (cssHighlightsSupported()) NAMES.forEach((n) => CSS.highlights.delete(n));
}

/**
 * What is registered now: the root, its text nodes then, and the specs' signature, or the plan's
 * (`plan:` and its text) when the page's inline script painted it. On the window: that script has
 * its own copy of this module (lib/client/early-paint-entry.ts), and this one must know what it
 * painted.
 */
type Painted = { current: { root: Element; nodes: ReturnType<typeof textNodes>; sig: string } | null };
const painted: Painted = ((globalThis as typeof globalThis & { __marginaliaPainted?: Painted }).__marginaliaPainted ??= { current: null });
const PLAN = 'plan:';

const signature = (specs: Spec[], activeId: string | null) => {
  let sig = activeId ?? '';
  for (const s of specs) sig += `|${s.id}:${s.tag}:${s.resolved ? 1 : 0}:${s.start}:${s.end}`;
  return sig;
};

/**
 * Registers (or replaces) the highlights of `root`, each tag and status's passages merged
 * (paintIntervals, lib/domain/highlight.ts): dense overlaps (2,000 highlights on one article)
 * become a few hundred ranges for the browser to paint. The same
 * highlights over the same, still attached text are not registered again (the reader's first
 * render finds what paintEarly drew from the preloaded answer).
 */
export function paintHighlights(root: Element, specs: Spec[], activeId: string | null): void {
  const sig = signature(specs, activeId);
  const { current } = painted;
  const same = current && current.root === root && current.nodes.every((n) => n.node.isConnected);
  if (same && current.sig === sig) return;
  const intervals = paintIntervals(specs);
  // What the inline script painted from the page's plan, if these are the same highlights.
  if (same && !activeId && current.sig.startsWith(PLAN) && current.sig === PLAN + encodePaintPlan(intervals)) {
    current.sig = sig;
    return;
  }
  const nodes = textNodes(root);
  painted.current = { root, nodes, sig };
  const active = activeId ? specs.find((s) => s.id === activeId) : undefined;
  if (active) intervals.set('mg-active', [[active.start, active.end]]);
  register(nodes, intervals);
}

/** Registers each highlight name but the flash with these (already merged) intervals; names without any are removed. */
function register(nodes: ReturnType<typeof textNodes>, intervals: Map<string, [number, number][]>): void {
  for (const name of NAMES) {
    if (name === 'mg-flash') continue;
    const ranges = (intervals.get(name) ?? []).flatMap(([s, e]) => rangeOf(nodes, s, e) ?? []);
    if (ranges.length) CSS.highlights.set(name, new Highlight(...ranges));
    else CSS.highlights.delete(name);
  }
}

/**
 * Registers (or, with no intervals, removes) one named highlight over text offsets, in either
 * mode (the text nodes are the same with or without highlight elements): e.g. the passages linked
 * to the thread under the pointer.
 */
export function markRanges(root: Element, name: string, intervals: [number, number][]): void {
  if (!cssHighlightsSupported()) return;
  const nodes = intervals.length ? textNodes(root) : [];
  const ranges = union(intervals).flatMap(([s, e]) => rangeOf(nodes, s, e) ?? []);
  if (ranges.length) CSS.highlights.set(name, new Highlight(...ranges));
  else CSS.highlights.delete(name);
}

/** Flashes one highlight for a moment and scrolls it into view. */
export function flashHighlight(root: Element, spec: { start: number; end: number }): void {
  const r = rangeOf(textNodes(root), spec.start, spec.end, true) as Range | null;
  if (!r) return;
  const box = r.getBoundingClientRect();
  window.scrollTo({ top: window.scrollY + box.top - window.innerHeight / 2 + box.height / 2, behavior: 'smooth' });
  CSS.highlights.set('mg-flash', new Highlight(r));
  setTimeout(() => CSS.highlights.delete('mg-flash'), 1400);
}

/** The text offset under a viewport point, or null when it is not over the article's text. */
export function offsetAtPoint(root: Element, x: number, y: number, toOffset: (node: Node, offset: number) => number | null): number | null {
  const doc = document as Document & { caretPositionFromPoint?(x: number, y: number): { offsetNode: Node; offset: number } | null };
  let node: Node | null = null;
  let offset = 0;
  if (doc.caretPositionFromPoint) {
    const p = doc.caretPositionFromPoint(x, y);
    if (p) ({ offsetNode: node, offset } = p);
  } else if (document.caretRangeFromPoint) {
    const r = document.caretRangeFromPoint(x, y);
    if (r) ({ startContainer: node, startOffset: offset } = r);
  }
  if (!node || node.nodeType !== Node.TEXT_NODE || !root.contains(node)) return null;
  // The caret is between characters: take the character the pointer is over.
  const rect = (() => {
    const r = document.createRange();
    r.setStart(node, offset);
    r.setEnd(node, Math.min((node as Text).data.length, offset + 1));
    return r.getBoundingClientRect();
  })();
  const at = toOffset(node, offset);
  if (at === null) return null;
  return x < rect.left && offset > 0 ? at - 1 : at;
}

/**
 * Performance marks for scripts/bench (P3): `marginalia:highlights-applied` when N highlights are
 * in the page, `marginalia:highlights-painted` after the next frame has painted. Each carries
 * `{ count }`; a benchmark waits for the painted mark with the count it seeded.
 */
export function markPainted(count: number): void {
  if (typeof performance === 'undefined' || !performance.mark) return;
  performance.mark('marginalia:highlights-applied', { detail: { count } });
  requestAnimationFrame(() => setTimeout(() => performance.mark('marginalia:highlights-painted', { detail: { count } }), 0));
}

/**
 * The article to paint early, with `count` highlights, over the revision the server rendered: none
 * when something is painted already, a filter is in the URL, few highlights are drawn as elements
 * by the reader, or the browser has no CSS Custom Highlight API.
 */
function earlyRoot(revisionId: string, count: number): Element | null {
  if (painted.current || location.search || count <= SPAN_LIMIT || !cssHighlightsSupported()) return null;
  return document.querySelector(`.article-body[data-revision-id="${CSS.escape(revisionId)}"]`);
}

/**
 * Paints the highlights of a document's first answer (the page's preloaded list) as soon as it
 * is in, over the article the server rendered, without waiting for the reader's render after
 * hydration (~100–250 ms with 2,000 threads): what an in-app visit has, whose page's inline
 * script does not run (paintFromPlan). Only for the whole, unfiltered set of many highlights on
 * the page's own revision (earlyRoot); the reader's paint replaces this one in place either way.
 */
export function paintEarly(revisionId: string, specs: Spec[]): void {
  const root = earlyRoot(revisionId, specs.length);
  if (!root) return;
  performance.mark('marginalia:highlights-start', { detail: { count: specs.length } });
  paintHighlights(root, specs, null);
  markPainted(specs.length);
}

/**
 * Paints the page's paint plan (encodePaintPlan's text, lib/domain/highlight.ts: the document's
 * highlights merged per tag and status, from its snapshot) over the article the server rendered:
 * run by the page's inline script (lib/client/early-paint-entry.ts) as soon as the parser has
 * the article, before the page's own scripts have loaded, so the first frames show the
 * highlights. Same rules as paintEarly. The reader's first paint, once the list is in, keeps them
 * when they are its own highlights' (the same plan), and replaces them in place when not;
 * releasePlan takes them away when the reader will not paint CSS highlights.
 */
export function paintFromPlan(revisionId: string, plan: string, count: number): void {
  const root = earlyRoot(revisionId, count);
  const intervals = root && decodePaintPlan(plan);
  if (!root || !intervals) return;
  performance.mark('marginalia:highlights-start', { detail: { count } });
  const nodes = textNodes(root);
  painted.current = { root, nodes, sig: PLAN + plan };
  register(nodes, intervals);
  markPainted(count);
}

/**
 * Removes what the plan painted if nothing else has painted over it since: the list came back
 * with few highlights (drawn as elements), could not be loaded, or the reader left the page
 * before it came (an in-app visit to another document must not keep them, nor be kept from
 * painting its own).
 */
export function releasePlan(): void {
  if (painted.current?.sig.startsWith(PLAN)) clearHighlights();
}
