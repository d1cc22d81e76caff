import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitsSurrogatePair } from '@/lib/domain/text';
import { buildTextIndex } from '@/lib/domain/document-text';
import { blockModel, type BlockModel } from '@/lib/domain/inline-layout';
import { markdownToDoc } from '@/lib/domain/markdown-import';
import {
  adjacentHighlight,
  blockAt,
  describeHighlights,
  highlightsAt,
  nextChar,
  paragraphAt,
  prevChar,
  sentenceAt,
  sentences,
  wordEnd,
  wordStart,
  type Block,
  type CaretHighlight,
} from './caret';

const sentenceTexts = (s: string) => sentences(s).map(([a, b]) => s.slice(a, b));

describe('moving by character', () => {
  it('steps over a surrogate pair as one character, both ways', () => {
    const t = 'a😀b';
    expect(nextChar(t, 0)).toBe(1);
    expect(nextChar(t, 1)).toBe(3);
    expect(prevChar(t, 3)).toBe(1);
    expect(prevChar(t, 1)).toBe(0);
    // From the middle of a pair (never produced, but never made worse).
    expect(nextChar(t, 2)).toBe(3);
    expect(prevChar(t, 2)).toBe(1);
  });

  it('keeps a letter with its combining mark and an emoji ZWJ sequence whole', () => {
    const t = 'e\u0301x👩‍👩‍👧y';
    expect(nextChar(t, 0)).toBe(2);
    expect(nextChar(t, 3)).toBe(3 + '👩‍👩‍👧'.length);
    expect(prevChar(t, t.length - 1)).toBe(3);
  });

  it('stops at the ends', () => {
    expect(nextChar('ab', 2)).toBe(2);
    expect(prevChar('ab', 0)).toBe(0);
    expect(nextChar('', 0)).toBe(0);
  });

  it('never lands inside a surrogate pair and always moves (property)', () => {
    const unit = fc.constantFrom('a', ' ', '\n', '😀', '𝕏', 'e\u0301', '.', '’');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 200 }).map((a) => a.join('')), fc.nat(), (t, n) => {
        const i = Math.min(n, t.length);
        const from = splitsSurrogatePair(t, i) ? i - 1 : i;
        const next = nextChar(t, from);
        const prev = prevChar(t, from);
        expect(splitsSurrogatePair(t, next)).toBe(false);
        expect(splitsSurrogatePair(t, prev)).toBe(false);
        if (from < t.length) expect(next).toBeGreaterThan(from);
        if (from > 0) expect(prev).toBeLessThan(from);
      }),
    );
  });
});

describe('moving by word', () => {
  const t = 'Russia’s need, for 155mm shells.';
  it('Ctrl+Right goes to the end of this or the next word (an apostrophe inside a word is part of it)', () => {
    expect(wordEnd(t, 0)).toBe('Russia’s'.length);
    expect(wordEnd(t, 'Russia’s'.length)).toBe('Russia’s need'.length);
    expect(wordEnd(t, 'Russia’s need'.length)).toBe('Russia’s need, for'.length);
    expect(wordEnd(t, t.length - 1)).toBe(t.length);
  });
  it('Ctrl+Left goes to the start of this or the previous word', () => {
    expect(wordStart(t, t.length)).toBe(t.indexOf('shells'));
    expect(wordStart(t, t.indexOf('shells') + 2)).toBe(t.indexOf('shells'));
    expect(wordStart(t, t.indexOf('shells'))).toBe(t.indexOf('155mm'));
    expect(wordStart(t, 3)).toBe(0);
  });
  it('crosses blocks and steps over astral letters whole', () => {
    const u = 'end.\n𝐀𝐁 next';
    expect(wordEnd(u, 4)).toBe(5 + '𝐀𝐁'.length);
    expect(wordStart(u, 5 + '𝐀𝐁'.length)).toBe(5);
    expect(wordStart(u, 5)).toBe(0);
  });
  it('never splits a surrogate pair (property)', () => {
    const unit = fc.constantFrom('a', ' ', '😀', '𝐀', ',', '’');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 100 }).map((a) => a.join('')), fc.nat(), (t2, n) => {
        const i = Math.min(n, t2.length);
        expect(splitsSurrogatePair(t2, wordEnd(t2, i))).toBe(false);
        expect(splitsSurrogatePair(t2, wordStart(t2, i))).toBe(false);
        expect(wordEnd(t2, i)).toBeGreaterThanOrEqual(i - (splitsSurrogatePair(t2, i) ? 1 : 0));
      }),
    );
  });
});

describe('sentences', () => {
  it('splits on . ! ? followed by a space and a capital', () => {
    expect(sentenceTexts('One thing. Another! A third? Done')).toEqual(['One thing.', 'Another!', 'A third?', 'Done']);
  });
  it('keeps closing quotes and brackets with their sentence', () => {
    expect(sentenceTexts('He said “stop.” Then left. (An aside.) End.')).toEqual(['He said “stop.”', 'Then left.', '(An aside.)', 'End.']);
  });
  it('does not split on abbreviations, initials, decimals or a lower-case continuation', () => {
    expect(sentenceTexts('The U.S. military and Mr. Kim met. J. R. Smith paid 3.5 million, e.g. for shells. Next.')).toEqual([
      'The U.S. military and Mr. Kim met.',
      'J. R. Smith paid 3.5 million, e.g. for shells.',
      'Next.',
    ]);
    expect(sentenceTexts('See example.com for more. Then stop.')).toEqual(['See example.com for more.', 'Then stop.']);
  });
  it('ends a sentence after a dotted abbreviation when a sentence plainly starts', () => {
    expect(sentenceTexts('Sanctions came from the U.S. The war went on.')).toEqual(['Sanctions came from the U.S.', 'The war went on.']);
  });
  it('treats an ellipsis before a capital as an end, and a hard break as one', () => {
    expect(sentenceTexts('Wait... Then go.\nNew line')).toEqual(['Wait...', 'Then go.', 'New line']);
  });

  it('sentenceAt picks the sentence of the caret inside its block; the gap after one belongs to it', () => {
    const full = 'A heading.\nFirst one. Second one here.';
    const bl: Block[] = [{ from: 0, to: 10 }, { from: 11, to: full.length }];
    const at = (i: number) => {
      const r = sentenceAt(full, bl, i);
      return r && full.slice(r.start, r.end);
    };
    expect(at(0)).toBe('A heading.');
    expect(at(10)).toBe('A heading.');
    expect(at(11)).toBe('First one.');
    expect(at(full.indexOf(' Second'))).toBe('First one.');
    expect(at(full.indexOf('Second'))).toBe('Second one here.');
    expect(at(full.length)).toBe('Second one here.');
    expect(sentenceAt('', [{ from: 0, to: 0 }], 0)).toBeNull();
  });

  it('splits the default article into sentences that each start with a capital and end with a terminator', () => {
    const doc = markdownToDoc(readFileSync(new URL('../../prisma/default-article.md', import.meta.url), 'utf8'));
    const { text: t } = buildTextIndex(doc);
    const bl = textblocks(blockModel(doc));
    let count = 0;
    for (const b of bl) {
      for (const [s, e] of sentences(t.slice(b.from, b.to))) {
        const sentence = t.slice(b.from + s, b.from + e);
        count++;
        expect(sentence).toMatch(/^[\p{Lu}\d“"(‘']/u);
        if (!/^#|^\d/.test(sentence) && sentence.length > 60) expect(sentence).toMatch(/[.!?…]["”’)]?$/u);
      }
    }
    expect(count).toBeGreaterThan(80);
  });
});

describe('paragraphs and blocks', () => {
  const text = 'Title\nBody text here.\n\nafter empty';
  const bl: Block[] = [
    { from: 0, to: 5 },
    { from: 6, to: 21 },
    { from: 22, to: 22 },
    { from: 23, to: text.length },
  ];
  it('finds the block of an offset, both ends included', () => {
    expect(blockAt(bl, 0)).toBe(bl[0]);
    expect(blockAt(bl, 5)).toBe(bl[0]);
    expect(blockAt(bl, 6)).toBe(bl[1]);
    expect(blockAt(bl, 22)).toBe(bl[2]);
    expect(blockAt(bl, text.length)).toBe(bl[3]);
    expect(blockAt(bl, text.length + 1)).toBeNull();
  });
  it('paragraphAt is the whole block, null when empty', () => {
    expect(paragraphAt(text, bl, 10)).toEqual({ start: 6, end: 21 });
    expect(paragraphAt(text, bl, 22)).toBeNull();
  });
});

describe('highlights and the caret', () => {
  const h = (id: string, start: number, end: number, extra: Partial<CaretHighlight> = {}): CaretHighlight => ({ id, tag: 'evidence', resolved: false, start, end, ...extra });
  const specs = [h('c', 30, 40), h('a', 10, 20), h('b', 10, 15), h('d', 12, 50)];
  it('highlightsAt: those over the character at the caret, innermost first; the end is outside', () => {
    expect(highlightsAt(specs, 13).map((x) => x.id)).toEqual(['b', 'a', 'd']);
    expect(highlightsAt(specs, 20).map((x) => x.id)).toEqual(['d']);
    expect(highlightsAt(specs, 5)).toEqual([]);
  });
  it('j / k walk the highlights in document order, same-start ones one by one', () => {
    const walk = (dir: 1 | -1, from: number) => {
      const ids: string[] = [];
      let caret = from;
      let cur: string | null = null;
      for (let next = adjacentHighlight(specs, caret, cur, dir); next; next = adjacentHighlight(specs, caret, cur, dir)) {
        ids.push(next.id);
        caret = next.start;
        cur = next.id;
      }
      return ids;
    };
    expect(walk(1, 0)).toEqual(['b', 'a', 'd', 'c']);
    expect(walk(-1, 100)).toEqual(['c', 'd', 'a', 'b']);
    expect(adjacentHighlight(specs, 11, null, 1)?.id).toBe('d');
    expect(adjacentHighlight(specs, 11, null, -1)?.id).toBe('a');
    expect(adjacentHighlight([], 0, null, 1)).toBeNull();
  });
  it('describes the highlights for a screen reader', () => {
    expect(describeHighlights([h('x', 0, 1, { tag: 'speculation', comments: 2 })])).toBe('Speculation, open, 2 comments');
    expect(describeHighlights([h('x', 0, 1, { resolved: true, comments: 1 }), h('y', 0, 2, { tag: 'assessment' })])).toBe('Evidence, resolved, 1 comment; Assessment, open');
    expect(describeHighlights([])).toBe('');
  });
});

function textblocks(model: BlockModel[]): Block[] {
  const out: Block[] = [];
  const walk = (b: BlockModel) => {
    if (b.kind === 'textblock') out.push({ from: b.from, to: b.to });
    else if (b.kind === 'container') b.children.forEach(walk);
  };
  model.forEach(walk);
  return out;
}
