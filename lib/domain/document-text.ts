/**
 * The plain text of a document revision, and the map between it and ProseMirror positions.
 *
 * Selectors (W3C TextQuote/TextPosition) point into a revision's plain text. The server stores
 * `text` and checks selectors against it; the reader renders the same JSON with the same offsets
 * (lib/domain/inline-layout.ts `blockModel`, tested against this function), so the two can never
 * disagree. The segments map text offsets onto ProseMirror positions of the same document (a
 * test checks them against a real ProseMirror doc), for editor-side tools.
 *
 * The text is every textblock's inline text, blocks separated by "\n"; a hard break is "\n".
 * A table adds nothing of its own: each cell holds at least one paragraph, so cells (and rows) are
 * separated by "\n" like any blocks, and a selection never joins the words of two cells. Documents
 * without tables or figures (all of them before these existed) keep exactly the offsets they had.
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
/** An image's `figure` is a textblock (its caption); a table's cells hold textblocks of their own. */
const TEXTBLOCK_TYPES = new Set(['paragraph', 'heading', 'codeBlock', 'figure']);

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
