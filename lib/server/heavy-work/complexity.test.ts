/**
 * Growth rates of the heavy work, measured: importing (parse + schema check + text, exactly what
 * the worker runs) and re-anchoring must grow linearly with the input, for the hostile patterns
 * that were super-linear and for patterns generated at random (scripts/test/growth.ts says how it
 * is measured without flaking). The inputs that were super-linear before this work measured 30×
 * to 100× at these sizes.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { describe as describeRange } from '@/lib/domain/anchoring';
import { importSource, reanchorRows, type SourceFormat } from './tasks';
import { expectLinear, repeat, TIMEOUT } from '@/scripts/test/growth';

const importing = (format: SourceFormat) => (input: string) => {
  try {
    importSource(format, input);
  } catch (e) {
    // An empty result (400) is a valid outcome of a hostile input; the time to reach it still counts.
    if (!(e instanceof Error && e.name === 'AppError')) throw e;
  }
};


describe('import grows linearly with the source', () => {
  it.each([
    ['[a](', '[a]('], ['_a ', '_a '], ['`a``', '`a``'], ['*a', '*a'], ['**_* ', '**_* '], ['[', '['], [']([\\n', ']([\n'],
    ['<', '<'], ['&amp;', '&amp;'], ['>', '>'], ['- ', '- '], ['~~a ', '~~a '], ['ordinary', 'Some *ordinary* [text](https://x.test/) and `code`.\n\n'],
  ])('Markdown %s', TIMEOUT, (_name, unit) => {
    expectLinear(repeat(unit), importing('markdown'));
  });

  it.each([
    ['<b><i>x', '<b><i>x'], ['<p><b>x', '<p><b>x'], ['<td>x', '<td>x'], ['<a href>x', '<a href="https://x.test/">x'], ['<b>x</i>', '<b>x</i>'],
    ['ordinary', '<p>Some <em>ordinary</em> <a href="https://x.test/">text</a> and <code>code</code>.</p>\n'],
  ])('HTML %s', TIMEOUT, (_name, unit) => {
    expectLinear(repeat(unit), importing('html'));
  });

  it('HTML nested tags, closed', TIMEOUT, () => {
    expectLinear((size) => '<b>'.repeat(size / 8) + 'x' + '</b>'.repeat(size / 8), importing('html'));
  });

  it('plain text', TIMEOUT, () => {
    expectLinear(repeat('A line of text.\nAnother.\n\n'), importing('text'));
  });

  it('Markdown made of random units of its syntax (property)', { timeout: 600_000 }, () => {
    const unit = fc.array(fc.constantFrom(...'[]()<>*_`~!#>-+|\\&;:\n a1.'.split(''), '  ', '\n\n', '](', '**', '~~', '```', '&amp;', '&#x'), { minLength: 1, maxLength: 6 });
    fc.assert(fc.property(unit, (parts) => expectLinear(repeat(parts.join('')), importing('markdown'))), { numRuns: 8 });
  });

  it('HTML made of random units of tags and text (property)', { timeout: 600_000 }, () => {
    const tag = fc.constantFrom('b', 'i', 'a', 'p', 'li', 'ul', 'td', 'tr', 'table', 'div', 'h2', 'pre', 'code', 'blockquote', 'span', 'svg', 'select');
    const piece = fc.oneof(tag.map((t) => `<${t}>`), tag.map((t) => `</${t}>`), fc.constantFrom('x', ' ', '&amp;', '<br>', '<!--', '-->', '<img alt="a">'));
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (parts) => expectLinear(repeat(parts.join('')), importing('html'))), { numRuns: 8 });
  });
});

describe('re-anchoring grows linearly with the text', () => {
  /** A periodic text of `size` with 20 quotes edited (Z → Y) across it; the work re-anchors all 20. */
  const periodicPublish = (period: string, quoteLength: number) => {
    const cache = new Map<string, { rows: Parameters<typeof reanchorRows>[0]; newText: string }>();
    const make = (size: number) => {
      const chars = [...repeat(period)(size)];
      const marks = Array.from({ length: 20 }, (_, i) => Math.floor((size * (i + 0.5)) / 20));
      for (const at of marks) chars[at] = 'Z';
      const oldText = chars.join('');
      const rows = marks.map((at) => {
        const t = describeRange(oldText, at - quoteLength / 2, at + quoteLength / 2);
        return { ...t.quote, ...t.position, oldLength: oldText.length };
      });
      const key = `${size}`;
      cache.set(key, { rows, newText: oldText.replaceAll('Z', 'Y') });
      return key;
    };
    const work = (key: string) => {
      const { rows, newText } = cache.get(key)!;
      reanchorRows(rows, newText);
    };
    return { make, work };
  };

  it.each([
    ['"ab", quotes of 16', 'ab', 16],
    ['"ab", quotes of 64', 'ab', 64],
    ['a sentence, quotes of 200', 'The quick brown fox jumps over the lazy dog. ', 200],
  ])('periodic text of %s', TIMEOUT, (_name, period, quoteLength) => {
    const { make, work } = periodicPublish(period, quoteLength);
    expectLinear(make, work);
  });
});
