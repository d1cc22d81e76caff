import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import type { Node as PMNode } from '@tiptap/pm/model';
import { buildTextIndex, posToTextOffset, textOffsetToPos, type JsonNode, type TextIndex } from './document-text';
import { markdownToDoc } from './markdown-import';

const schema = getSchema([StarterKit]);
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
    expect(textOffsetToPos(empty, 0, 'start')).toBeNull();
    expect(posToTextOffset(empty, 0, 'end')).toBeNull();
  });
});

describe('textOffsetToPos / posToTextOffset', () => {
  const index = buildTextIndex(DOC);
  const node = toNode(DOC);
  const covered = (o: number) => index.segments.some((s) => o >= s.from && o < s.to);

  it('maps every character offset to the position of that character', () => {
    for (let o = 0; o < index.text.length; o++) {
      if (!covered(o)) continue;
      const pos = textOffsetToPos(index, o, 'start')!;
      const ch = index.text[o];
      if (ch === '\n') expect(node.nodeAt(pos)?.type.name).toBe('hardBreak');
      else expect(node.textBetween(pos, pos + 1)).toBe(ch);
      expect(posToTextOffset(index, pos, 'start')).toBe(o);
      expect(textOffsetToPos(index, o + 1, 'end')).toBe(pos + 1);
      expect(posToTextOffset(index, pos + 1, 'end')).toBe(o + 1);
    }
  });

  it('turns any in-text range into the same text in ProseMirror', () => {
    const phrase = 'link.\nline one';
    const from = index.text.indexOf(phrase);
    const a = textOffsetToPos(index, from, 'start')!;
    const b = textOffsetToPos(index, from + phrase.length, 'end')!;
    expect(node.textBetween(a, b, '\n', leafText)).toBe(phrase);
  });

  it('on a block separator, a start moves forward into the next block and an end moves back', () => {
    const sep = 'Title – “one”'.length; // the "\n" between heading and paragraph
    expect(covered(sep)).toBe(false);
    const start = textOffsetToPos(index, sep, 'start')!;
    expect(node.textBetween(start, start + 5)).toBe('Plain');
    expect(posToTextOffset(index, start, 'start')).toBe(sep + 1);
    // An end just after the separator is the end of the heading.
    const end = textOffsetToPos(index, sep + 1, 'end')!;
    expect(node.textBetween(end - 5, end)).toBe('“one”');
    expect(posToTextOffset(index, end, 'end')).toBe(sep);
  });

  it('skips the empty paragraph and its two separators', () => {
    const at = index.text.indexOf('😀\n\n') + 2; // first separator after "line two 😀"
    const start = textOffsetToPos(index, at, 'start')!;
    expect(node.textBetween(start, start + 5)).toBe('first');
    expect(textOffsetToPos(index, at + 1, 'start')).toBe(start);
    const end = textOffsetToPos(index, at + 2, 'end')!;
    expect(node.textBetween(end - 2, end)).toBe('😀');
    expect(textOffsetToPos(index, at + 1, 'end')).toBe(end);
  });

  it('handles the very start and the very end of the text', () => {
    expect(textOffsetToPos(index, 0, 'start')).toBe(1); // inside the heading's opening
    expect(posToTextOffset(index, 0, 'start')).toBe(0);
    expect(posToTextOffset(index, 1, 'start')).toBe(0);
    const endPos = textOffsetToPos(index, index.text.length, 'end')!;
    expect(node.textBetween(endPos - 4, endPos)).toBe('last');
    expect(posToTextOffset(index, endPos, 'end')).toBe(index.text.length);
    expect(posToTextOffset(index, node.content.size, 'end')).toBe(index.text.length);
    expect(posToTextOffset(index, node.content.size, 'start')).toBe(index.text.length);
    expect(textOffsetToPos(index, index.text.length, 'start')).toBeNull();
    expect(textOffsetToPos(index, 0, 'end')).toBeNull();
  });

  it('maps positions between blocks to the nearest text on the requested side', () => {
    const last = index.text.lastIndexOf('last');
    const lastPos = textOffsetToPos(index, last, 'start')!;
    // lastPos - 1 is before the paragraph's opening: a start there is the first char of "last".
    expect(posToTextOffset(index, lastPos - 1, 'start')).toBe(last);
    // ...and an end there is the end of "numbered" (just before the separator).
    expect(posToTextOffset(index, lastPos - 1, 'end')).toBe(last - 1);
  });
});

describe('the default article', () => {
  const json = markdownToDoc(readFileSync('prisma/default-article.md', 'utf8'));
  const index = buildTextIndex(json);

  it('has a text index consistent with ProseMirror', () => {
    expect(index.text.startsWith('The Russia–North Korea Alliance\nThe echoes of war')).toBe(true);
    expectSegmentsMatch(json, index);
  });

  it('round-trips the range of a quoted phrase', () => {
    const node = toNode(json);
    const phrase = 'Beyond ammunition, there’s speculation';
    const from = index.text.indexOf(phrase);
    expect(from).toBeGreaterThan(0);
    const a = textOffsetToPos(index, from, 'start')!;
    const b = textOffsetToPos(index, from + phrase.length, 'end')!;
    expect(node.textBetween(a, b)).toBe(phrase);
    expect(posToTextOffset(index, a, 'start')).toBe(from);
    expect(posToTextOffset(index, b, 'end')).toBe(from + phrase.length);
  });
});
