/**
 * DOM selection -> offsets in the revision's plain text, for the article rendered by
 * components/reader/article-content.tsx: every text block element carries `data-o` (the offset
 * of its first character) and `data-e` (just past its last). Inside a block, the offset of a DOM
 * point is `data-o` plus the characters before it in that block (a <br> counts as one, like the
 * "\n" of a hard break in the text). A point between blocks snaps to the next block's start (for
 * a range start) or the previous block's end (for a range end).
 *
 * `selectionOffsets` is what the reader uses for a whole selection: both ends, then snapped
 * outward to whole characters (an offset between the halves of a surrogate pair, which a text
 * node split by a highlight span or a programmatic selection can give, would make a selector the
 * server refuses) and trimmed.
 */
import { selectionRange, type TextPosition } from '@/lib/domain/anchoring';

function charsBefore(block: Element, node: Node, offset: number): number {
  const range = document.createRange();
  range.setStart(block, 0);
  range.setEnd(node, offset);
  const frag = range.cloneContents();
  let n = 0;
  const walker = document.createTreeWalker(frag, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let cur = walker.nextNode(); cur; cur = walker.nextNode()) {
    if (cur.nodeType === Node.TEXT_NODE) n += (cur as Text).data.length;
    else if ((cur as Element).tagName === 'BR') n += 1;
  }
  return n;
}

export function domPointToOffset(root: Element, node: Node, offset: number, side: 'start' | 'end'): number | null {
  const el = node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
  const block = el?.closest('[data-o]');
  if (block && root.contains(block)) {
    const from = Number(block.getAttribute('data-o'));
    const to = Number(block.getAttribute('data-e'));
    return Math.min(to, from + charsBefore(block, node, offset));
  }
  // Between blocks (or on a container): the nearest block in the direction of the range.
  const blocks = Array.from(root.querySelectorAll('[data-o]'));
  const point = document.createRange();
  point.setStart(node, offset);
  if (side === 'start') {
    const next = blocks.find((b) => point.comparePoint(b, 0) >= 0);
    return next ? Number(next.getAttribute('data-o')) : null;
  }
  const prev = [...blocks].reverse().find((b) => point.comparePoint(b, b.childNodes.length) <= 0);
  return prev ? Number(prev.getAttribute('data-e')) : null;
}

/** A DOM range inside `root` as offsets into `text`: whole characters, trimmed; null if empty. */
export function selectionOffsets(root: Element, range: AbstractRange, text: string): TextPosition | null {
  const start = domPointToOffset(root, range.startContainer, range.startOffset, 'start');
  const end = domPointToOffset(root, range.endContainer, range.endOffset, 'end');
  return start === null || end === null ? null : selectionRange(text, start, end);
}
