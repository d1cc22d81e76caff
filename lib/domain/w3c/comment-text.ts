/**
 * An imported comment's text (a W3C TextualBody: HTML, Markdown or plain text) made into a
 * comment editor document, which the server then checks, renders and sanitises like any comment
 * (comment-body.ts `parseCommentBody`). HTML keeps what comments can hold: paragraphs, line
 * breaks, bold, italic, http(s)/mailto links and lists; every other element gives its text only.
 * Markdown and plain text become paragraphs (a blank line between them) with line breaks.
 */
import { Parser } from 'htmlparser2';
import type { JsonNode } from '../document-text';
import { depthCappedTokenizer } from '../html-import-tokenizer';

type Mark = { type: string; attrs?: Record<string, unknown> };
const PARSER = { Tokenizer: depthCappedTokenizer(64), decodeEntities: true };
const MARK_TAGS: Record<string, string> = { b: 'bold', strong: 'bold', i: 'italic', em: 'italic' };

const para = (content: JsonNode[]): JsonNode => (content.length ? { type: 'paragraph', content } : { type: 'paragraph' });

export function plainTextDoc(text: string): JsonNode {
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n{2,}/).map((p) => p.trim()).filter(Boolean);
  return {
    type: 'doc',
    content: paragraphs.map((p) => para(p.split('\n').flatMap((line, i) => [...(i ? [{ type: 'hardBreak' }] : []), ...(line ? [{ type: 'text', text: line }] : [])]))),
  };
}

export function htmlDoc(html: string): JsonNode {
  const blocks: JsonNode[] = [];
  /** Open lists (each holding its items) and the paragraph being filled. */
  const lists: { node: JsonNode; items: JsonNode[] }[] = [];
  let inline: JsonNode[] = [];
  const marks: Mark[] = [];
  const flush = () => {
    while (inline.length && inline[inline.length - 1].type === 'hardBreak') inline.pop();
    if (!inline.some((n) => n.type === 'text' && n.text?.trim())) {
      inline = [];
      return;
    }
    const p = para(inline);
    inline = [];
    const list = lists[lists.length - 1];
    if (list) {
      const item = list.items[list.items.length - 1] ?? { type: 'listItem', content: [] };
      if (!list.items.length) list.items.push(item);
      item.content!.push(p);
    } else blocks.push(p);
  };
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (MARK_TAGS[name]) marks.push({ type: MARK_TAGS[name] });
        else if (name === 'a') {
          const href = attrs.href ?? '';
          marks.push(/^(https?:|mailto:)/i.test(href) ? { type: 'link', attrs: { href } } : { type: 'none' });
        } else if (name === 'br') inline.push({ type: 'hardBreak' });
        else if (name === 'p' || name === 'div' || /^h[1-6]$/.test(name) || name === 'blockquote') flush();
        else if (name === 'ul' || name === 'ol') {
          flush();
          lists.push({ node: { type: name === 'ul' ? 'bulletList' : 'orderedList' }, items: [] });
        } else if (name === 'li') {
          flush();
          lists[lists.length - 1]?.items.push({ type: 'listItem', content: [] });
        }
      },
      ontext(text) {
        const t = text.replace(/\s+/g, ' ');
        if (!t || (t === ' ' && !inline.length)) return;
        const m = marks.filter((x) => x.type !== 'none');
        inline.push(m.length ? { type: 'text', text: t, marks: m.map((x) => ({ ...x })) } : { type: 'text', text: t });
      },
      onclosetag(name) {
        if (MARK_TAGS[name] || name === 'a') marks.pop();
        else if (name === 'p' || name === 'div' || name === 'li' || /^h[1-6]$/.test(name) || name === 'blockquote') flush();
        else if (name === 'ul' || name === 'ol') {
          flush();
          const list = lists.pop();
          const items = list?.items.filter((i) => i.content!.length) ?? [];
          if (list && items.length) {
            const node = { ...list.node, content: items };
            const parent = lists[lists.length - 1];
            if (parent) {
              const item = parent.items[parent.items.length - 1];
              if (item) item.content!.push(node);
              else blocks.push(node);
            } else blocks.push(node);
          }
        }
      },
    },
    PARSER,
  );
  parser.write(html);
  parser.end();
  flush();
  // Text nodes trimmed at paragraph edges (the editor's own output never starts with a space).
  for (const b of blocks) trimEdges(b);
  return { type: 'doc', content: blocks };
}

function trimEdges(node: JsonNode): void {
  if (node.type !== 'paragraph') return node.content?.forEach(trimEdges);
  const c = node.content ?? [];
  if (c[0]?.type === 'text') c[0].text = c[0].text!.replace(/^\s+/, '');
  const last = c[c.length - 1];
  if (last?.type === 'text') last.text = last.text!.replace(/\s+$/, '');
  node.content = c.filter((n) => n.type !== 'text' || n.text);
  if (!node.content.length) delete node.content;
}

/** A body's text as a comment document, by its declared format (HTML when it looks like HTML). */
export function commentDoc(value: string, format: string | undefined): JsonNode {
  const isHtml = format ? /html/i.test(format) : /<\/?(p|br|strong|em|a|ul|ol|li|b|i|div)\b/i.test(value);
  return isHtml ? htmlDoc(value) : plainTextDoc(value);
}
