/**
 * HTML -> Tiptap JSON, for importing documents pasted or uploaded as HTML. The HTML counterpart
 * of markdown-import.ts: both produce the same node and mark shapes for the article schema
 * (StarterKit: headings, paragraphs, lists, blockquotes, code blocks, rules, hard breaks; bold,
 * italic, strike, code, underline, links).
 *
 * The input is untrusted. It is first passed through `sanitize-html` with an allowlist of the tags
 * mapped below; script, style, iframe, svg, template and similar are dropped with their content,
 * other unknown tags are dropped but their text kept, and every attribute except `a[href]`,
 * `ol[start]` and `img[alt]` is removed. The result is parsed with htmlparser2 (entities
 * decoded) and mapped (tags nested deeper than 100 levels are dropped, their text kept; this bound
 * is enforced inside htmlparser2 itself by ./html-import-tokenizer, so unclosed tags cost linear
 * time):
 *
 * - h1–h6 -> heading (level); p -> paragraph; blockquote; hr -> horizontalRule; br -> hardBreak.
 * - ul / ol -> bulletList / orderedList (`attrs.start` always set on ordered lists, 1 by default,
 *   as markdown-import does); li -> listItem, whose content is paragraphs and nested lists.
 *   Stray content directly in a list joins the previous item (or starts one). A list item must
 *   start with a paragraph: a leading heading becomes a paragraph, anything else gets an empty
 *   paragraph in front.
 * - pre -> codeBlock with its text only (markup inside is flattened, br is a newline; the newline
 *   right after `<pre>` and one trailing newline are dropped, as browsers and Markdown do).
 * - b/strong -> bold, i/em -> italic, s/del/strike -> strike, u -> underline,
 *   code/kbd/samp/tt -> code, a -> link with `attrs: { href }` only when `isSafeHref` accepts the
 *   href (absolute http, https, mailto); relative or unsafe links keep their text, unlinked.
 *   Marks are kept in schema order; `code` excludes every other mark (as in the schema), so code
 *   inside a link or bold text loses those marks, and an inner link replaces an outer one.
 * - div, section, article, main, header, footer, nav, aside, figure, dl and the like are
 *   transparent block containers; span and other inline tags are transparent. Loose inline
 *   content at the top level, in a blockquote, list item or container becomes a paragraph.
 * - table -> table of tableRow (rows of thead, tbody and tfoot in document order, and rows
 *   directly in the table), th -> tableHeader, td -> tableCell, each cell holding its blocks (an
 *   empty paragraph if none). Spans are not kept (the schema has no merged cells): short rows are
 *   padded with empty cells to the widest row. A caption, and stray content between rows, go
 *   before the table as paragraphs (where browsers show stray content). A table whose padding
 *   would outnumber its cells (rows of wildly different widths) is flattened instead, as a `tr`
 *   outside a table always is: each row one paragraph, its non-empty cells joined by " · ".
 * - img -> a `figure` block with the text "Image: <alt>" (./article-nodes.ts: no source is kept),
 *   splitting the paragraph or heading around it; `alt=""` marks a decorative image, which is
 *   dropped, and an image without alt becomes "Image".
 *
 * Whitespace follows HTML rendering: outside pre, runs of HTML whitespace collapse to one space,
 * whitespace at the start and end of a block and around hard breaks is trimmed, trailing hard
 * breaks are dropped, and adjacent text with identical marks is merged. Empty paragraphs and
 * headings (including `<p><br></p>`) are dropped; non-breaking spaces are text and are kept.
 * An empty result is `{ type: 'doc', content: [{ type: 'paragraph' }] }`.
 */
import { ElementType, parseDocument } from 'htmlparser2';
import type { ChildNode, Element, Text } from 'domhandler';
import sanitizeHtml from 'sanitize-html';
import { imageFigureText } from './article-nodes';
import type { JsonNode } from './document-text';
import { depthCappedTokenizer } from './html-import-tokenizer';
import { isSafeHref } from './markdown-import';

type Mark = NonNullable<JsonNode['marks']>[number];

const HEADINGS: Record<string, number> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };

const MARK_TAGS: Record<string, string> = {
  b: 'bold', strong: 'bold',
  i: 'italic', em: 'italic',
  s: 'strike', del: 'strike', strike: 'strike',
  u: 'underline',
  code: 'code', kbd: 'code', samp: 'code', tt: 'code',
};

/** Block containers with no node of their own: their content is lifted into the parent. */
const CONTAINER_TAGS = [
  'div', 'section', 'article', 'main', 'header', 'footer', 'nav', 'aside', 'figure', 'figcaption',
  'address', 'details', 'summary', 'hgroup', 'center', 'dl', 'dt', 'dd', 'fieldset', 'legend', 'form',
  'table', 'thead', 'tbody', 'tfoot', 'caption', 'td', 'th', 'li',
];

const MAX_DEPTH = 100;

/** Keeps htmlparser2's own stack of open elements bounded, so unclosed tags cost linear time. */
const PARSER = { Tokenizer: depthCappedTokenizer(MAX_DEPTH) };

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    ...Object.keys(HEADINGS), 'p', 'blockquote', 'pre', 'hr', 'br', 'ul', 'ol', 'li', 'tr', 'img', 'a', 'span',
    ...Object.keys(MARK_TAGS), ...CONTAINER_TAGS,
  ],
  allowedAttributes: { a: ['href'], ol: ['start'], img: ['alt'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  parser: PARSER,
  // Deeper tags are dropped (their text kept): bounds the recursion here and in ProseMirror.
  nestingLimit: MAX_DEPTH,
  // Disallowed tags whose content goes with them (for the rest, only the tag is dropped).
  nonTextTags: [
    'script', 'style', 'textarea', 'option', 'select', 'xmp', 'plaintext', 'noscript', 'noembed',
    'noframes', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'template', 'svg', 'math',
    'title', 'canvas', 'audio', 'video', 'map',
  ],
};

/** Marks in the order the schema ranks them (ProseMirror keeps a node's marks sorted this way). */
const MARK_ORDER = ['link', 'bold', 'code', 'italic', 'strike', 'underline'];

/** ProseMirror's `Mark.addToSet` for this schema: `code` excludes all marks, every mark its own type. */
function addMark(marks: Mark[], mark: Mark): Mark[] {
  if (marks.some((m) => m.type === 'code')) return marks;
  if (mark.type === 'code') return [mark];
  return [...marks.filter((m) => m.type !== mark.type), mark].sort(
    (a, b) => MARK_ORDER.indexOf(a.type) - MARK_ORDER.indexOf(b.type),
  );
}

const collapse = (s: string) => s.replace(/[ \t\n\f\r]+/g, ' ');

function textNode(text: string, marks: Mark[]): JsonNode {
  return marks.length ? { type: 'text', text, marks } : { type: 'text', text };
}

/**
 * Raw inline items (text already collapsed, hard breaks) -> the content of a textblock:
 * whitespace trimmed at the block's ends and around breaks, no double spaces across nodes,
 * trailing breaks and empty text dropped, neighbours with the same marks merged.
 */
function finishInline(items: JsonNode[]): JsonNode[] {
  // Merged text is collected in parts and joined at the end: appending to one string and testing
  // its last character each time flattened the string every time (quadratic on a 100,000-cell row).
  const out: { node: JsonNode; parts: string[] }[] = [];
  const lastText = () => {
    const last = out[out.length - 1];
    return last?.node.type === 'text' ? last : undefined;
  };
  const endsWithSpace = (t: { parts: string[] }) => t.parts[t.parts.length - 1].endsWith(' ');
  const trimEnd = () => {
    const last = lastText();
    if (!last || !endsWithSpace(last)) return;
    const parts = last.parts;
    parts[parts.length - 1] = parts[parts.length - 1].slice(0, -1);
    if (!parts[parts.length - 1]) parts.pop();
    if (!parts.length) out.pop();
  };
  for (const item of items) {
    if (item.type !== 'text') {
      trimEnd();
      out.push({ node: item, parts: [] });
      continue;
    }
    const last = lastText();
    let text = item.text ?? '';
    if (text.startsWith(' ') && (!last || endsWithSpace(last))) text = text.slice(1);
    if (!text) continue;
    if (last && JSON.stringify(last.node.marks) === JSON.stringify(item.marks)) last.parts.push(text);
    else out.push({ node: textNode('', item.marks ?? []), parts: [text] });
  }
  trimEnd();
  while (out.length && out[out.length - 1].node.type === 'hardBreak') {
    out.pop();
    trimEnd();
  }
  return out.map(({ node, parts }) => (node.type === 'text' ? { ...node, text: parts.join('') } : node));
}

type Wrap = (content: JsonNode[]) => JsonNode;
const paragraphWrap: Wrap = (content) => ({ type: 'paragraph', content });
const headingWrap =
  (level: number): Wrap =>
  (content) => ({ type: 'heading', attrs: { level }, content });

/** Collects blocks; inline content between blocks is wrapped (in a paragraph, unless inside a heading). */
class Blocks {
  readonly out: JsonNode[] = [];
  private pending: JsonNode[] = [];
  constructor(public wrap: Wrap = paragraphWrap) {}

  inline(node: JsonNode) {
    this.pending.push(node);
  }

  block(node: JsonNode) {
    this.flush();
    this.out.push(node);
  }

  flush() {
    const content = finishInline(this.pending);
    this.pending = [];
    if (content.length) this.out.push(this.wrap(content));
  }

  /** Flushes and returns the blocks collected. */
  done(): JsonNode[] {
    this.flush();
    return this.out;
  }
}

const isText = (node: ChildNode): node is Text => node.type === ElementType.Text;
const isElement = (node: ChildNode): node is Element => ElementType.isTag(node);
const isWhitespaceText = (node: ChildNode) => isText(node) && !/[^ \t\n\f\r]/.test(node.data);

function walkAll(nodes: ChildNode[], marks: Mark[], into: Blocks) {
  for (const node of nodes) walk(node, marks, into);
}

function walk(node: ChildNode, marks: Mark[], into: Blocks): void {
  if (isText(node)) {
    if (node.data) into.inline(textNode(collapse(node.data), marks));
    return;
  }
  if (!isElement(node)) return; // comments, directives, CDATA
  const name = node.name;

  const markType = MARK_TAGS[name];
  if (markType) return walkAll(node.children, addMark(marks, { type: markType }), into);
  if (name in HEADINGS) return container(node, marks, into, headingWrap(HEADINGS[name]));

  switch (name) {
    case 'a': {
      const href = (node.attribs.href ?? '').trim();
      const linked = href && isSafeHref(href) ? addMark(marks, { type: 'link', attrs: { href } }) : marks;
      return walkAll(node.children, linked, into);
    }
    case 'br':
      return into.inline({ type: 'hardBreak' });
    case 'img': {
      const alt = node.attribs.alt;
      if (alt !== undefined && !collapse(alt).trim()) return;
      const link = marks.filter((m) => m.type === 'link');
      return into.block({ type: 'figure', content: [textNode(imageFigureText(collapse(alt ?? '')), link)] });
    }
    case 'p':
    case 'caption':
      return container(node, marks, into, paragraphWrap);
    case 'hr':
      return into.block({ type: 'horizontalRule' });
    case 'pre': {
      const text = preText(node.children).replace(/\r\n?/g, '\n').replace(/^\n/, '').replace(/\n$/, '');
      if (text) into.block({ type: 'codeBlock', content: [{ type: 'text', text }] });
      else into.flush();
      return;
    }
    case 'blockquote': {
      const inner = new Blocks();
      walkAll(node.children, marks, inner);
      const content = inner.done();
      if (content.length) into.block({ type: 'blockquote', content });
      else into.flush();
      return;
    }
    case 'ul':
    case 'ol':
      return list(node, marks, into);
    case 'table':
      return table(node, marks, into);
    case 'tr':
      return flatRow(cells(node, marks), into);
    default:
      if (CONTAINER_TAGS.includes(name)) return container(node, marks, into, into.wrap);
      // span and anything else: transparent inline.
      return walkAll(node.children, marks, into);
  }
}

/** A block-level element without a node of its own: its content, wrapped with `wrap`, between block boundaries. */
function container(node: Element, marks: Mark[], into: Blocks, wrap: Wrap) {
  into.flush();
  const outer = into.wrap;
  into.wrap = wrap;
  walkAll(node.children, marks, into);
  into.flush();
  into.wrap = outer;
}

function preText(nodes: ChildNode[]): string {
  return nodes
    .map((n) => (isText(n) ? n.data : isElement(n) ? (n.name === 'br' ? '\n' : preText(n.children)) : ''))
    .join('');
}

function listItem(blocks: JsonNode[]): JsonNode {
  const content = [...blocks];
  const first = content[0];
  if (first?.type === 'heading') content[0] = { type: 'paragraph', content: first.content };
  else if (first?.type !== 'paragraph') content.unshift({ type: 'paragraph' });
  return { type: 'listItem', content };
}

function list(node: Element, marks: Mark[], into: Blocks) {
  const items: Blocks[] = [];
  let inStray = false;
  for (const child of node.children) {
    if (isElement(child) && child.name === 'li') {
      const item = new Blocks();
      walkAll(child.children, marks, item);
      items.push(item);
      inStray = false;
    } else if (!isWhitespaceText(child)) {
      // Stray content (often a nested list written as a sibling of its item) joins the previous item,
      // as blocks of its own.
      if (!items.length) items.push(new Blocks());
      const last = items[items.length - 1];
      if (!inStray) last.flush();
      inStray = true;
      walk(child, marks, last);
    }
  }
  if (!items.length) return into.flush();
  const content = items.map((item) => listItem(item.done()));
  if (node.name === 'ol') {
    const start = parseInt(node.attribs.start ?? '', 10);
    into.block({ type: 'orderedList', attrs: { start: Number.isSafeInteger(start) ? start : 1 }, content });
  } else {
    into.block({ type: 'bulletList', content });
  }
}

/** The inline content of a block tree, blocks separated by spaces (for table cells). */
function flatten(blocks: JsonNode[]): JsonNode[] {
  const out: JsonNode[] = [];
  for (const b of blocks) {
    let inline: JsonNode[];
    if (b.type === 'paragraph' || b.type === 'heading' || b.type === 'figure') inline = b.content ?? [];
    else if (b.type === 'codeBlock') inline = [textNode(collapse(b.content?.[0]?.text ?? ''), [{ type: 'code' }])];
    else inline = flatten(b.content ?? []);
    if (!inline.length) continue;
    if (out.length) out.push(textNode(' ', []));
    out.push(...inline);
  }
  return out;
}

interface Cell {
  type: 'tableCell' | 'tableHeader';
  blocks: JsonNode[];
}

/** The cells of a row, each with its blocks; stray content between cells is a cell of its own. */
function cells(node: Element, marks: Mark[]): Cell[] {
  const out: Cell[] = [];
  let stray: Blocks | null = null;
  const endStray = () => {
    if (stray) out.push({ type: 'tableCell', blocks: stray.done() });
    stray = null;
  };
  for (const child of node.children) {
    if (isElement(child) && (child.name === 'td' || child.name === 'th')) {
      endStray();
      const cell = new Blocks();
      walkAll(child.children, marks, cell);
      out.push({ type: child.name === 'th' ? 'tableHeader' : 'tableCell', blocks: cell.done() });
    } else if (!isWhitespaceText(child)) {
      stray ??= new Blocks();
      walk(child, marks, stray);
    }
  }
  endStray();
  return out;
}

/** A row as one paragraph, its non-empty cells' text joined by " · ". */
function flatRow(row: Cell[], into: Blocks) {
  const items: JsonNode[] = [];
  for (const cell of row.map((c) => flatten(c.blocks)).filter((c) => c.length)) {
    if (items.length) items.push(textNode(' · ', []));
    items.push(...cell);
  }
  into.flush();
  const content = finishInline(items);
  if (content.length) into.block(paragraphWrap(content));
}

const cellNode = (type: Cell['type'], blocks: JsonNode[]): JsonNode => ({ type, content: blocks.length ? blocks : [{ type: 'paragraph' }] });

function table(node: Element, marks: Mark[], into: Blocks) {
  const rows: Cell[][] = [];
  const visit = (children: ChildNode[]) => {
    for (const child of children) {
      if (isElement(child) && child.name === 'tr') {
        const row = cells(child, marks);
        if (row.length) rows.push(row);
      } else if (isElement(child) && (child.name === 'thead' || child.name === 'tbody' || child.name === 'tfoot')) visit(child.children);
      else if (isElement(child) && child.name === 'caption') container(child, marks, into, paragraphWrap);
      else if (!isWhitespaceText(child)) walk(child, marks, into);
    }
  };
  visit(node.children);
  if (!rows.length) return into.flush();
  const width = Math.max(...rows.map((r) => r.length));
  const count = rows.reduce((n, r) => n + r.length, 0);
  // Padding is bounded by the cells there are: the grid may at most double them.
  if (rows.length * width > 2 * count) {
    for (const row of rows) flatRow(row, into);
    return;
  }
  const content = rows.map((row) => {
    const out = row.map((c) => cellNode(c.type, c.blocks));
    while (out.length < width) out.push(cellNode('tableCell', []));
    return { type: 'tableRow', content: out };
  });
  into.block({ type: 'table', content });
}

export function htmlToDoc(source: string): JsonNode {
  const clean = sanitizeHtml(source, SANITIZE);
  const dom = parseDocument(clean, { decodeEntities: true, ...PARSER });
  const root = new Blocks();
  walkAll(dom.children, [], root);
  const content = root.done();
  return { type: 'doc', content: content.length ? content : [{ type: 'paragraph' }] };
}
