/**
 * What the comment composer works out before posting, as pure functions the browser and tests
 * share (the server stays the authority: lib/domain/comment-body.ts checks and sanitises again).
 *
 * - The length of a comment, counted exactly as the server counts it (the text of the checked
 *   document, blocks and hard breaks as "\n"), and the counter shown near the limit.
 * - A URL typed at the very end of a comment becomes a link: Tiptap's autolink only links a URL
 *   once a space follows it, so one typed last and posted with Ctrl+Enter stayed plain text.
 */
import type { Node as PMNode } from '@tiptap/pm/model';
import type { JsonNode } from './document-text';
import { isSafeHref } from './links';

/** Most characters of text a comment may have (the server refuses longer ones with 413). */
export const MAX_COMMENT_CHARS = 20_000;

/** The counter appears from this share of the limit on. */
export const COUNTER_FROM = 0.9;

/** A comment's plain text as the server stores it: blocks and hard breaks "\n", a mention "@Name". */
export function commentText(doc: PMNode): string {
  return doc.textBetween(0, doc.content.size, '\n', (leaf) => (leaf.type.name === 'mention' ? `@${String(leaf.attrs.label ?? '')}` : '\n'));
}

/** A comment's length as the server counts it. */
export function commentLength(doc: PMNode): number {
  return commentText(doc).length;
}

export interface Counter {
  /** Whether to show the counter at all. */
  show: boolean;
  over: boolean;
  /** "18,500 / 20,000". */
  label: string;
  /**
   * What a screen reader is told: it changes only when the comment crosses into the counter's
   * range or past the limit (and back), so it is announced then, not on every keystroke.
   */
  announcement: string;
}

export function commentCounter(length: number, limit = MAX_COMMENT_CHARS): Counter {
  const show = length >= Math.floor(limit * COUNTER_FROM);
  const over = length > limit;
  const fmt = (n: number) => n.toLocaleString('en');
  const label = over ? `${fmt(length)} / ${fmt(limit)}: ${fmt(length - limit)} too many` : `${fmt(length)} / ${fmt(limit)}`;
  const announcement = over
    ? `The comment is longer than ${fmt(limit)} characters; shorten it to post.`
    : show
      ? `The comment is nearing the limit of ${fmt(limit)} characters.`
      : '';
  return { show, over, label, announcement };
}

/** Closing punctuation that ends a sentence rather than a URL (a ")" only when unbalanced). */
function trimUrl(url: string): string {
  let out = url;
  for (;;) {
    const last = out[out.length - 1];
    if ('.,;:!?\'"'.includes(last)) out = out.slice(0, -1);
    else if (last === ')' && (out.match(/\(/g) ?? []).length < (out.match(/\)/g) ?? []).length) out = out.slice(0, -1);
    else if (last === ']' && (out.match(/\[/g) ?? []).length < (out.match(/\]/g) ?? []).length) out = out.slice(0, -1);
    else return out;
  }
}

/** An http(s) URL with a host, as the server's sanitiser will keep it. */
function linkable(url: string): boolean {
  if (!/^https?:\/\//i.test(url) || !isSafeHref(url)) return false;
  try {
    return new URL(url).hostname.length > 0;
  } catch {
    return false;
  }
}

/** The last textblock of a comment (the last paragraph, inside the last list item if it ends with a list). */
function lastTextblock(doc: JsonNode): JsonNode | null {
  let node: JsonNode | undefined = doc;
  while (node && node.type !== 'paragraph') node = node.content?.[node.content.length - 1];
  return node ?? null;
}

/**
 * A copy of a comment in which an http(s) URL ending the comment (after a space, an opening
 * bracket or quote, a line break or at the start of its paragraph; trailing sentence punctuation
 * excluded) carries a link mark.
 * Anything else, including a URL already linked, is returned as it was.
 */
export function linkTrailingUrl(doc: JsonNode): JsonNode {
  const copy = structuredClone(doc);
  const block = lastTextblock(copy);
  const content = block?.content;
  const last = content?.[content.length - 1];
  if (!content || last?.type !== 'text' || !last.text || last.marks?.some((m) => m.type === 'link')) return doc;
  const match = /(^|[\s([<"'])(https?:\/\/\S+)$/i.exec(last.text);
  if (!match) return doc;
  const start = match.index + match[1].length;
  // A URL starting this text node must not be the tail of a word in the node before it.
  const before = content[content.length - 2];
  if (start === 0 && before?.type === 'text' && !/[\s([<"']$/.test(before.text ?? '')) return doc;
  const url = trimUrl(match[2]);
  if (!linkable(url)) return doc;
  const marks = last.marks ?? [];
  const text = (t: string, m: JsonNode['marks']): JsonNode[] => (t ? [m && m.length ? { type: 'text', text: t, marks: m } : { type: 'text', text: t }] : []);
  const parts = [
    ...text(last.text.slice(0, start), marks),
    ...text(url, [...marks, { type: 'link', attrs: { href: url } }]),
    ...text(last.text.slice(start + url.length), marks),
  ];
  content.splice(content.length - 1, 1, ...parts);
  return copy;
}
