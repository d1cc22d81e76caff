/**
 * Markdown -> Tiptap JSON, for seeding the default article and importing documents.
 *
 * `markdown-it` tokenises (CommonMark + GFM tables and strikethrough). It was chosen for its
 * bounded behaviour on hostile input: it runs the CommonMark "pathological" suite in linear time
 * and limits nesting (`maxNesting`), where `marked` was cubic on runs of `[a](` and overflowed the
 * stack on thousands of nested `>`. Its token stream is flat (open/close tokens), so the mapping
 * below is a loop with explicit stacks, never recursion over the input's depth.
 *
 * The mapping onto the article schema (StarterKit nodes and marks):
 * - headings, paragraphs, bullet and numbered lists (with their start number), blockquotes, code
 *   (fenced or indented), rules; bold, italic, strike, code, links.
 * - Raw HTML is not trusted: it is kept as literal text (`html: false`).
 * - An image becomes a `figure` block with the text "Image: <alt>" (./article-nodes.ts: no source
 *   is kept), splitting the paragraph or heading it stands in; a link around it stays on it.
 * - Links other than http, https and mailto (`isSafeHref`) lose their link but keep their text.
 * - Soft line breaks become spaces, hard breaks `hardBreak` nodes.
 * - Entities are decoded (every HTML named entity, through the `entities` package); a numeric
 *   reference to a surrogate, NUL, a control character, a noncharacter or beyond U+10FFFF becomes
 *   U+FFFD, as CommonMark says (markdown-it also replaces C0/C1 controls). Code is literal.
 * - GFM tables become tables: header cells `tableHeader`, body cells `tableCell`, each cell a
 *   paragraph (split around images as above). Rows are padded or cut to the first row's width
 *   (markdown-it already makes them all as wide as the header, and bounds the cells it adds).
 * - Blocks nested deeper than MAX_BLOCK_DEPTH levels (quotes, list levels count two) are
 *   flattened: the rest of that container's lines become plain paragraphs, their text kept.
 */
import MarkdownIt, { type MarkdownIt as MarkdownItParser, type StateBlock, type Token } from 'markdown-it';
import { MAX_ARTICLE_NODES, tooManyNodes } from './article-limits';
import { imageFigureText } from './article-nodes';
import type { JsonNode } from './document-text';
import { isSafeHref } from './links';

export { isSafeHref };

type Mark = NonNullable<JsonNode['marks']>[number];

/** markdown-it block levels (a quote is one, a list level two) before the rest is flattened. */
export const MAX_BLOCK_DEPTH = 40;

/** Marks in the order the schema ranks them (ProseMirror keeps a node's marks sorted this way). */
const MARK_ORDER = ['link', 'bold', 'italic', 'strike'] as const;

/** Past MAX_BLOCK_DEPTH: the lines up to the next blank one become one literal paragraph. */
function flattenDeep(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.level < MAX_BLOCK_DEPTH) return false;
  if (silent) return true;
  let next = startLine + 1;
  while (next < endLine && !state.isEmpty(next) && state.sCount[next] >= state.blkIndent) next++;
  const open = state.push('paragraph_open', 'p', 1);
  open.map = [startLine, next];
  const inline = state.push('inline', '', 0);
  inline.content = state.getLines(startLine, next, state.blkIndent, false).trim();
  inline.map = [startLine, next];
  inline.children = [];
  state.push('paragraph_close', 'p', -1);
  state.line = next;
  return true;
}

let parser: MarkdownItParser | null = null;
function markdownParser(): MarkdownItParser {
  if (parser) return parser;
  const md = new MarkdownIt('default', { html: false, linkify: false, typographer: false, maxNesting: MAX_BLOCK_DEPTH + 20 });
  // Every destination is kept so its text survives; isSafeHref decides below whether it stays a link.
  md.validateLink = () => true;
  md.block.ruler.before('table', 'flatten_deep', flattenDeep);
  parser = md;
  return md;
}

function textNode(text: string, marks: Mark[]): JsonNode | null {
  if (!text) return null;
  return marks.length ? { type: 'text', text, marks } : { type: 'text', text };
}

function paragraph(content: JsonNode[]): JsonNode {
  return content.length ? { type: 'paragraph', content } : { type: 'paragraph' };
}

function sameMarks(a: Mark[] | undefined, b: Mark[] | undefined): boolean {
  if (!a || !b) return !a === !b;
  return a.length === b.length && a.every((m, i) => m.type === b[i].type && m.attrs?.href === b[i].attrs?.href);
}

/** Appends, merging a text node into a previous one with the same marks. */
function pushInline(out: JsonNode[], n: JsonNode | null) {
  if (!n) return;
  const last = out[out.length - 1];
  if (n.type === 'text' && last?.type === 'text' && sameMarks(last.marks, n.marks)) {
    last.text = (last.text ?? '') + (n.text ?? '');
  } else out.push(n);
}

/** The plain text of inline tokens (an image's alt text). */
function plainText(tokens: Token[] | null): string {
  return (tokens ?? []).map((t) => (t.type === 'softbreak' || t.type === 'hardbreak' ? ' ' : t.type === 'image' ? plainText(t.children) : t.content)).join('');
}

/** One inline token stream -> text nodes and hard breaks, with marks from the open/close tokens around them. */
function inline(tokens: Token[]): JsonNode[] {
  const out: JsonNode[] = [];
  const open = { bold: 0, italic: 0, strike: 0 };
  const links: (string | null)[] = [];
  const marks = (): Mark[] => {
    const href = [...links].reverse().find((h) => h !== null);
    const all: Mark[] = [];
    for (const type of MARK_ORDER) {
      if (type === 'link') {
        if (href) all.push({ type: 'link', attrs: { href } });
      } else if (open[type] > 0) all.push({ type });
    }
    return all;
  };
  for (const t of tokens) {
    switch (t.type) {
      case 'text':
      case 'text_special':
      case 'html_inline':
        pushInline(out, textNode(t.content, marks()));
        break;
      case 'softbreak':
        pushInline(out, textNode(' ', marks()));
        break;
      case 'hardbreak':
        out.push({ type: 'hardBreak' });
        break;
      case 'code_inline':
        // The schema's code mark excludes every other mark (as ProseMirror's own parser does, code wins).
        pushInline(out, textNode(t.content, [{ type: 'code' }]));
        break;
      case 'strong_open':
      case 'strong_close':
        open.bold += t.nesting;
        break;
      case 'em_open':
      case 'em_close':
        open.italic += t.nesting;
        break;
      case 's_open':
      case 's_close':
        open.strike += t.nesting;
        break;
      case 'link_open': {
        const href = String(t.attrGet('href') ?? '');
        links.push(isSafeHref(href) ? href : null);
        break;
      }
      case 'link_close':
        links.pop();
        break;
      case 'image': {
        // A marker, split out of its textblock by `textblocks`; only a link mark fits a figure.
        const text = textNode(imageFigureText(plainText(t.children)), marks().filter((m) => m.type === 'link'));
        out.push({ type: 'figure', content: text ? [text] : [] });
        break;
      }
      default:
        pushInline(out, textNode(t.content, marks()));
    }
  }
  return out;
}

const isBlank = (n: JsonNode | undefined) => !!n && (n.type === 'hardBreak' || (n.type === 'text' && !n.text?.trim()));

/**
 * Inline content (with image figures in it) -> blocks: the runs between figures wrapped with
 * `wrap`, the figures between them. Spaces and breaks next to a figure go; a blank run is dropped.
 */
function textblocks(content: JsonNode[], wrap: (content: JsonNode[]) => JsonNode): JsonNode[] {
  if (!content.some((n) => n.type === 'figure')) return [wrap(content)];
  const out: JsonNode[] = [];
  let run: JsonNode[] = [];
  let afterFigure = false;
  const flush = (beforeFigure: boolean) => {
    if (beforeFigure) {
      while (isBlank(run[run.length - 1])) run.pop();
      const last = run[run.length - 1];
      if (last?.type === 'text') run[run.length - 1] = { ...last, text: last.text!.trimEnd() };
    }
    if (run.length) out.push(wrap(run));
    run = [];
  };
  for (const n of content) {
    if (n.type === 'figure') {
      flush(true);
      out.push(n);
      afterFigure = true;
    } else if (afterFigure && !run.length) {
      if (isBlank(n)) continue;
      run.push(n.type === 'text' ? { ...n, text: n.text!.trimStart() } : n);
    } else run.push(n);
  }
  flush(false);
  return out;
}

/**
 * A list item must open with a paragraph: a leading heading becomes one (its text kept), any other
 * leading block gets an empty paragraph before it (the same rule as html-import.ts).
 */
function listItemContent(content: JsonNode[]): JsonNode[] {
  const [first, ...rest] = content;
  if (!first) return [paragraph([])];
  if (first.type === 'paragraph') return content;
  if (first.type === 'heading') return [paragraph(first.content ?? []), ...rest];
  return [paragraph([]), ...content];
}

/** An open container on the stack, collecting its blocks. */
interface Frame {
  close: (content: JsonNode[]) => JsonNode | null;
  content: JsonNode[];
}

/** A table being read: its rows, the row being read and the type of the cell being read. */
interface Table {
  rows: JsonNode[];
  cells: JsonNode[] | null;
  cellType: 'tableCell' | 'tableHeader';
}

const emptyCell = (): JsonNode => ({ type: 'tableCell', content: [paragraph([])] });

/** The table's rows padded or cut to the first row's width, or null for a table without rows. */
function tableNode(rows: JsonNode[]): JsonNode | null {
  if (!rows.length) return null;
  const width = rows[0].content!.length;
  for (const row of rows) {
    const cells = row.content!;
    if (cells.length > width) cells.length = width;
    while (cells.length < width) cells.push(emptyCell());
  }
  return { type: 'table', content: rows };
}

function blocks(tokens: Token[]): JsonNode[] {
  const root: Frame = { close: () => null, content: [] };
  const stack: Frame[] = [root];
  const top = () => stack[stack.length - 1];
  const add = (n: JsonNode | null) => {
    if (n) top().content.push(n);
  };
  const enter = (close: Frame['close']) => stack.push({ close, content: [] });
  const leave = () => {
    const frame = stack.pop();
    if (frame && stack.length) add(frame.close(frame.content));
  };
  let textblock: ((content: JsonNode[]) => JsonNode) | null = null;
  let table: Table | null = null;

  for (const t of tokens) {
    switch (t.type) {
      case 'paragraph_open':
        textblock = paragraph;
        break;
      case 'heading_open': {
        const level = Math.min(6, Math.max(1, Number(t.tag.slice(1)) || 1));
        textblock = (content) => ({ type: 'heading', attrs: { level }, content });
        break;
      }
      case 'paragraph_close':
      case 'heading_close':
        textblock = null;
        break;
      case 'inline': {
        const content = inline(t.children ?? []);
        if (table?.cells) {
          const cell = textblocks(content, paragraph);
          table.cells.push({ type: table.cellType, content: cell.length ? cell : [paragraph([])] });
        } else textblocks(content, textblock ?? paragraph).forEach(add);
        break;
      }
      case 'bullet_list_open':
        enter((items) => ({ type: 'bulletList', content: items }));
        break;
      case 'ordered_list_open': {
        const start = Number(t.attrGet('start') ?? 1);
        enter((items) => ({ type: 'orderedList', attrs: { start: Number.isSafeInteger(start) ? start : 1 }, content: items }));
        break;
      }
      case 'list_item_open':
        enter((content) => ({ type: 'listItem', content: listItemContent(content) }));
        break;
      case 'blockquote_open':
        enter((content) => ({ type: 'blockquote', content: content.length ? content : [paragraph([])] }));
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
      case 'list_item_close':
      case 'blockquote_close':
        leave();
        break;
      case 'code_block':
      case 'fence': {
        const text = t.content.replace(/\n$/, '');
        add(text ? { type: 'codeBlock', content: [{ type: 'text', text }] } : { type: 'codeBlock' });
        break;
      }
      case 'hr':
        add({ type: 'horizontalRule' });
        break;
      case 'table_open':
        table = { rows: [], cells: null, cellType: 'tableCell' };
        break;
      case 'table_close':
        if (table) add(tableNode(table.rows));
        table = null;
        break;
      case 'tr_open':
        if (table) table.cells = [];
        break;
      case 'tr_close':
        if (table?.cells?.length) table.rows.push({ type: 'tableRow', content: table.cells });
        if (table) table.cells = null;
        break;
      case 'th_open':
      case 'td_open':
        if (table) table.cellType = t.type === 'th_open' ? 'tableHeader' : 'tableCell';
        break;
      case 'html_block': {
        const raw = t.content.trim();
        if (raw) add(paragraph([{ type: 'text', text: raw }]));
        break;
      }
      default:
      // thead/tbody and anything else: structure only, their inline content is handled above.
    }
  }
  while (stack.length > 1) leave();
  return root.content;
}

export function markdownToDoc(markdown: string): JsonNode {
  const tokens = markdownParser().parse(markdown.replace(/\r\n?/g, '\n'), {});
  // A node takes one to three tokens (text; open, text, close): far more tokens than the article
  // may have nodes means it will be refused anyway, so refuse before building it.
  let count = tokens.length;
  for (const t of tokens) count += t.children?.length ?? 0;
  if (count > 2 * MAX_ARTICLE_NODES) throw tooManyNodes();
  const content = blocks(tokens);
  return { type: 'doc', content: content.length ? content : [paragraph([])] };
}

/** Plain text -> paragraphs (blank lines separate them; single newlines become hard breaks). */
export function plainTextToDoc(text: string): JsonNode {
  const paras = text.replace(/\r\n?/g, '\n').split(/\n{2,}/).map((p) => p.trim()).filter(Boolean);
  const content = paras.map((p) => {
    const nodes: JsonNode[] = [];
    p.split('\n').forEach((line, i) => {
      if (i > 0) nodes.push({ type: 'hardBreak' });
      if (line) nodes.push({ type: 'text', text: line });
    });
    return paragraph(nodes);
  });
  return { type: 'doc', content: content.length ? content : [paragraph([])] };
}

/** The first level-1 heading's text, if any: the default title of an imported document. */
export function firstHeading(doc: JsonNode): string | null {
  const h = doc.content?.find((n) => n.type === 'heading' && n.attrs?.level === 1);
  return h ? (h.content ?? []).map((n) => n.text ?? '').join('') : null;
}
