/**
 * The article schema: the one list of Tiptap extensions the reader renders, the admin's revision
 * editor edits, and the server validates revision JSON against. StarterKit: headings,
 * paragraphs, bulleted and numbered lists, quotes, code, rules, hard breaks; bold, italic,
 * strike, underline, code, links (http, https, mailto only). Plus tables (without merged cells)
 * and image figures (the alt text, never the image), from ./article-nodes.
 */
import { getSchema, type Extensions } from '@tiptap/core';
import type { Node as PMNode, Schema } from '@tiptap/pm/model';
import StarterKit from '@tiptap/starter-kit';
import { Figure, Table, TableCell, TableHeader, TableRow, unevenTable } from './article-nodes';
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
    Table.configure({ editable: !!opts.editable }),
    TableRow,
    TableHeader.configure({ editable: !!opts.editable }),
    TableCell.configure({ editable: !!opts.editable }),
    Figure,
  ];
}

let cached: Schema | null = null;
export function articleSchema(): Schema {
  cached ??= getSchema(articleExtensions());
  return cached;
}

/**
 * Deeper than any article the importers or the editor produce (they flatten at 40 levels of
 * Markdown blocks, 100 of HTML elements); deeper JSON is refused before anything recurses into it.
 */
export const MAX_CONTENT_DEPTH = 200;

/** Refuses (400) untrusted JSON nested deeper than MAX_CONTENT_DEPTH, walking it without recursion. */
export function checkContentDepth(input: unknown): void {
  const values: unknown[] = [input];
  const depths: number[] = [1];
  while (values.length) {
    const value = values.pop();
    const depth = depths.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_CONTENT_DEPTH) {
      throw new AppError('bad_request', 'Content does not fit the article schema', [{ path: ['content'], message: `nested more than ${MAX_CONTENT_DEPTH} levels deep` }]);
    }
    for (const key in value) {
      const child = (value as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
}

/** Validates untrusted Tiptap JSON as an article: schema-checked, unsafe links removed, tables rectangular, not empty. */
export function parseArticleContent(input: unknown): { content: JsonNode; node: PMNode } {
  const node = checkedDoc(articleSchema(), input, { field: 'content', label: 'Content', schemaName: 'article' });
  const uneven = unevenTable(node);
  if (uneven) throw new AppError('bad_request', 'Content does not fit the article schema', [{ path: ['content'], message: uneven }]);
  if (!node.textContent.trim()) throw new AppError('bad_request', 'The document is empty', [{ path: ['content'], message: 'write something first' }]);
  return { content: node.toJSON() as JsonNode, node };
}
