/**
 * The height of each highlight's passage, measured in the page: where its first character is,
 * relative to an element (the margin). One path for both ways highlights are drawn (elements or
 * CSS highlights): the text offsets every block carries (lib/client/dom-offsets.ts), so it costs
 * a Range per highlight, not a query per highlight.
 */
import { textNodes } from './css-highlights';

export function anchorTops(root: Element, relativeTo: Element, highlights: { id: string; start: number; end: number }[]): Map<string, number> {
  const out = new Map<string, number>();
  if (highlights.length === 0) return out;
  const nodes = textNodes(root);
  if (nodes.length === 0) return out;
  const origin = relativeTo.getBoundingClientRect().top;
  const range = document.createRange();
  for (const h of highlights) {
    // The text node holding the first character (binary search over the ascending offsets).
    let lo = 0;
    let hi = nodes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (nodes[mid].from + nodes[mid].length <= h.start) lo = mid + 1;
      else hi = mid;
    }
    const n = nodes[lo];
    const at = Math.max(0, Math.min(n.length - 1, h.start - n.from));
    range.setStart(n.node, at);
    range.setEnd(n.node, at + 1);
    const rect = range.getClientRects()[0] ?? range.getBoundingClientRect();
    out.set(h.id, rect.top - origin);
  }
  return out;
}
