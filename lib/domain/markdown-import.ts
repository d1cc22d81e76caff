/**
 * Markdown -> Tiptap JSON, for seeding the default article and importing documents.
 *
 * `marked` tokenises (CommonMark + GFM); this module maps its tokens onto the article schema
 * (StarterKit nodes and marks: headings, paragraphs, lists, blockquotes, code, rules; bold,
 * italic, strike, code, links). Raw HTML in Markdown is not trusted: it is kept as literal text.
 * Soft line breaks become spaces, hard breaks `hardBreak` nodes; entities are decoded.
 */
import { marked, type Token, type Tokens } from 'marked';
import type { JsonNode } from './document-text';
import { isSafeHref } from './links';

export { isSafeHref };

type Mark = NonNullable<JsonNode['marks']>[number];

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0',
  ndash: '–', mdash: '—', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', hellip: '…',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? m;
  });
}

function textNode(text: string, marks: Mark[]): JsonNode | null {
  if (!text) return null;
  return marks.length ? { type: 'text', text, marks } : { type: 'text', text };
}

/** Marks plus one more; a mark of the same type already there is replaced (ProseMirror allows each once). */
function withMark(marks: Mark[], mark: Mark): Mark[] {
  return [...marks.filter((m) => m.type !== mark.type), mark];
}

function inline(tokens: Token[] | undefined, marks: Mark[] = []): JsonNode[] {
  const out: JsonNode[] = [];
  const add = (n: JsonNode | null) => {
    if (!n) return;
    const last = out[out.length - 1];
    // Merge adjacent text with identical marks, so the document stays compact.
    if (n.type === 'text' && last?.type === 'text' && JSON.stringify(last.marks) === JSON.stringify(n.marks)) {
      last.text = (last.text ?? '') + (n.text ?? '');
    } else out.push(n);
  };
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'text':
        if ('tokens' in t && t.tokens?.length) inline(t.tokens, marks).forEach(add);
        else add(textNode(decodeEntities(t.text).replace(/\n/g, ' '), marks));
        break;
      case 'escape':
        add(textNode(t.text, marks));
        break;
      case 'strong':
        inline(t.tokens, withMark(marks, { type: 'bold' })).forEach(add);
        break;
      case 'em':
        inline(t.tokens, withMark(marks, { type: 'italic' })).forEach(add);
        break;
      case 'del':
        inline(t.tokens, withMark(marks, { type: 'strike' })).forEach(add);
        break;
      case 'codespan':
        // Code is literal: CommonMark does not recognise entities in code spans (marked leaves the text raw).
        // The schema's code mark excludes every other mark (as ProseMirror's own parser does, code wins).
        add(textNode(t.text, [{ type: 'code' }]));
        break;
      case 'link': {
        const href = (t as Tokens.Link).href;
        const linkMarks = isSafeHref(href) ? withMark(marks, { type: 'link', attrs: { href } }) : marks;
        inline(t.tokens, linkMarks).forEach(add);
        break;
      }
      case 'br':
        out.push({ type: 'hardBreak' });
        break;
      default:
        // html, image and anything unknown: keep what the author wrote as literal text.
        add(textNode(decodeEntities('text' in t && typeof t.text === 'string' ? t.text : t.raw), marks));
    }
  }
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

function paragraph(content: JsonNode[]): JsonNode {
  return content.length ? { type: 'paragraph', content } : { type: 'paragraph' };
}

function blocks(tokens: Token[]): JsonNode[] {
  const out: JsonNode[] = [];
  for (const t of tokens) {
    switch (t.type) {
      case 'space':
        break;
      case 'heading':
        out.push({ type: 'heading', attrs: { level: Math.min(6, Math.max(1, t.depth)) }, content: inline(t.tokens) });
        break;
      case 'paragraph':
        out.push(paragraph(inline(t.tokens)));
        break;
      case 'text':
        out.push(paragraph(inline('tokens' in t && t.tokens ? t.tokens : [t])));
        break;
      case 'list': {
        const list = t as Tokens.List;
        const items = list.items.map((item) => {
          return { type: 'listItem', content: listItemContent(blocks(item.tokens)) };
        });
        out.push(
          list.ordered
            ? { type: 'orderedList', attrs: { start: typeof list.start === 'number' ? list.start : 1 }, content: items }
            : { type: 'bulletList', content: items },
        );
        break;
      }
      case 'blockquote': {
        const content = blocks(t.tokens ?? []);
        out.push({ type: 'blockquote', content: content.length ? content : [paragraph([])] });
        break;
      }
      case 'code':
        out.push({ type: 'codeBlock', content: t.text ? [{ type: 'text', text: t.text }] : undefined });
        break;
      case 'hr':
        out.push({ type: 'horizontalRule' });
        break;
      default: {
        const raw = ('text' in t && typeof t.text === 'string' ? t.text : t.raw).trim();
        if (raw) out.push(paragraph([{ type: 'text', text: raw }]));
      }
    }
  }
  return out;
}

export function markdownToDoc(markdown: string): JsonNode {
  const content = blocks(marked.lexer(markdown.replace(/\r\n?/g, '\n')));
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
