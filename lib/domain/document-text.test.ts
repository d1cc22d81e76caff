import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import type { Node as PMNode } from '@tiptap/pm/model';
import { articleSchema } from './article-schema';
import { buildTextIndex, type JsonNode, type TextIndex } from './document-text';
import { markdownToDoc } from './markdown-import';

const schema = articleSchema();
const toNode = (json: JsonNode) => schema.nodeFromJSON(json);
const leafText = (n: PMNode) => (n.type.name === 'hardBreak' ? '\n' : '');

const text = (t: string, marks?: JsonNode['marks']): JsonNode => (marks ? { type: 'text', text: t, marks } : { type: 'text', text: t });
const para = (...content: JsonNode[]): JsonNode => (content.length ? { type: 'paragraph', content } : { type: 'paragraph' });

const DOC: JsonNode = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 1 }, content: [text('Title – “one”')] },
    para(text('Plain '), text('bold', [{ type: 'bold' }]), text(' and '), text('link', [{ type: 'link', attrs: { href: 'https://x.test' } }]), text('.')),
    para(text('line one'), { type: 'hardBreak' }, text('line two 😀')),
    para(),
    {
      type: 'bulletList',
      content: [
        { type: 'listItem', content: [para(text('first item'))] },
        { type: 'listItem', content: [para(text('second'), { type: 'hardBreak' }, text('item’s end'))] },
      ],
    },
    { type: 'horizontalRule' },
    { type: 'heading', attrs: { level: 2 }, content: [text('Sub')] },
    { type: 'blockquote', content: [para(text('quoted'))] },
    { type: 'orderedList', attrs: { start: 1 }, content: [{ type: 'listItem', content: [para(text('numbered'))] }] },
    para(text('last')),
  ],
};

/** The property the module promises: every segment is the same text in the ProseMirror doc. */
function expectSegmentsMatch(json: JsonNode, index: TextIndex) {
  const node = toNode(json);
  expect(index.segments.length).toBeGreaterThan(0);
  for (const seg of index.segments) {
    const slice = index.text.slice(seg.from, seg.to);
    if (slice === '\n') {
      expect(node.nodeAt(seg.pos)?.type.name).toBe('hardBreak');
    } else {
      expect(node.textBetween(seg.pos, seg.pos + (seg.to - seg.from))).toBe(slice);
    }
  }
  // And the whole text is ProseMirror's own textBetween with "\n" between blocks.
  expect(index.text).toBe(node.textBetween(0, node.content.size, '\n', leafText));
}

describe('buildTextIndex', () => {
  const index = buildTextIndex(DOC);

  it('joins textblocks with "\\n", hard breaks as "\\n", empty paragraphs as empty lines', () => {
    expect(index.text).toBe(
      [
        'Title – “one”',
        'Plain bold and link.',
        'line one\nline two 😀',
        '',
        'first item',
        'second\nitem’s end',
        'Sub',
        'quoted',
        'numbered',
        'last',
      ].join('\n'),
    );
  });

  it('segments are ordered, non-overlapping, and never cover a block separator', () => {
    for (let i = 1; i < index.segments.length; i++) {
      expect(index.segments[i].from).toBeGreaterThanOrEqual(index.segments[i - 1].to);
      expect(index.segments[i].pos).toBeGreaterThan(index.segments[i - 1].pos);
    }
    const covered = new Set<number>();
    for (const s of index.segments) for (let o = s.from; o < s.to; o++) covered.add(o);
    const sepAfterTitle = 'Title – “one”'.length;
    expect(covered.has(sepAfterTitle)).toBe(false);
    expect(covered.has(index.text.indexOf('line one\n') + 8)).toBe(true); // the hard break
  });

  it('every segment maps onto the same text in a real ProseMirror doc', () => {
    expectSegmentsMatch(DOC, index);
  });

  it('gives an empty index for an empty document', () => {
    const empty = buildTextIndex({ type: 'doc', content: [para()] });
    expect(empty).toEqual({ text: '', segments: [] });
  });
});

describe('the default article', () => {
  const json = markdownToDoc(readFileSync('prisma/default-article.md', 'utf8'));
  const index = buildTextIndex(json);

  it('has a text index consistent with ProseMirror', () => {
    expect(index.text.startsWith('The Russia–North Korea Alliance\nThe echoes of war')).toBe(true);
    expectSegmentsMatch(json, index);
  });
});

describe('tables and figures', () => {
  const cell = (type: string, ...content: JsonNode[]): JsonNode => ({ type, content });
  const TABLE_DOC: JsonNode = {
    type: 'doc',
    content: [
      para(text('before')),
      {
        type: 'table',
        content: [
          { type: 'tableRow', content: [cell('tableHeader', para(text('Name'))), cell('tableHeader', para(text('Role')))] },
          { type: 'tableRow', content: [cell('tableCell', para(text('Ann'))), cell('tableCell', para())] },
          { type: 'tableRow', content: [cell('tableCell', para(text('Bo')), para(text('two'))), cell('tableCell', { type: 'figure', content: [text('Image: x')] })] },
        ],
      },
      { type: 'figure', content: [text('Image: a chart')] },
      para(text('after')),
    ],
  };
  const index = buildTextIndex(TABLE_DOC);

  it('separates every cell (and each block in a cell) by "\\n", so no selection glues two cells\' words', () => {
    expect(index.text).toBe(['before', 'Name', 'Role', 'Ann', '', 'Bo', 'two', 'Image: x', 'Image: a chart', 'after'].join('\n'));
  });

  it('every segment maps onto the same text in a real ProseMirror doc', () => {
    expectSegmentsMatch(TABLE_DOC, index);
  });
});
