/**
 * Highlights over the inline content of one text block, as a tree of nested highlight spans
 * (the reader renders the article from this; no editor engine is needed to read).
 *
 * A block's inline content is a list of pieces: text runs (with their marks) and hard breaks,
 * each at its offset in the revision's plain text (lib/domain/document-text.ts). Pieces are cut
 * at every highlight boundary; each cut piece is covered by some highlights, taken in a canonical
 * order (earlier start first, then longer first, then id), so the outer of two overlapping
 * highlights is the one that starts first. A left-to-right pass keeps a stack of open highlight
 * spans: it keeps the longest prefix of the stack that the next piece is still covered by,
 * closes the rest and opens what is missing. A highlight that overlaps nothing is therefore one
 * element, even across bold or links; one that overlaps another is split only where the other
 * one's span has to close, as HTML nesting requires (ProseMirror's inline decorations do the same).
 */
import type { JsonNode } from './document-text';

export type Mark = NonNullable<JsonNode['marks']>[number];

export type Piece =
  | { kind: 'text'; text: string; marks: Mark[]; from: number }
  | { kind: 'break'; from: number };

export interface Span<S> {
  kind: 'span';
  spec: S;
  children: InlineNode<S>[];
}

export type InlineNode<S> = Piece | Span<S>;

export interface RangeSpec {
  id: string;
  start: number;
  end: number;
}

const pieceEnd = (p: Piece) => (p.kind === 'text' ? p.from + p.text.length : p.from + 1);

function canonical(a: RangeSpec, b: RangeSpec): number {
  return a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Cuts text pieces at the given offsets (sorted ascending). */
function cut(pieces: Piece[], cuts: number[]): Piece[] {
  const out: Piece[] = [];
  let c = 0;
  for (const p of pieces) {
    if (p.kind !== 'text') {
      out.push(p);
      continue;
    }
    let from = p.from;
    const end = pieceEnd(p);
    while (c < cuts.length && cuts[c] <= from) c++;
    while (c < cuts.length && cuts[c] < end) {
      out.push({ kind: 'text', text: p.text.slice(from - p.from, cuts[c] - p.from), marks: p.marks, from });
      from = cuts[c++];
    }
    out.push(from === p.from ? p : { kind: 'text', text: p.text.slice(from - p.from), marks: p.marks, from });
  }
  return out;
}

/** The inline tree of one block: `pieces` in order, `specs` any highlights (those outside are ignored). */
export function layoutInline<S extends RangeSpec>(pieces: Piece[], specs: readonly S[]): InlineNode<S>[] {
  if (!pieces.length) return [];
  const blockFrom = pieces[0].from;
  const blockTo = pieceEnd(pieces[pieces.length - 1]);
  const mine = specs.filter((s) => s.end > blockFrom && s.start < blockTo && s.end > s.start).sort(canonical);
  if (!mine.length) return pieces;
  const cuts = [...new Set(mine.flatMap((s) => [s.start, s.end]))].sort((a, b) => a - b);

  const root: InlineNode<S>[] = [];
  const stack: Span<S>[] = [];
  for (const p of cut(pieces, cuts)) {
    const from = p.from;
    const to = pieceEnd(p);
    const covering = mine.filter((s) => s.start <= from && s.end >= to);
    let keep = 0;
    while (keep < stack.length && keep < covering.length && stack[keep].spec === covering[keep]) keep++;
    stack.length = keep;
    for (let i = keep; i < covering.length; i++) {
      const span: Span<S> = { kind: 'span', spec: covering[i], children: [] };
      (stack.length ? stack[stack.length - 1].children : root).push(span);
      stack.push(span);
    }
    (stack.length ? stack[stack.length - 1].children : root).push(p);
  }
  return root;
}

/** A document prepared for rendering: its block structure, every text block with its pieces and offsets. */
export type BlockModel =
  | { kind: 'textblock'; node: JsonNode; from: number; to: number; pieces: Piece[] }
  | { kind: 'container'; node: JsonNode; children: BlockModel[] }
  | { kind: 'leaf'; node: JsonNode };

const TEXTBLOCKS = new Set(['paragraph', 'heading', 'codeBlock', 'figure']);

/**
 * Walks the document exactly as buildTextIndex does (text blocks separated by one "\n", a hard
 * break is "\n"), so every piece's `from` is its offset in the revision's text. Tables, rows and
 * cells are containers like lists (a cell's paragraphs are its text blocks); a figure is a text
 * block (its caption).
 */
export function blockModel(doc: JsonNode): BlockModel[] {
  let offset = 0;
  let blocks = 0;
  const walk = (node: JsonNode): BlockModel => {
    if (TEXTBLOCKS.has(node.type)) {
      if (blocks++ > 0) offset += 1;
      const from = offset;
      const pieces: Piece[] = [];
      for (const child of node.content ?? []) {
        if (child.type === 'text') {
          const t = child.text ?? '';
          if (t) pieces.push({ kind: 'text', text: t, marks: child.marks ?? [], from: offset });
          offset += t.length;
        } else if (child.type === 'hardBreak') {
          pieces.push({ kind: 'break', from: offset });
          offset += 1;
        }
      }
      return { kind: 'textblock', node, from, to: offset, pieces };
    }
    if (!node.content) return { kind: 'leaf', node };
    return { kind: 'container', node, children: node.content.map(walk) };
  };
  return (doc.content ?? []).map(walk);
}
