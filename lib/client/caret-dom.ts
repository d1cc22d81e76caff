/**
 * The keyboard caret's geometry in the rendered article (components/reader/article.tsx): text
 * offsets to DOM points and back (through the blocks' data-o/data-e, as lib/client/dom-offsets.ts),
 * the box to draw the caret at, and moving by line (Up/Down keep a goal x; Home/End), which only
 * layout can tell. Lines are found from the boxes of the characters themselves, so no position
 * needs to be on screen (caretRangeFromPoint would).
 *
 * One `TextLayout` is made per key press: it reads the blocks once and each block's text nodes
 * when first needed.
 */
import { blockAt, nextChar, prevChar, type Block } from './caret';

interface DomBlock extends Block {
  el: Element;
  /** Text nodes and <br>s with their offsets, read on first use. */
  items?: { node: Node; from: number; length: number; br: boolean }[];
}

export interface CaretBox {
  x: number;
  top: number;
  bottom: number;
}

/** A line of the rendered text: its first offset and the caret positions on it with their x. */
interface Line {
  start: number;
  /** The offset just past the line: the next line's first character, a <br>, or the block's end. */
  end: number;
  /** How the line ends: wrapped onto the next line, a hard break, or the end of the block. */
  stop: 'wrap' | 'break' | 'block';
  stops: { offset: number; x: number }[];
}

const sameLine = (a: { top: number; bottom: number }, b: { top: number; bottom: number }) => {
  const overlap = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  return overlap > Math.min(a.bottom - a.top, b.bottom - b.top) / 2;
};

export class TextLayout {
  readonly blocks: DomBlock[];

  constructor(
    readonly root: Element,
    readonly text: string,
  ) {
    this.blocks = Array.from(root.querySelectorAll('[data-o]')).map((el) => ({ el, from: Number(el.getAttribute('data-o')), to: Number(el.getAttribute('data-e')) }));
  }

  private block(offset: number): DomBlock | null {
    return blockAt(this.blocks, offset) as DomBlock | null;
  }

  private items(b: DomBlock) {
    if (b.items) return b.items;
    const out: NonNullable<DomBlock['items']> = [];
    let offset = b.from;
    const walker = document.createTreeWalker(b.el, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === Node.TEXT_NODE) {
        const length = (n as Text).data.length;
        if (length) out.push({ node: n, from: offset, length, br: false });
        offset += length;
      } else if ((n as Element).tagName === 'BR') {
        out.push({ node: n, from: offset, length: 1, br: true });
        offset += 1;
      }
    }
    b.items = out;
    return out;
  }

  /**
   * The DOM point of a text offset. `lean` decides at the seam of two nodes: 'forward' takes the
   * start of the later one (a range start, a character's box), 'back' the end of the earlier one.
   */
  point(offset: number, lean: 'forward' | 'back' = 'forward'): { node: Node; offset: number } | null {
    const b = this.block(offset);
    if (!b) return null;
    const items = this.items(b);
    let fallback: { node: Node; offset: number } | null = null;
    for (const it of items) {
      const end = it.from + it.length;
      if (offset < it.from) break;
      if (it.br) {
        if (offset === it.from) return before(it.node);
        if (offset === end) fallback = after(it.node);
        continue;
      }
      if (offset < end || (offset === end && lean === 'back')) return { node: it.node, offset: offset - it.from };
      if (offset === end) fallback = { node: it.node, offset: it.length };
    }
    return fallback ?? { node: b.el, offset: b.el.childNodes.length && offset > b.from ? b.el.childNodes.length : 0 };
  }

  /** A live DOM Range over [start, end). */
  range(start: number, end: number): Range | null {
    const s = this.point(start, 'forward');
    const e = this.point(end, start === end ? 'forward' : 'back');
    if (!s || !e) return null;
    const r = document.createRange();
    r.setStart(s.node, s.offset);
    r.setEnd(e.node, e.offset);
    return r;
  }

  /** The box of the character at `offset` (null at a block's end or for an unrendered one). */
  private charBox(offset: number): DOMRect | null {
    const b = this.block(offset);
    if (!b || offset >= b.to) return null;
    const item = this.items(b).find((it) => offset >= it.from && offset < it.from + it.length);
    if (!item) return null;
    const r = document.createRange();
    if (item.br) r.selectNode(item.node);
    else {
      r.setStart(item.node, offset - item.from);
      r.setEnd(item.node, Math.min(item.length, nextChar(this.text, offset) - item.from));
    }
    const rects = r.getClientRects();
    // A character that wraps may have two boxes (the end of one line, the start of the next): its own is the last.
    const box = rects.length ? rects[rects.length - 1] : r.getBoundingClientRect();
    return box.width === 0 && box.height === 0 ? null : box;
  }

  /** Where the caret at `offset` is drawn: before the character there, else after the one before. */
  caretBox(offset: number): CaretBox | null {
    const b = this.block(offset);
    if (!b) return null;
    if (offset < b.to && this.text[offset] !== '\n') {
      const box = this.charBox(offset);
      if (box) return { x: box.left, top: box.top, bottom: box.bottom };
    }
    if (offset > b.from) {
      const box = this.charBox(prevChar(this.text, offset));
      if (box && this.text[prevChar(this.text, offset)] !== '\n') return { x: box.right, top: box.top, bottom: box.bottom };
    }
    // An empty block, or the line after a <br> that ends one: the block's box, below that <br>.
    const el = b.el.getBoundingClientRect();
    const style = getComputedStyle(b.el);
    const lh = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.4 || 20;
    const br = offset > b.from ? this.charBox(prevChar(this.text, offset)) : null;
    const top = br ? br.bottom : el.top;
    return { x: el.left, top, bottom: top + lh };
  }

  /** The line that holds the caret at `offset`. */
  private lineOf(offset: number): Line | null {
    const b = this.block(offset);
    const ref = this.caretBox(offset);
    if (!b || !ref) return null;
    const t = this.text;
    let start = offset;
    while (start > b.from) {
      const p = prevChar(t, start);
      if (t[p] === '\n') break;
      const box = this.charBox(p);
      if (box && !sameLine(box, ref)) break;
      start = p;
    }
    const stops: Line['stops'] = [];
    let i = start;
    let stop: Line['stop'] = 'block';
    let lastRight: number | null = null;
    while (i < b.to) {
      if (t[i] === '\n') {
        stop = 'break';
        break;
      }
      const box = this.charBox(i);
      if (box && !sameLine(box, ref)) {
        stop = 'wrap';
        break;
      }
      if (box) {
        stops.push({ offset: i, x: box.left });
        lastRight = box.right;
      }
      i = nextChar(t, i);
    }
    // At a hard break or the block's end the caret can sit after the last character.
    if (stop !== 'wrap') stops.push({ offset: i, x: lastRight ?? ref.x });
    return { start, end: i, stop, stops };
  }

  /** Home. */
  lineStart(offset: number): number {
    return this.lineOf(offset)?.start ?? offset;
  }

  /** End: the line's last position (before the space a wrapped line ends with). */
  lineEnd(offset: number): number {
    const line = this.lineOf(offset);
    if (!line) return offset;
    return line.stops.length ? line.stops[line.stops.length - 1].offset : line.start;
  }

  /** Up (-1) or Down (1): the position on the line above/below nearest to `goalX`; null at the first/last line. */
  lineMove(offset: number, dir: 1 | -1, goalX: number): number | null {
    const line = this.lineOf(offset);
    if (!line) return null;
    let target: number;
    if (dir === 1) {
      target = line.stop === 'wrap' ? line.end : line.end + 1;
      if (target > this.text.length || !this.block(target)) return null;
    } else {
      target = line.start - 1;
      if (target < 0) return null;
    }
    const next = this.lineOf(target);
    if (!next || !next.stops.length) return target;
    let best = next.stops[0];
    for (const s of next.stops) if (Math.abs(s.x - goalX) < Math.abs(best.x - goalX)) best = s;
    return best.offset;
  }
}

function before(node: Node) {
  const parent = node.parentNode!;
  return { node: parent, offset: Array.prototype.indexOf.call(parent.childNodes, node) as number };
}
function after(node: Node) {
  const p = before(node);
  return { node: p.node, offset: p.offset + 1 };
}

/**
 * Scrolls the window (instantly) so that a box is on screen, clear of the sticky header and, on
 * a phone, of the margin sheet fixed over the bottom of the page.
 */
export function revealBox(box: { top: number; bottom: number }): void {
  const header = document.querySelector('.app-header')?.getBoundingClientRect().bottom ?? 0;
  const sheet = document.querySelector('.sidebar');
  const sheetTop = sheet && getComputedStyle(sheet).position === 'fixed' ? sheet.getBoundingClientRect().top : window.innerHeight;
  const margin = 24;
  const top = Math.max(0, header) + margin;
  const bottom = Math.min(window.innerHeight, sheetTop) - margin;
  if (box.top < top) window.scrollBy({ top: box.top - top, behavior: 'instant' });
  else if (box.bottom > bottom) window.scrollBy({ top: box.bottom - bottom, behavior: 'instant' });
}
