/**
 * Comment bodies: Tiptap JSON in, validated JSON + plain text + sanitised HTML out.
 *
 * 1. The JSON is parsed with the comment editor's own ProseMirror schema (comment-schema.ts) and
 *    checked: unknown nodes or marks, wrong nesting, bad attributes are refused.
 * 2. Link marks whose href is not http, https or mailto are removed (the text stays); links keep
 *    only their href and numbered lists only an integer start.
 * 3. HTML is rendered here from the checked tree, every text escaped, and then passed through an
 *    allowlist sanitiser as a second wall. Raw HTML from a client is never stored or echoed.
 *
 * (@tiptap/html and @tiptap/static-renderer would render it too, but they pin an older
 * @tiptap/core than the editor uses; the renderer below covers exactly the schema above.)
 */
import type { Node as PMNode } from '@tiptap/pm/model';
import sanitizeHtml from 'sanitize-html';
import { MAX_COMMENT_CHARS } from './comment-draft';
import { commentSchema } from './comment-schema';
import type { JsonNode } from './document-text';
import { AppError } from './errors';
import { checkedDoc } from './links';
import { findUnsafeString } from './text';

export { MAX_COMMENT_CHARS };

export interface CommentContent {
  body: JsonNode;
  text: string;
  html: string;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function renderMarks(node: PMNode, inner: string): string {
  let html = inner;
  for (const mark of [...node.marks].reverse()) {
    if (mark.type.name === 'bold') html = `<strong>${html}</strong>`;
    else if (mark.type.name === 'italic') html = `<em>${html}</em>`;
    else if (mark.type.name === 'link') {
      html = `<a href="${escapeHtml(String(mark.attrs.href))}" rel="noopener noreferrer nofollow" target="_blank">${html}</a>`;
    }
  }
  return html;
}

function render(node: PMNode): string {
  const children = () => {
    let s = '';
    node.forEach((child) => (s += render(child)));
    return s;
  };
  switch (node.type.name) {
    case 'doc':
      return children();
    case 'paragraph':
      return `<p>${children()}</p>`;
    case 'bulletList':
      return `<ul>${children()}</ul>`;
    case 'orderedList': {
      const start = Number(node.attrs.start);
      return Number.isInteger(start) && start !== 1 ? `<ol start="${start}">${children()}</ol>` : `<ol>${children()}</ol>`;
    }
    case 'listItem':
      return `<li>${children()}</li>`;
    case 'hardBreak':
      return '<br>';
    case 'text':
      return renderMarks(node, escapeHtml(node.text ?? ''));
    default:
      return '';
  }
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'a', 'ul', 'ol', 'li'],
  allowedAttributes: { a: ['href', 'rel', 'target'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
};

export function sanitizeCommentHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE);
}

/** Validates a comment body and derives its stored forms. Throws AppError 400 / 413. */
export function parseCommentBody(input: unknown): CommentContent {
  // Text nodes, hrefs and every other string must be storable (no NUL, no lone surrogate). The
  // API schema checks this too; here it also holds for any other caller.
  const unsafe = findUnsafeString(input, ['body']);
  if (unsafe) throw new AppError('bad_request', 'Comment body has text that cannot be stored', [{ path: unsafe.path.map(String), message: unsafe.message }]);
  const node = checkedDoc(commentSchema(), input, { field: 'body', label: 'Comment body', schemaName: 'comment editor' });
  const text = node.textBetween(0, node.content.size, '\n', '\n');
  if (text.length > MAX_COMMENT_CHARS) {
    throw new AppError('payload_too_large', `A comment may have at most ${MAX_COMMENT_CHARS.toLocaleString('en')} characters of text`, { limit: MAX_COMMENT_CHARS, length: text.length });
  }
  if (!text.trim()) throw new AppError('bad_request', 'Comment is empty', [{ path: ['body'], message: 'write something first' }]);
  return { body: node.toJSON() as JsonNode, text, html: sanitizeCommentHtml(render(node)) };
}
