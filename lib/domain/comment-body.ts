/**
 * Comment bodies: Tiptap JSON in, validated JSON + plain text + sanitised HTML out.
 *
 * 1. The JSON is parsed with the comment editor's own ProseMirror schema (comment-schema.ts) and
 *    checked: unknown nodes or marks, wrong nesting, bad attributes are refused.
 * 2. Link marks whose href is not http, https or mailto are removed (the text stays); links keep
 *    only their href and numbered lists only an integer start.
 * 3. HTML is rendered here from the checked tree, every text escaped, and then passed through an
 *    allowlist sanitiser as a second wall. Raw HTML from a client is never stored or echoed.
 * 4. Mentions (`{ type: 'mention', attrs: { id, label } }`) must name users the caller looked up
 *    (`names`: id -> current name); the label is replaced by that name, so a mention can never
 *    show one person's name while notifying another. Rendered as
 *    `<span class="mention" data-user-id="…">@Name</span>`. Without `names`, no mention is accepted.
 *
 * (@tiptap/html and @tiptap/static-renderer would render it too, but they pin an older
 * @tiptap/core than the editor uses; the renderer below covers exactly the schema above.)
 */
import type { Node as PMNode } from '@tiptap/pm/model';
import sanitizeHtml from 'sanitize-html';
import { commentText, MAX_COMMENT_CHARS } from './comment-draft';
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
  /** The ids of the users the comment mentions, each once, in order of appearance. */
  mentions: string[];
}

/** What a mention's id may look like (a user id: letters, digits, `_` and `-`). */
const MENTION_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Mentions one comment may hold (each a notification). */
export const MAX_MENTIONS = 50;

/**
 * The user ids an untrusted comment body mentions (before it is checked), so the caller can look
 * them up before parseCommentBody. Malformed mentions are left for parseCommentBody to refuse.
 */
export function mentionIdsOf(input: unknown): string[] {
  const ids = new Set<string>();
  const stack: unknown[] = [input];
  // Iterative, and bounded by the body's size: the body was already read within its byte limit.
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    const node = n as { type?: unknown; attrs?: { id?: unknown }; content?: unknown };
    if (node.type === 'mention' && typeof node.attrs?.id === 'string' && MENTION_ID.test(node.attrs.id)) ids.add(node.attrs.id);
    if (Array.isArray(node.content)) for (let i = node.content.length - 1; i >= 0; i--) stack.push(node.content[i]);
  }
  return [...ids];
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
    case 'mention':
      return renderMarks(node, `<span class="mention" data-user-id="${escapeHtml(String(node.attrs.id))}">@${escapeHtml(String(node.attrs.label ?? ''))}</span>`);
    default:
      return '';
  }
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'a', 'ul', 'ol', 'li', 'span'],
  allowedAttributes: { a: ['href', 'rel', 'target'], ol: ['start'], span: ['class', 'data-user-id'] },
  allowedClasses: { span: ['mention'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
};

export function sanitizeCommentHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE);
}

const badMention = (message: string) => new AppError('bad_request', 'Comment body has a malformed mention', [{ path: ['body'], message }]);

/**
 * Checks every mention of a checked body and gives each the name `names` has for it; returns the
 * body with those labels and the ids in order. 422 for a mention of someone who is not a user.
 */
function resolveMentions(node: PMNode, names: ReadonlyMap<string, string> | null): { node: PMNode; mentions: string[] } {
  const mentions: string[] = [];
  const unknown: string[] = [];
  node.descendants((n) => {
    if (n.type.name !== 'mention') return true;
    const id: unknown = n.attrs.id;
    if (typeof id !== 'string' || !MENTION_ID.test(id)) throw badMention('a mention needs the id of a user');
    if (n.attrs.label !== null && typeof n.attrs.label !== 'string') throw badMention('a mention label is text');
    if (!names?.has(id)) unknown.push(id);
    else if (!mentions.includes(id)) mentions.push(id);
    return false;
  });
  if (unknown.length) {
    throw new AppError('unprocessable', 'A mention names someone who is not a member of the team', { field: 'body', ids: [...new Set(unknown)].slice(0, 10) });
  }
  if (mentions.length > MAX_MENTIONS) throw new AppError('unprocessable', `A comment may mention at most ${MAX_MENTIONS} people`, { field: 'body', limit: MAX_MENTIONS });
  if (!mentions.length || !names) return { node, mentions };
  const relabel = (json: JsonNode): JsonNode =>
    json.type === 'mention'
      ? { ...json, attrs: { id: json.attrs?.id, label: names.get(String(json.attrs?.id)) } }
      : json.content ? { ...json, content: json.content.map(relabel) } : json;
  return { node: node.type.schema.nodeFromJSON(relabel(node.toJSON() as JsonNode)), mentions };
}

/**
 * Validates a comment body and derives its stored forms. Throws AppError 400 / 413, and 422 for a
 * mention of an id that `names` (id -> the user's name, looked up by the caller) does not hold.
 */
export function parseCommentBody(input: unknown, names: ReadonlyMap<string, string> | null = null): CommentContent {
  // Text nodes, hrefs and every other string must be storable (no NUL, no lone surrogate). The
  // API schema checks this too; here it also holds for any other caller.
  const unsafe = findUnsafeString(input, ['body']);
  if (unsafe) throw new AppError('bad_request', 'Comment body has text that cannot be stored', [{ path: unsafe.path.map(String), message: unsafe.message }]);
  const checked = checkedDoc(commentSchema(), input, { field: 'body', label: 'Comment body', schemaName: 'comment editor' });
  const { node, mentions } = resolveMentions(checked, names);
  const text = commentText(node);
  if (text.length > MAX_COMMENT_CHARS) {
    throw new AppError('payload_too_large', `A comment may have at most ${MAX_COMMENT_CHARS.toLocaleString('en')} characters of text`, { limit: MAX_COMMENT_CHARS, length: text.length });
  }
  if (!text.trim()) throw new AppError('bad_request', 'Comment is empty', [{ path: ['body'], message: 'write something first' }]);
  return { body: node.toJSON() as JsonNode, text, html: sanitizeCommentHtml(render(node)), mentions };
}
