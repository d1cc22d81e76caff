import { getSchema } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { imageFigureText } from './article-nodes';
import { articleExtensions, parseArticleContent } from './article-schema';
import type { JsonNode } from './document-text';
import { AppError } from './errors';
import { markdownToDoc } from './markdown-import';

const p = (t?: string): JsonNode => (t ? { type: 'paragraph', content: [{ type: 'text', text: t }] } : { type: 'paragraph' });
const cell = (t?: string, attrs?: Record<string, unknown>): JsonNode => ({ type: 'tableCell', ...(attrs ? { attrs } : {}), content: [p(t)] });
const row = (...cells: JsonNode[]): JsonNode => ({ type: 'tableRow', content: cells });
const doc = (...content: JsonNode[]): JsonNode => ({ type: 'doc', content });

function refusal(input: unknown): string {
  try {
    parseArticleContent(input);
  } catch (e) {
    if (e instanceof AppError) return JSON.stringify(e.details);
    throw e;
  }
  return 'accepted';
}

describe('tables in the article schema', () => {
  it('accepts a rectangular table and stores its cells without attributes', () => {
    const { content } = parseArticleContent(doc({ type: 'table', content: [row(cell('a'), cell('b')), row(cell('c'), cell())] }));
    expect(content.content![0]).toEqual({ type: 'table', content: [row(cell('a'), cell('b')), row(cell('c'), cell())] });
  });

  it('drops spans and widths a client sends (the stored table has no merged cells)', () => {
    const { content } = parseArticleContent(doc({ type: 'table', content: [row(cell('a', { colspan: 1e9, rowspan: 5, colwidth: [10] }))] }));
    expect(content.content![0].content![0].content![0]).toEqual(cell('a'));
  });

  it('refuses rows of different widths, tables without rows, rows without cells, cells without blocks', () => {
    expect(refusal(doc({ type: 'table', content: [row(cell('a'), cell('b')), row(cell('c'))] }))).toContain('table row 2 has 1 cells, the first row 2');
    expect(refusal(doc(p('x'), { type: 'table', content: [] }))).toContain('Invalid content for node table');
    expect(refusal(doc(p('x'), { type: 'table', content: [row()] }))).not.toBe('accepted');
    expect(refusal(doc({ type: 'table', content: [row({ type: 'tableCell', content: [] }, cell('x'))] }))).not.toBe('accepted');
    // Nested tables are checked too.
    const inner = { type: 'table', content: [row(cell('a')), row(cell('b'), cell('c'))] };
    expect(refusal(doc({ type: 'table', content: [row({ type: 'tableCell', content: [inner] })] }))).toContain('table row 2');
  });

  it('in the editor, cells have the attributes prosemirror-tables reads, fixed: a span is refused', () => {
    const editorSchema = getSchema(articleExtensions({ editable: true }));
    const node = editorSchema.nodeFromJSON(doc({ type: 'table', content: [row(cell('a'))] }));
    expect(node.firstChild!.firstChild!.firstChild!.attrs).toEqual({ colspan: 1, rowspan: 1, colwidth: null });
    expect(() => editorSchema.nodeFromJSON(doc({ type: 'table', content: [row(cell('a', { colspan: 2 }))] })).check()).toThrow(/merged cells/);
  });

  it('an imported table survives the editor round trip (editor JSON is accepted and stored as it was)', () => {
    const imported = parseArticleContent(markdownToDoc('| a | b |\n|---|---|\n| 1 | ![x](y) |\n\n![chart](c.png)')).content;
    const editorJson = getSchema(articleExtensions({ editable: true })).nodeFromJSON(imported).toJSON();
    expect(parseArticleContent(editorJson).content).toEqual(imported);
  });
});

describe('image figures', () => {
  it('say "Image: <alt>", or "Image" without alt text', () => {
    expect(imageFigureText('  a chart ')).toBe('Image: a chart');
    expect(imageFigureText('')).toBe('Image');
  });

  it('hold plain text with at most a link', () => {
    const link = { type: 'link', attrs: { href: 'https://x.test/' } };
    expect(refusal(doc({ type: 'figure', content: [{ type: 'text', text: 'Image: a', marks: [link] }] }))).toBe('accepted');
    expect(refusal(doc({ type: 'figure', content: [{ type: 'text', text: 'Image: a', marks: [{ type: 'bold' }] }] }))).not.toBe('accepted');
    expect(refusal(doc({ type: 'figure', content: [{ type: 'hardBreak' }] }))).not.toBe('accepted');
  });
});
