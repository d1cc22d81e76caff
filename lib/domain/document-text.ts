/**
 * The plain text of a document revision, and the map between it and ProseMirror positions.
 *
 * Selectors (W3C TextQuote/TextPosition) point into a revision's plain text. Both the server
 * (which stores `text` and checks selectors) and the browser (which turns selectors into
 * ProseMirror decorations and selections back into selectors) derive it from the Tiptap JSON
 * with this one function, so the two can never disagree.
 *
 * The text is every textblock's inline text, blocks separated by "\n"; a hard break is "\n".
 * Offsets are UTF-16 code units, which is also how ProseMirror counts text, so within one text
 * node an offset and a position differ by a constant. ProseMirror positions: a non-leaf node
 * takes 1 for its opening, its content, 1 for its closing; a text node its length; a leaf 1.
 */
export interface JsonNode {
  type: string;
  text?: string;
  content?: JsonNode[];
  attrs?: Record<string, unknown>;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

/** A run of text that maps 1:1 onto ProseMirror positions. */
export interface Segment {
  /** Offset in the plain text. */
  from: number;
  to: number;
  /** ProseMirror position of `from`. */
  pos: number;
}

export interface TextIndex {
  text: string;
  segments: Segment[];
}

const LEAF_TYPES = new Set(['hardBreak', 'horizontalRule', 'image']);
const TEXTBLOCK_TYPES = new Set(['paragraph', 'heading', 'codeBlock']);

export function buildTextIndex(doc: JsonNode): TextIndex {
  const parts: string[] = [];
  const segments: Segment[] = [];
  let offset = 0;
  let blocks = 0;

  const push = (s: string, pos: number | null) => {
    if (pos !== null) segments.push({ from: offset, to: offset + s.length, pos });
    parts.push(s);
    offset += s.length;
  };

  /** Walks `node` whose opening sits at `pos`; returns its size. */
  const walk = (node: JsonNode, pos: number): number => {
    if (node.type === 'text') {
      const t = node.text ?? '';
      push(t, pos);
      return t.length;
    }
    if (LEAF_TYPES.has(node.type)) {
      if (node.type === 'hardBreak') push('\n', pos);
      return 1;
    }
    const isTextblock = TEXTBLOCK_TYPES.has(node.type);
    if (isTextblock) {
      if (blocks > 0) push('\n', null);
      blocks++;
    }
    let size = 0;
    for (const child of node.content ?? []) size += walk(child, pos + 1 + size);
    return size + 2;
  };

  // The doc node has no opening token of its own: its content starts at position 0.
  let pos = 0;
  for (const child of doc.content ?? []) pos += walk(child, pos);
  return { text: parts.join(''), segments };
}

function findSegment(segments: Segment[], offset: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segments[mid];
    if (offset < s.from) hi = mid - 1;
    else if (offset >= s.to) lo = mid + 1;
    else return mid;
  }
  return -lo - 1; // insertion point, encoded
}

/**
 * ProseMirror position of a text offset. `side` says which way to go when the offset falls on a
 * block separator: a range start moves forward into the next block, a range end backward.
 */
export function textOffsetToPos(index: TextIndex, offset: number, side: 'start' | 'end'): number | null {
  const { segments } = index;
  if (segments.length === 0) return null;
  if (side === 'end') {
    // An end offset is exclusive: look at the character before it.
    const i = findSegment(segments, offset - 1);
    if (i >= 0) return segments[i].pos + (offset - segments[i].from);
    const prev = -i - 2;
    return prev >= 0 ? segments[prev].pos + (segments[prev].to - segments[prev].from) : null;
  }
  const i = findSegment(segments, offset);
  if (i >= 0) return segments[i].pos + (offset - segments[i].from);
  const next = -i - 1;
  return next < segments.length ? segments[next].pos : null;
}

/**
 * Text offset of a ProseMirror position: for a range `start` the first character at or after it,
 * for a range `end` the boundary just after the last character before it.
 */
export function posToTextOffset(index: TextIndex, pos: number, side: 'start' | 'end'): number | null {
  const { segments } = index;
  if (segments.length === 0) return null;
  if (side === 'start') {
    for (const s of segments) {
      const len = s.to - s.from;
      if (pos < s.pos) return s.from;
      if (pos < s.pos + len) return s.from + (pos - s.pos);
    }
    return segments[segments.length - 1].to;
  }
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i];
    if (pos > s.pos) return s.from + Math.min(pos - s.pos, s.to - s.from);
  }
  return segments[0].from;
}
