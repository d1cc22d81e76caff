/**
 * Hostile HTML: thousands of unclosed tags made htmlparser2's stack of open elements (an array it
 * `unshift`s and searches) quadratic, which took minutes for 2 MiB. Each test imports an input
 * large enough that a quadratic importer runs far past the generous timeout, and checks the
 * result fits the article schema and keeps the text. The timeout is the failure signal; growth
 * rates are checked in lib/server/heavy-work/complexity.test.ts.
 */
import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { unevenTable } from './article-nodes';
import { articleSchema } from './article-schema';
import { buildTextIndex } from './document-text';
import { htmlToDoc } from './html-import';
import { depthCappedTokenizer } from './html-import-tokenizer';

const MIB = 1024 * 1024;
const TIMEOUT = { timeout: 20_000 };

const repeat = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

function importChecked(html: string) {
  const doc = htmlToDoc(html);
  const node = articleSchema().nodeFromJSON(doc);
  node.check();
  expect(unevenTable(node)).toBeNull();
  return { doc, text: buildTextIndex(doc).text };
}

/** Every tag the importer maps, allows through sanitize-html, or drops with its content. */
const TAGS = [
  'b', 'strong', 'i', 'em', 's', 'del', 'strike', 'u', 'code', 'kbd', 'samp', 'tt', 'a href="https://x.test/"', 'a', 'span',
  'font', 'unknown', 'p', 'div', 'section', 'article', 'h1', 'h6', 'blockquote', 'pre', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'table', 'tbody', 'tr', 'td', 'th', 'caption', 'form', 'button', 'select', 'option', 'svg', 'math', 'textarea', 'title',
];

describe('HTML import of unclosed tags', () => {
  it.each(TAGS)('<%s>x repeated to 2 MiB', TIMEOUT, (tag) => {
    const { text } = importChecked(repeat(`<${tag}>x`, 2 * MIB));
    // Tags whose content is dropped (select, svg, textarea, title…) may leave nothing; the rest keep every x.
    if (!['select', 'option', 'svg', 'math', 'textarea', 'title', 'button'].includes(tag.split(' ')[0])) expect(text).toMatch(/^x/);
  });

  it.each([
    ['alternating inline tags', '<b><i>x'],
    ['inline tags, then a stray end tag', '<b>x</i>'],
    ['inline tags in paragraphs', '<p><b>x'],
    ['inline tags in list items', '<li><u>x'],
    ['inline tags in cells', '<td><em>x'],
    ['links in headings', '<h2><a href="https://x.test/">x'],
  ])('%s (%j) repeated to 2 MiB', TIMEOUT, (_name, unit) => {
    expect(importChecked(repeat(unit, 2 * MIB)).text).toContain('x');
  });
});

describe('HTML import of deep nesting', () => {
  it.each(TAGS.filter((t) => !['select', 'option', 'svg', 'math', 'textarea', 'title', 'button'].includes(t.split(' ')[0])))(
    '<%s> nested 100,000 deep, closed',
    TIMEOUT,
    (tag) => {
      const name = tag.split(' ')[0];
      const { text } = importChecked(`<${tag}>`.repeat(100_000) + 'deep' + `</${name}>`.repeat(100_000));
      expect(text).toContain('deep');
    },
  );
});

describe('HTML import of large structures', () => {
  it('a table of 100,000 cells', TIMEOUT, () => {
    const html = '<table>' + `<tr>${'<td>c</td>'.repeat(100)}</tr>`.repeat(1000) + '</table>';
    expect(importChecked(html).doc.content![0].content).toHaveLength(1000);
  });

  it('a table whose rows are padded: at most doubling its cells', TIMEOUT, () => {
    // One wide row and many one-cell rows would pad to 10^10 cells; it is flattened instead.
    const wide = '<table>' + `<tr>${'<td>w</td>'.repeat(100_000)}</tr>` + '<tr><td>n</td></tr>'.repeat(100_000) + '</table>';
    expect(importChecked(wide).doc.content).toHaveLength(100_001);
    const ragged = '<table>' + '<tr><td>a</td><td>b</td></tr><tr><td>c</td></tr>'.repeat(50_000) + '</table>';
    expect(importChecked(ragged).doc.content![0].content).toHaveLength(100_000);
  });

  it('150,000 images', TIMEOUT, () => {
    expect(importChecked(repeat('<img alt="a">x', 2 * MIB)).text).toMatch(/^Image: a\nx\n/);
  });

  it('a list of 200,000 items', TIMEOUT, () => {
    expect(importChecked('<ul>' + '<li>item'.repeat(200_000) + '</ul>').doc.content![0].content).toHaveLength(200_000);
  });

  it('2 MiB of ordinary HTML', TIMEOUT, () => {
    const para = '<p>Some <em>ordinary</em> text with a <a href="https://x.test/">link</a>, <code>code</code> and <b>bold</b>.</p>\n';
    expect(importChecked(repeat(para, 2 * MIB)).text.length).toBeGreaterThan(500_000);
  });
});

describe('depthCappedTokenizer', () => {
  const maxDepth = (html: string) => {
    const dom = parseDocument(html, { Tokenizer: depthCappedTokenizer(10) });
    let max = 0;
    const stack: [{ children?: unknown[] }, number][] = [[dom, 0]];
    while (stack.length) {
      const [n, d] = stack.pop()!;
      max = Math.max(max, d);
      for (const c of (n.children ?? []) as { children?: unknown[] }[]) stack.push([c, d + 1]);
    }
    return max;
  };

  it('keeps htmlparser2 at most that many elements deep, whatever the implied closes', () => {
    for (const unit of ['<b>', '<p><b>', '<p><div><b></p>', '<li><ul>', '<svg><path/>', '<table><tr><td>', '<form><form>', '</p><b>', '<a><b></a>']) {
      expect(maxDepth(unit.repeat(1000) + 'x')).toBeLessThanOrEqual(11);
    }
  });

  it('drops only the start tags too deep, keeping their text and shallower markup', () => {
    const html = '<i>'.repeat(12) + 'deep' + '</i>'.repeat(12) + '<b>after</b>';
    const dom = parseDocument(html, { Tokenizer: depthCappedTokenizer(10) });
    expect(maxDepth(html)).toBe(11);
    expect(JSON.stringify(dom.children.map((c) => ('name' in c ? c.name : 'text')))).toBe('["i","b"]');
  });
});
