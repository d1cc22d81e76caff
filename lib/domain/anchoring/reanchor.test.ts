import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { checkTarget, describe as describeRange, trimRange, type Target } from '.';
import { buildTextIndex } from '../document-text';
import { markdownToDoc } from '../markdown-import';
import { reanchor, reanchorAll, type ReanchorResult, type ReanchorStatus } from './reanchor';
import { runs } from '@/scripts/test/property';

const ARTICLE = buildTextIndex(markdownToDoc(readFileSync('prisma/default-article.md', 'utf8'))).text;

/** Replaces the only occurrence of `from` (fails loudly if the edit does not apply exactly once). */
function replaceOnce(text: string, from: string, to: string): string {
  const parts = text.split(from);
  if (parts.length !== 2) throw new Error(`expected exactly one ${JSON.stringify(from)}, found ${parts.length - 1}`);
  return parts.join(to);
}

/** The selectors an analyst would have stored for the `occurrence`-th copy of `quote` in `text`. */
function annotate(text: string, quote: string, occurrence = 0): Target {
  let at = -1;
  for (let n = 0; n <= occurrence; n++) at = text.indexOf(quote, at + 1);
  if (at === -1) throw new Error(`quote not found: ${JSON.stringify(quote)}`);
  return describeRange(text, at, at + quote.length);
}

/** Every anchored result must be a valid target over the new text, not bounded by whitespace. */
function expectValidTarget(result: ReanchorResult, newText: string): Target {
  const target = result.target;
  if (!target) throw new Error(`expected a target, got ${result.status}`);
  const { start, end } = target.position;
  expect(target.quote.exact).toBe(newText.slice(start, end));
  expect(checkTarget(newText, target)).toBeNull();
  expect(target.quote.exact).not.toMatch(/^\s|\s$/);
  return target;
}

const PARAGRAPH_ABOUT_DIPLOMACY = ARTICLE.split('\n').find((p) => p.startsWith('Another benefit is diplomatic support.'))!;

interface Case {
  name: string;
  /** Edit applied to the article to get the text the annotation was made on (default: the article). */
  before?: (article: string) => string;
  quote: string;
  occurrence?: number;
  /** The new revision, from the old text. */
  edit: (old: string) => string;
  status: ReanchorStatus;
  /** The words the annotation must land on (omitted when orphaned). */
  words?: string;
  /** Where they must start, when `words` is not unique in the new text. */
  at?: (newText: string) => number;
}

const CASES: Case[] = [
  {
    name: 'unchanged text',
    quote: 'the rapidly deepening relationship between Russia and North Korea',
    edit: (t) => t,
    status: 'kept',
    words: 'the rapidly deepening relationship between Russia and North Korea',
  },
  {
    name: 'a typo fixed inside the quote',
    before: (t) => replaceOnce(t, 'Pyongyang has already been supplying', 'Pyongyang has alredy been suplying'),
    quote: 'Pyongyang has alredy been suplying Moscow',
    edit: (t) => replaceOnce(t, 'alredy been suplying', 'already been supplying'),
    status: 'fuzzy',
    words: 'Pyongyang has already been supplying Moscow',
  },
  {
    name: 'words inserted before the quote',
    quote: 'Facing international isolation and crippling sanctions',
    edit: (t) => replaceOnce(t, 'The war in Ukraine has drastically', 'Since February 2022, the war in Ukraine has drastically'),
    status: 'moved',
    words: 'Facing international isolation and crippling sanctions',
  },
  {
    name: 'the paragraph moved to the end of the document',
    quote: 'Russia can also leverage its veto power to block any actions against North Korea.',
    edit: (t) => `${t.replace(`${PARAGRAPH_ABOUT_DIPLOMACY}\n`, '')}\n${PARAGRAPH_ABOUT_DIPLOMACY}`,
    status: 'moved',
    words: 'Russia can also leverage its veto power to block any actions against North Korea.',
  },
  {
    name: 'a common phrase (3 copies) after an insertion at the top: the copy with the same context wins',
    quote: 'the war in Ukraine',
    occurrence: 1, // "… or the end of the war in Ukraine would reduce …"
    edit: (t) => replaceOnce(t, 'The echoes of war', 'Two years on, the echoes of war'),
    status: 'moved',
    words: 'the war in Ukraine',
    at: (t) => t.indexOf('the war in Ukraine would reduce'),
  },
  {
    name: 'a copy of the quote inserted just before it: the original (better context) wins over the nearer copy',
    quote: 'This diplomatic partnership can help North Korea to gain leverage.',
    edit: (t) => replaceOnce(t, 'Russia can also leverage', 'As one envoy put it, This diplomatic partnership can help North Korea to gain leverage. Russia can also leverage'),
    status: 'moved',
    words: 'This diplomatic partnership can help North Korea to gain leverage.',
    at: (t) => t.indexOf('This diplomatic partnership can help North Korea to gain leverage.\nFinally'),
  },
  {
    name: 'the paragraph duplicated near the top (identical context): the nearest copy, the original, wins',
    quote: 'Russia can also leverage its veto power',
    edit: (t) => replaceOnce(t, 'The Russia–North Korea Alliance\n', `The Russia–North Korea Alliance\n${PARAGRAPH_ABOUT_DIPLOMACY}\n`),
    status: 'moved',
    words: 'Russia can also leverage its veto power',
    at: (t) => t.lastIndexOf('Russia can also leverage its veto power'),
  },
  {
    name: 'a word replaced inside a short quote (4 edits in 19 characters)',
    quote: 'crippling sanctions',
    edit: (t) => replaceOnce(t, 'crippling sanctions', 'crushing sanctions'),
    status: 'fuzzy',
    words: 'crushing sanctions',
  },
  {
    name: 'a phrase changed everywhere (3 equally close matches): the one with the same context wins',
    quote: 'the war in Ukraine',
    occurrence: 1,
    edit: (t) => t.replaceAll('war in Ukraine', 'war on Ukraine'),
    status: 'fuzzy',
    words: 'the war on Ukraine',
    at: (t) => t.indexOf('the war on Ukraine would reduce'),
  },
  {
    name: 'the quote deleted',
    quote: 'the logistics of transporting and integrating North Korean supplies',
    edit: (t) => replaceOnce(t, ' Finally, the logistics of transporting and integrating North Korean supplies into the Russian military infrastructure are a complex undertaking.', ''),
    status: 'orphaned',
  },
  {
    name: 'the quote deleted while a look-alike remains elsewhere ("the United States and its allies")',
    quote: 'The United States and its allies',
    edit: (t) => replaceOnce(t, ' The United States and its allies must confront the new reality, and', ''),
    status: 'orphaned',
  },
  {
    name: 'a double space inside the quote',
    quote: 'from artillery shells and rockets to manpower',
    edit: (t) => replaceOnce(t, 'artillery shells and rockets', 'artillery shells  and rockets'),
    status: 'fuzzy',
    words: 'from artillery shells  and rockets to manpower',
  },
  {
    name: 'punctuation changed inside the quote',
    quote: 'a massive, if aging, military apparatus',
    edit: (t) => replaceOnce(t, 'a massive, if aging, military', 'a massive (if aging) military'),
    status: 'fuzzy',
    words: 'a massive (if aging) military apparatus',
  },
  {
    name: 'punctuation changed around the quote, same position',
    quote: 'crucial components in the daily grind of warfare',
    edit: (t) => replaceOnce(t, 'rockets, crucial components in the daily grind of warfare.', 'rockets; crucial components in the daily grind of warfare!'),
    status: 'kept',
    words: 'crucial components in the daily grind of warfare',
  },
  {
    name: 'punctuation changed around the quote, shifting it',
    quote: 'crucial components in the daily grind of warfare',
    edit: (t) => replaceOnce(t, 'rockets, crucial', 'rockets — crucial'),
    status: 'moved',
    words: 'crucial components in the daily grind of warfare',
  },
  {
    name: 'two paragraphs merged under a quote that spans them',
    quote: 'a clear picture of increasing cooperation.\nBeyond ammunition',
    edit: (t) => replaceOnce(t, 'cooperation.\nBeyond', 'cooperation. Beyond'),
    status: 'fuzzy',
    words: 'a clear picture of increasing cooperation. Beyond ammunition',
  },
  {
    name: 'the final full stop of the quote removed',
    quote: 'critical to North Korea’s stability and survival.',
    edit: (t) => replaceOnce(t, 'stability and survival.', 'stability and survival'),
    status: 'fuzzy',
    words: 'critical to North Korea’s stability and survival',
  },
  {
    name: 'curly apostrophe straightened inside the quote',
    quote: 'Russia’s burgeoning need for military supplies',
    edit: (t) => replaceOnce(t, 'Russia’s burgeoning', "Russia's burgeoning"),
    status: 'fuzzy',
    words: "Russia's burgeoning need for military supplies",
  },
  {
    name: 'a word inserted before a quote with an en dash',
    quote: 'Russia–North Korea Alliance',
    edit: (t) => replaceOnce(t, 'The Russia–North Korea Alliance', 'The Growing Russia–North Korea Alliance'),
    status: 'moved',
    words: 'Russia–North Korea Alliance',
  },
  {
    name: 'curly double quotes added inside the quote',
    quote: 'a world increasingly defined by great-power competition',
    edit: (t) => replaceOnce(t, 'by great-power competition.', 'by “great-power competition”.'),
    status: 'fuzzy',
    words: 'a world increasingly defined by “great-power competition',
  },
  {
    name: 'an emoji ending the document replaced by another (the match does not split its surrogate pair)',
    before: (t) => `${t} 🚂`,
    quote: 'the alliance presents. 🚂',
    edit: (t) => replaceOnce(t, '🚂', '🚀'),
    status: 'fuzzy',
    words: 'the alliance presents. 🚀',
  },
  {
    name: 'curly quotes removed from around the quote (the match is trimmed of the space before)',
    before: (t) => replaceOnce(t, 'by great-power competition.', 'by “great-power competition”.'),
    quote: '“great-power competition”',
    edit: (t) => replaceOnce(t, '“great-power competition”', 'great-power competition'),
    status: 'fuzzy',
    words: 'great-power competition',
  },
  {
    name: 'an empty new text',
    quote: 'The echoes of war in Ukraine',
    edit: () => '',
    status: 'orphaned',
  },
];

describe('reanchor() over the default article', () => {
  it.each(CASES)('$name → $status', (c) => {
    const oldText = c.before ? c.before(ARTICLE) : ARTICLE;
    const stored = annotate(oldText, c.quote, c.occurrence);
    const newText = c.edit(oldText);
    const result = reanchor(stored, newText, oldText.length);

    expect(result.status).toBe(c.status);
    if (c.status === 'orphaned') {
      expect(result.target).toBeUndefined();
      return;
    }
    const target = expectValidTarget(result, newText);
    expect(newText.slice(target.position.start, target.position.end)).toBe(c.words);
    expect(target.quote.exact).toBe(c.words);
    if (c.at) expect(target.position.start).toBe(c.at(newText));
    if (c.status === 'kept') expect(target.position).toEqual(stored.position);
    expect(result.score).toBeGreaterThan(0);
    expect(result.score).toBeLessThanOrEqual(1);
  });

  it('orphans a target with an empty quote, and a quote too short to match fuzzily', () => {
    expect(reanchor({ quote: { exact: '', prefix: '', suffix: '' }, position: { start: 0, end: 0 } }, ARTICLE).status).toBe('orphaned');
    const old = 'The cat sat on the mat.';
    expect(reanchor(describeRange(old, 4, 7), 'The cot sat on the mat.', old.length).status).toBe('orphaned');
  });
});

describe('reanchorAll()', () => {
  it('re-anchors every annotation of a revision, keyed by id', () => {
    const newText = replaceOnce(ARTICLE, 'The echoes of war', 'Two years on, the echoes of war');
    const annotations = [
      { id: 'a', target: annotate(ARTICLE, 'The Russia–North Korea Alliance') },
      { id: 'b', target: annotate(ARTICLE, 'reverberate across the globe') },
      { id: 'c', target: annotate(ARTICLE, 'The echoes of war in Ukraine') },
    ];
    const results = reanchorAll(annotations, ARTICLE, newText);
    expect([...results.keys()]).toEqual(['a', 'b', 'c']);
    expect(results.get('a')?.status).toBe('kept');
    expect(results.get('b')?.status).toBe('moved');
    expect(results.get('b')?.target?.quote.exact).toBe('reverberate across the globe');
    expect(results.get('c')?.status).toBe('fuzzy');
    expect(results.get('c')?.target?.quote.exact).toBe('the echoes of war in Ukraine');
  });
});

describe('reanchor() properties', () => {
  const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzé’–'), minLength: 1, maxLength: 8 });
  const edit = fc.record({ op: fc.constantFrom('insert', 'delete'), at: fc.nat(), word });
  type Edit = { op: 'insert' | 'delete'; at: number; word: string };
  const applyEdits = (words: string[], edits: Edit[]) => {
    const out = [...words];
    for (const e of edits) {
      if (e.op === 'insert') out.splice(e.at % (out.length + 1), 0, e.word);
      else if (out.length) out.splice(e.at % out.length, 1);
    }
    return out;
  };
  const count = (text: string, quote: string) => text.split(quote).length - 1;

  it('follows a quote through word insertions and deletions strictly outside it', () => {
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 50, maxLength: 300 }),
        fc.nat(),
        fc.nat(),
        fc.array(edit, { maxLength: 20 }),
        fc.array(edit, { maxLength: 20 }),
        (words, a, b, editsBefore, editsAfter) => {
          // A quote of 5–60 characters made of whole words.
          const i = a % words.length;
          let j = i + 1;
          while (j < words.length && words.slice(i, j).join(' ').length < 5) j++;
          const ends: number[] = [];
          for (let k = j; k <= words.length && words.slice(i, k).join(' ').length <= 60; k++) ends.push(k);
          fc.pre(ends.length > 0 && words.slice(i, ends[0]).join(' ').length >= 5);
          j = ends[b % ends.length];
          const quote = words.slice(i, j).join(' ');
          const oldText = words.join(' ');
          const start = i ? words.slice(0, i).join(' ').length + 1 : 0;
          const stored = describeRange(oldText, start, start + quote.length);

          const before = applyEdits(words.slice(0, i), editsBefore);
          const after = applyEdits(words.slice(j), editsAfter);
          const newText = [...before, quote, ...after].join(' ');
          const result = reanchor(stored, newText, oldText.length);

          expect(['kept', 'moved']).toContain(result.status);
          const target = expectValidTarget(result, newText);
          expect(target.quote.exact).toBe(quote);
          // The very same words, not another copy (with random words the quote is nearly always unique;
          // when it is not, which copy wins is decided by context and covered by the table above).
          if (count(newText, quote) === 1) {
            expect(target.position.start).toBe(before.length ? before.join(' ').length + 1 : 0);
          }
        },
      ),
      runs(200),
    );
  });

  it('returns a valid target or nothing, whatever the edit', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 20, maxLength: 120 }), fc.nat(), fc.nat({ max: 40 }), fc.array(edit, { maxLength: 15 }), (words, a, len, edits) => {
        const oldText = words.join(' ');
        const range = trimRange(oldText, a % oldText.length, Math.min(oldText.length, (a % oldText.length) + 1 + len));
        fc.pre(range !== null);
        const stored = describeRange(oldText, range.start, range.end);
        const newText = applyEdits(words, edits).join(' ');
        const result = reanchor(stored, newText, oldText.length);
        if (result.status === 'orphaned') expect(result.target).toBeUndefined();
        else expectValidTarget(result, newText);
      }),
      runs(200),
    );
  });
});
