import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import type { JsonNode } from './document-text';
import { buildTextIndex } from './document-text';
import { firstHeading, isSafeHref, markdownToDoc, plainTextToDoc } from './markdown-import';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { unevenTable } from './article-nodes';
import { articleSchema } from './article-schema';
import { htmlToDoc } from './html-import';
import { runs } from '@/scripts/test/property';

const p = (text: string): JsonNode => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const ARTICLE = readFileSync('prisma/default-article.md', 'utf8');
const textOf = (n: JsonNode): string => (n.text ?? '') + (n.content ?? []).map(textOf).join('');
/** The content of the single paragraph a one-line Markdown string becomes. */
const inlineOf = (md: string): JsonNode[] => {
  const doc = markdownToDoc(md);
  expect(doc.content).toHaveLength(1);
  expect(doc.content![0].type).toBe('paragraph');
  return doc.content![0].content ?? [];
};

describe('markdownToDoc on the default article', () => {
  const doc = markdownToDoc(ARTICLE);
  const blocks = doc.content ?? [];
  const headings = (level: number) => blocks.filter((b) => b.type === 'heading' && b.attrs?.level === level).map(textOf);

  it('has exactly one level-1 heading, the title, first', () => {
    expect(headings(1)).toEqual(['The Russia–North Korea Alliance']);
    expect(blocks[0]).toMatchObject({ type: 'heading', attrs: { level: 1 } });
  });

  it('has exactly the four level-2 section headings, in order', () => {
    expect(headings(2)).toEqual([
      'The Drivers of a Dangerous Union',
      'Signs of a Growing Partnership',
      'The Risks and Repercussions',
      'A Future Uncertain',
    ]);
  });

  it('has one paragraph per non-heading paragraph of the file, and nothing else', () => {
    const fileParagraphs = ARTICLE.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p && !p.startsWith('#'));
    const paragraphs = blocks.filter((b) => b.type === 'paragraph');
    expect(fileParagraphs.length).toBeGreaterThan(10);
    expect(paragraphs).toHaveLength(fileParagraphs.length);
    expect(blocks).toHaveLength(fileParagraphs.length + 5);
    expect(paragraphs.map(textOf)).toEqual(fileParagraphs);
  });

  it('keeps curly apostrophes and en dashes', () => {
    const text = buildTextIndex(doc).text;
    expect(text).toContain('Beyond ammunition, there’s speculation');
    expect(text).toContain('Russia’s burgeoning need');
    expect(text).toContain('The Russia–North Korea Alliance');
    expect(text).not.toContain("there's");
  });

  it('gives the title to firstHeading', () => {
    expect(firstHeading(doc)).toBe('The Russia–North Korea Alliance');
  });
});

describe('markdownToDoc inline marks', () => {
  it('maps emphasis, strong, strike, code and links to marks', () => {
    expect(inlineOf('*em* **strong** ~~del~~ `code` [link](https://a.test/x)')).toEqual([
      { type: 'text', text: 'em', marks: [{ type: 'italic' }] },
      { type: 'text', text: ' ' },
      { type: 'text', text: 'strong', marks: [{ type: 'bold' }] },
      { type: 'text', text: ' ' },
      { type: 'text', text: 'del', marks: [{ type: 'strike' }] },
      { type: 'text', text: ' ' },
      { type: 'text', text: 'code', marks: [{ type: 'code' }] },
      { type: 'text', text: ' ' },
      { type: 'text', text: 'link', marks: [{ type: 'link', attrs: { href: 'https://a.test/x' } }] },
    ]);
  });

  it('nests marks', () => {
    expect(inlineOf('***both***')[0].marks?.map((m) => m.type).sort()).toEqual(['bold', 'italic']);
  });

  it('drops an unsafe link but keeps its text', () => {
    const nodes = inlineOf('see [click me](javascript:alert(1)) now');
    expect(nodes).toEqual([{ type: 'text', text: 'see click me now' }]);
    expect(JSON.stringify(markdownToDoc('[x](data:text/html,hi)'))).not.toContain('"link"');
  });

  it('keeps raw HTML as literal text, not as nodes', () => {
    expect(inlineOf('before <b onclick="x()">bold</b> after')).toEqual([{ type: 'text', text: 'before <b onclick="x()">bold</b> after' }]);
    const block = markdownToDoc('<script>alert(1)</script>');
    expect(block.content).toEqual([{ type: 'paragraph', content: [{ type: 'text', text: '<script>alert(1)</script>' }] }]);
  });

  it('decodes entities in text, but not inside code', () => {
    expect(textOf(markdownToDoc('Tom &amp; Jerry &lt;3 &#8217; &#x2014;'))).toBe('Tom & Jerry <3 ’ —');
    expect(textOf(markdownToDoc('&amp;lt;'))).toBe('&lt;'); // decoded once, not twice
    expect(inlineOf('`a &amp; b`')).toEqual([{ type: 'text', text: 'a &amp; b', marks: [{ type: 'code' }] }]);
    expect(markdownToDoc('```\n&amp;\n```').content).toEqual([{ type: 'codeBlock', content: [{ type: 'text', text: '&amp;' }] }]);
  });

  it('turns a soft line break into a space and a hard break into hardBreak', () => {
    expect(inlineOf('line one\nline two')).toEqual([{ type: 'text', text: 'line one line two' }]);
    expect(inlineOf('one  \ntwo')).toEqual([{ type: 'text', text: 'one' }, { type: 'hardBreak' }, { type: 'text', text: 'two' }]);
    expect(markdownToDoc('a\r\nb').content).toEqual([{ type: 'paragraph', content: [{ type: 'text', text: 'a b' }] }]);
  });
});

describe('markdownToDoc blocks', () => {
  it('maps bullet and ordered lists (with their start number)', () => {
    const doc = markdownToDoc('- a\n- b\n  - nested\n\n3. x\n4. y');
    const [ul, ol] = doc.content!;
    expect(ul.type).toBe('bulletList');
    expect(ul.content!.map((li) => li.type)).toEqual(['listItem', 'listItem']);
    expect(ul.content![0].content).toEqual([{ type: 'paragraph', content: [{ type: 'text', text: 'a' }] }]);
    expect(ul.content![1].content!.map((n) => n.type)).toEqual(['paragraph', 'bulletList']);
    expect(ol).toMatchObject({ type: 'orderedList', attrs: { start: 3 } });
    expect(ol.content!.map(textOf)).toEqual(['x', 'y']);
  });

  it('maps headings, blockquotes, rules and code blocks', () => {
    const doc = markdownToDoc('### H3\n\n> quoted\n\n---\n\n```\nx < y\n```');
    expect(doc.content).toEqual([
      { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'H3' }] },
      { type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'quoted' }] }] },
      { type: 'horizontalRule' },
      { type: 'codeBlock', content: [{ type: 'text', text: 'x < y' }] },
    ]);
  });

  it('turns a table into a table: header cells, body cells, empty cells kept (as the HTML import)', () => {
    const md = '| a | *b* |\n|---|---|\n| 1 | |\n| 2 |\n';
    const cell = (type: string, ...content: JsonNode[]) => ({ type, content: [{ type: 'paragraph', ...(content.length ? { content } : {}) }] });
    const table = {
      type: 'table',
      content: [
        { type: 'tableRow', content: [cell('tableHeader', { type: 'text', text: 'a' }), cell('tableHeader', { type: 'text', text: 'b', marks: [{ type: 'italic' }] })] },
        { type: 'tableRow', content: [cell('tableCell', { type: 'text', text: '1' }), cell('tableCell')] },
        { type: 'tableRow', content: [cell('tableCell', { type: 'text', text: '2' }), cell('tableCell')] },
      ],
    };
    expect(markdownToDoc(md).content).toEqual([table]);
    expect(markdownToDoc(md)).toEqual(htmlToDoc(new MarkdownIt().render(md)));
    // Every cell is its own text block: a selection never joins the words of two cells.
    expect(buildTextIndex(markdownToDoc(md)).text).toBe('a\nb\n1\n\n2\n');
  });

  it.each<[string, string, JsonNode[]]>([
    ['alone in its paragraph', '![A chart](c.png)', [{ type: 'figure', content: [{ type: 'text', text: 'Image: A chart' }] }]],
    ['without alt text', 'a ![](c.png) b', [p('a'), { type: 'figure', content: [{ type: 'text', text: 'Image' }] }, p('b')]],
    ['inside a link', '[![badge](b.svg)](https://ci.test/)', [{ type: 'figure', content: [{ type: 'text', text: 'Image: badge', marks: [{ type: 'link', attrs: { href: 'https://ci.test/' } }] }] }]],
    ['two on two lines', '![a](x)\n![b](y)', [{ type: 'figure', content: [{ type: 'text', text: 'Image: a' }] }, { type: 'figure', content: [{ type: 'text', text: 'Image: b' }] }]],
    ['alt text with formatting', '![a *b* `c`](x)', [{ type: 'figure', content: [{ type: 'text', text: 'Image: a b c' }] }]],
  ])('an image becomes a figure with its alt text: %s', (_name, md, content) => {
    expect(markdownToDoc(md).content).toEqual(content);
    expect(buildTextIndex(markdownToDoc(md)).text).not.toMatch(/[![\]]/);
  });

  it('flattens blocks nested past MAX_BLOCK_DEPTH into paragraphs, keeping their text', () => {
    const doc = markdownToDoc('>'.repeat(60) + ' deep\n\n' + '>'.repeat(60) + ' deeper');
    expect(buildTextIndex(doc).text).toContain('deep');
    expect(buildTextIndex(doc).text).toMatch(/>+ deeper$/);
    expect(() => articleSchema().nodeFromJSON(doc).check()).not.toThrow();
  });

  it('gives an empty paragraph for empty input', () => {
    expect(markdownToDoc('')).toEqual({ type: 'doc', content: [{ type: 'paragraph' }] });
    expect(markdownToDoc('\n\n  \n')).toEqual({ type: 'doc', content: [{ type: 'paragraph' }] });
  });
});

describe('plainTextToDoc', () => {
  it('splits paragraphs on blank lines and turns single newlines into hard breaks', () => {
    expect(plainTextToDoc('one\ntwo\n\n\n  three  \r\n\r\n*not md*')).toEqual({
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'one' }, { type: 'hardBreak' }, { type: 'text', text: 'two' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'three' }] },
        { type: 'paragraph', content: [{ type: 'text', text: '*not md*' }] },
      ],
    });
  });

  it('does not decode entities or parse HTML', () => {
    expect(textOf(plainTextToDoc('a &amp; <b>'))).toBe('a &amp; <b>');
  });

  it('gives an empty paragraph for blank input', () => {
    expect(plainTextToDoc(' \n\n ')).toEqual({ type: 'doc', content: [{ type: 'paragraph' }] });
  });
});

describe('firstHeading', () => {
  it('returns the text of the first level-1 heading, marks flattened', () => {
    expect(firstHeading(markdownToDoc('## Sub\n\n# The *real* title\n\n# Second'))).toBe('The real title');
  });

  it('returns null without a level-1 heading', () => {
    expect(firstHeading(markdownToDoc('## Only a sub\n\ntext'))).toBeNull();
  });
});

describe('markdownToDoc entities', () => {
  it('decodes every named HTML entity, and decimal and hex references', () => {
    expect(textOf(markdownToDoc('&amp; &LT; &gt; &quot; &apos; &nbsp; &ndash; &mdash; &rsquo; &hellip;'))).toBe('& < > " \' \u00a0 – — ’ …');
    expect(textOf(markdownToDoc('Caf&eacute; &copy; 2024 &frac12; &Omega;'))).toBe('Café © 2024 ½ Ω');
    expect(textOf(markdownToDoc('&#65;&#x42;&#X43; &#x1F600;'))).toBe('ABC 😀');
  });

  it('turns references to surrogates, NUL and code points beyond U+10FFFF into U+FFFD (CommonMark)', () => {
    expect(textOf(markdownToDoc('a&#xD800;b &#0; &#x110000; &#xDFFF;'))).toBe('a\uFFFDb \uFFFD \uFFFD \uFFFD');
    expect(() => articleSchema().nodeFromJSON(markdownToDoc('&#xD800;&#xDC00;')).check()).not.toThrow();
    expect(textOf(markdownToDoc('&#xD800;&#xDC00;'))).toBe('\uFFFD\uFFFD');
  });

  it('leaves unknown and malformed references alone', () => {
    expect(textOf(markdownToDoc('&bogus; &#12345678; & AT&T &copy'))).toBe('&bogus; &#12345678; & AT&T &copy');
  });

  it('decodes only once', () => {
    expect(textOf(markdownToDoc('&amp;amp;'))).toBe('&amp;');
  });
});

describe('isSafeHref', () => {
  it.each(['https://example.com/a?b=c', 'http://example.com', 'mailto:someone@example.com', 'HTTPS://EXAMPLE.COM'])('allows %s', (href) => {
    expect(isSafeHref(href)).toBe(true);
  });

  it.each(['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:x', 'ftp://x.test', '/relative', '//proto-relative.test', '', 'not a url'])(
    'refuses %s',
    (href) => {
      expect(isSafeHref(href)).toBe(false);
    },
  );
});

describe('markdownToDoc output always fits the article schema', () => {
  const valid = (md: string) => {
    const node = articleSchema().nodeFromJSON(markdownToDoc(md));
    node.check();
    if (unevenTable(node)) throw new Error(unevenTable(node)!);
  };
  it.each(['**`b`**', '[`code` link](https://example.com)', '- # heading in a list', '1. ```\n   code\n   ```', '> - # x', '- > quote first', '- ---', '*# *<b>**', '***a* b*', '__*_a_*__'])('%j', (md) => {
    expect(() => valid(md)).not.toThrow();
  });

  it('keeps the text of a heading that opens a list item', () => {
    expect(buildTextIndex(markdownToDoc('- # heading in a list')).text).toContain('heading in a list');
  });

  it('for any input (property)', () => {
    const piece = fc.constantFrom('# ', '## ', '- ', '1. ', '> ', '**', '*', '`', '```\n', '[a](https://x.test)', '---', '\n', '\n\n', '  ', 'text', '<b>', '|a|b|\n|-|-|\n|1|2|', '|x|\n', '| ![i](x) |', '![alt](x.png)', '[![b](y)](https://x.test)', '!', '[', '](x)');
    fc.assert(fc.property(fc.array(piece, { maxLength: 30 }).map((a) => a.join('')), (md) => {
      valid(md);
    }), runs(500));
  });
});
