import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutInline, type InlineNode, type Mark, type Piece, type RangeSpec } from './inline-layout';
import { runs } from '@/scripts/test/property';

const text = (t: string, from: number, marks: Mark[] = []): Piece => ({ kind: 'text', text: t, marks, from });

/** Renders a tree as a bracket string: [id:...] for spans, | for breaks. */
function show(nodes: InlineNode<RangeSpec>[]): string {
  return nodes.map((n) => (n.kind === 'span' ? `[${n.spec.id}:${show(n.children)}]` : n.kind === 'break' ? '|' : n.text)).join('');
}

/** Every character's covering ids, innermost last, read back from the tree. */
function coverage(nodes: InlineNode<RangeSpec>[], outer: string[] = [], out = new Map<number, string[]>()): Map<number, string[]> {
  for (const n of nodes) {
    if (n.kind === 'span') coverage(n.children, [...outer, n.spec.id], out);
    else if (n.kind === 'text') for (let i = 0; i < n.text.length; i++) out.set(n.from + i, outer);
  }
  return out;
}

describe('layoutInline', () => {
  it('leaves a block without highlights as it is', () => {
    const pieces = [text('hello', 10)];
    expect(layoutInline(pieces, [{ id: 'a', start: 0, end: 5 }])).toBe(pieces);
  });

  it('wraps one highlight in one span, even across marks', () => {
    const bold = [{ type: 'bold' }];
    const tree = layoutInline([text('one ', 0), text('two', 4, bold), text(' three', 7)], [{ id: 'a', start: 2, end: 10 }]);
    expect(show(tree)).toBe('on[a:e two th]ree');
    const span = tree[1];
    expect(span.kind === 'span' && span.children.map((c) => c.kind === 'text' && c.marks.length)).toEqual([0, 1, 0]);
  });

  it('nests a contained highlight and splits an overlapping one only where it must', () => {
    expect(show(layoutInline([text('abcdefghij', 0)], [{ id: 'in', start: 3, end: 5 }, { id: 'out', start: 1, end: 8 }]))).toBe('a[out:bc[in:de]fgh]ij');
    expect(show(layoutInline([text('abcdefghij', 0)], [{ id: 'A', start: 0, end: 6 }, { id: 'B', start: 4, end: 10 }]))).toBe('[A:abcd[B:ef]][B:ghij]');
  });

  it('keeps hard breaks in place and inside highlights', () => {
    expect(show(layoutInline([text('ab', 0), { kind: 'break', from: 2 }, text('cd', 3)], [{ id: 'x', start: 1, end: 4 }]))).toBe('a[x:b|c]d');
  });

  it('ignores highlights outside the block and empty ones', () => {
    expect(show(layoutInline([text('abc', 100)], [{ id: 'x', start: 0, end: 50 }, { id: 'y', start: 101, end: 101 }]))).toBe('abc');
  });

  it('covers exactly the characters of every highlight, for any set of ranges (property)', () => {
    const spec = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 15 })).map(([s, l]) => ({ start: s, end: s + l }));
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }), (raw, lengths) => {
        const specs = raw.map((r, i) => ({ id: `s${i}`, start: r.start, end: r.end }));
        const pieces: Piece[] = [];
        let at = 0;
        for (const len of lengths) {
          pieces.push(text('x'.repeat(len), at, len % 2 ? [{ type: 'bold' }] : []));
          at += len;
        }
        const tree = layoutInline(pieces, specs);
        const cov = coverage(tree);
        let total = 0;
        for (let o = 0; o < at; o++) {
          const expected = specs.filter((s) => s.start <= o && o < s.end).map((s) => s.id).sort();
          expect([...(cov.get(o) ?? [])].sort()).toEqual(expected);
          total++;
        }
        expect(cov.size).toBe(total); // every character rendered once
      }),
      runs(400),
    );
  });
});

describe('blockModel', () => {
  it('gives every text block the offsets buildTextIndex gives its text', async () => {
    const { markdownToDoc } = await import('./markdown-import');
    const { buildTextIndex } = await import('./document-text');
    const { readFileSync } = await import('node:fs');
    const doc = markdownToDoc(
      readFileSync('prisma/default-article.md', 'utf8') +
        '\n\n- a list *item*  \n  with a break\n\n> quoted\n\n---\n\n```\ncode\n```\n\n| h1 | h2 |\n|---|---|\n| *a* | |\n| ![pic](x.png) b | c |\n\n![fig](y.png)\n',
    );
    const text = buildTextIndex(doc).text;
    const { blockModel } = await import('./inline-layout');
    const seen: string[] = [];
    const visit = (b: ReturnType<typeof blockModel>[number]) => {
      if (b.kind === 'textblock') {
        const rendered = b.pieces.map((p) => (p.kind === 'text' ? p.text : '\n')).join('');
        expect(text.slice(b.from, b.to)).toBe(rendered);
        for (const p of b.pieces) if (p.kind === 'text') expect(text.slice(p.from, p.from + p.text.length)).toBe(p.text);
        seen.push(rendered);
      } else if (b.kind === 'container') b.children.forEach(visit);
    };
    blockModel(doc).forEach(visit);
    expect(seen.join('\n')).toBe(text);
  });

  it('models a table as containers (table, rows, cells) around its cells\' text blocks, a figure as a text block', async () => {
    const { markdownToDoc } = await import('./markdown-import');
    const { blockModel } = await import('./inline-layout');
    const [table, figure] = blockModel(markdownToDoc('| h |\n|---|\n| c |\n\n![pic](x.png)'));
    const shape = (b: ReturnType<typeof blockModel>[number]): unknown =>
      b.kind === 'container' ? [b.node.type, b.children.map(shape)] : `${b.kind}:${b.node.type}`;
    expect(shape(table)).toEqual(['table', [['tableRow', [['tableHeader', ['textblock:paragraph']]]], ['tableRow', [['tableCell', ['textblock:paragraph']]]]]]);
    expect(figure).toMatchObject({ kind: 'textblock', node: { type: 'figure' }, from: 4, to: 14 });
  });
});
