/**
 * Hostile Markdown: each class below made the old importer (marked) cubic, quadratic or overflow
 * its stack (8 KiB of `[a](` took 27 s, 5,000 nested `>` answered 500). Each test imports an
 * input large enough that a super-linear importer runs far past the test's generous timeout, and
 * checks the result fits the article schema and keeps the text. No time is asserted here: the
 * timeout is the failure signal; growth rates are checked in lib/server/heavy-work/complexity.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { articleSchema } from './article-schema';
import { buildTextIndex } from './document-text';
import { markdownToDoc } from './markdown-import';

const KIB = 1024;
const TIMEOUT = { timeout: 20_000 };

const repeat = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

function importChecked(md: string) {
  const doc = markdownToDoc(md);
  articleSchema().nodeFromJSON(doc).check();
  return { doc, text: buildTextIndex(doc).text };
}

/** Depth of the deepest node. */
function depth(node: { content?: unknown[] }): number {
  let max = 0;
  const stack: [{ content?: unknown[] }, number][] = [[node, 1]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    max = Math.max(max, d);
    for (const c of (n.content ?? []) as { content?: unknown[] }[]) stack.push([c, d + 1]);
  }
  return max;
}

describe('Markdown import of long runs of one delimiter', () => {
  it.each([
    ['unclosed link destinations', '[a]('],
    ['link openers', '[a]'],
    ['nested brackets', '['],
    ['closing brackets', ']'],
    ['image openers', '![a]('],
    ['underscore emphasis', '_a '],
    ['star emphasis', '*a'],
    ['mixed emphasis', '**_* '],
    ['star underscore', '*_'],
    ['strikethrough', '~~a '],
    ['backticks', '`a``'],
    ['escaped backticks', '\\``'],
    ['backslash backticks', '``\\'],
    ['autolink openers', '<'],
    ['html-ish', 'a <![CDATA['],
    ['entities', '&amp;'],
    ['brackets and parens', ']([\n'],
    ['link with parens', '[]( ('],
    ['table pipes', '|'],
  ])('%s (%j), 256 KiB', TIMEOUT, (_name, unit) => {
    const { text } = importChecked(repeat(unit, 256 * KIB));
    expect(text.length).toBeGreaterThan(0);
  });
});

describe('Markdown import of deep nesting', () => {
  it.each([
    ['quotes on one line', (n: number) => '>'.repeat(n) + ' deep'],
    ['quotes, one level more per line', (n: number) => Array.from({ length: Math.min(n, 1000) }, (_, i) => '>'.repeat(i + 1) + ' deep').join('\n')],
    ['bullet lists on one line', (n: number) => '- '.repeat(n) + 'deep'],
    ['ordered lists on one line', (n: number) => '1. '.repeat(n) + 'deep'],
    ['indented lists', (n: number) => Array.from({ length: n }, (_, i) => '  '.repeat(i) + '* deep').join('\n')],
    ['quotes in lists', (n: number) => '- > '.repeat(n) + 'deep'],
    ['emphasis', (n: number) => '*'.repeat(n) + 'deep' + '*'.repeat(n)],
    ['strong', (n: number) => '**'.repeat(n) + 'deep' + '**'.repeat(n)],
    ['links', (n: number) => '['.repeat(n) + 'deep' + '](https://x.test/)'.repeat(n)],
  ])('%s, 5,000 levels: flattened, text kept', TIMEOUT, (_name, make) => {
    const { doc, text } = importChecked(make(5000));
    expect(text).toContain('deep');
    expect(depth(doc)).toBeLessThan(100);
  });
});

describe('Markdown import of large documents', () => {
  it('2 MiB of ordinary Markdown', TIMEOUT, () => {
    const para = 'Some *ordinary* text with a [link](https://x.test/) and `code`, **bold** and ~~struck~~ words.\n\n';
    expect(importChecked(repeat(para, 2048 * KIB)).text.length).toBeGreaterThan(1_000_000);
  });

  it('a table of 100,000 cells', TIMEOUT, () => {
    const cols = 100;
    const md = `|${' h |'.repeat(cols)}\n|${'---|'.repeat(cols)}\n` + `|${' c |'.repeat(cols)}\n`.repeat(1000);
    const { doc } = importChecked(md);
    expect(doc.content).toHaveLength(1);
    expect(doc.content![0].content).toHaveLength(1001);
  });

  it('a list of 100,000 items', TIMEOUT, () => {
    expect(importChecked('- item\n'.repeat(100_000)).doc.content![0].content).toHaveLength(100_000);
  });

  it('20,000 link reference definitions and their uses', TIMEOUT, () => {
    const defs = Array.from({ length: 20_000 }, (_, i) => `[r${i}]: https://x.test/${i}`).join('\n');
    const uses = Array.from({ length: 20_000 }, (_, i) => `[r${i}]`).join(' ');
    expect(JSON.stringify(importChecked(`${defs}\n\n${uses}`).doc)).toContain('https://x.test/19999');
  });
});
