/**
 * The article schema: the one list of Tiptap extensions the reader renders, the admin's revision
 * editor edits, and the server validates revision JSON against. StarterKit: headings,
 * paragraphs, bulleted and numbered lists, quotes, code, rules, hard breaks; bold, italic,
 * strike, underline, code, links (http, https, mailto only).
 */
import { getSchema, type Extensions } from '@tiptap/core';
import type { Node as PMNode, Schema } from '@tiptap/pm/model';
import StarterKit from '@tiptap/starter-kit';
import type { JsonNode } from './document-text';
import { AppError } from './errors';
import { checkedDoc } from './links';

/** Plain text of one revision may not exceed this many UTF-16 code units (about 2 MiB of text). */
export const MAX_ARTICLE_CHARS = 2 * 1024 * 1024;

export function articleExtensions(opts: { editable?: boolean } = {}): Extensions {
  return [
    StarterKit.configure({
      link: {
        openOnClick: !opts.editable,
        autolink: !!opts.editable,
        defaultProtocol: 'https',
        protocols: ['mailto'],
        isAllowedUri: (url) => /^(https?:|mailto:)/i.test(url),
      },
    }),
  ];
}

let cached: Schema | null = null;
export function articleSchema(): Schema {
  cached ??= getSchema(articleExtensions());
  return cached;
}

/** Validates untrusted Tiptap JSON as an article: schema-checked, unsafe links removed, not empty. */
export function parseArticleContent(input: unknown): { content: JsonNode; node: PMNode } {
  const node = checkedDoc(articleSchema(), input, { field: 'content', label: 'Content', schemaName: 'article' });
  if (!node.textContent.trim()) throw new AppError('bad_request', 'The document is empty', [{ path: ['content'], message: 'write something first' }]);
  return { content: node.toJSON() as JsonNode, node };
}
