import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardsIn, placeCards, type MarginItem } from './margin-layout';

const items = (...pairs: [number, number][]): MarginItem[] => pairs.map(([anchor, height]) => ({ anchor, height }));

describe('placeCards', () => {
  it('puts each card at its passage when there is room', () => {
    expect(placeCards(items([0, 50], [100, 50], [300, 50]), -1, 10)).toEqual([0, 100, 300]);
  });

  it('pushes overlapping cards down in document order', () => {
    expect(placeCards(items([0, 80], [20, 80], [40, 80]), -1, 10)).toEqual([0, 90, 180]);
  });

  it('puts the focused card at its passage and moves the cards before it up to make room', () => {
    expect(placeCards(items([200, 80], [210, 80], [220, 80]), 2, 10)).toEqual([40, 130, 220]);
    // Unfocused, the same cards hang down from the first passage instead.
    expect(placeCards(items([200, 80], [210, 80], [220, 80]), -1, 10)).toEqual([200, 290, 380]);
  });

  it('keeps the focused card at its passage even without room above: the cards before it move above the margin', () => {
    expect(placeCards(items([0, 100], [20, 100]), 1, 10)).toEqual([-90, 20]);
  });

  it('cards after the focused one are pushed below it', () => {
    expect(placeCards(items([0, 50], [200, 100], [210, 50]), 1, 10)).toEqual([0, 200, 310]);
  });

  it('property: cards never overlap and keep document order; the focused card is at its passage; unfocused, none is above its passage or the margin', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ anchor: fc.integer({ min: 0, max: 5000 }), height: fc.integer({ min: 1, max: 400 }) }), { maxLength: 60 }).map((xs) => xs.sort((a, b) => a.anchor - b.anchor)),
        fc.integer({ min: -1, max: 60 }),
        (xs, active) => {
          const tops = placeCards(xs, active, 12);
          for (let i = 1; i < xs.length; i++) expect(tops[i]).toBeGreaterThanOrEqual(tops[i - 1] + xs[i - 1].height + 12);
          if (active >= 0 && active < xs.length) expect(tops[active]).toBe(xs[active].anchor);
          else xs.forEach((x, i) => expect(tops[i]).toBeGreaterThanOrEqual(Math.max(0, x.anchor)));
        },
      ),
    );
  });
});

describe('cardsIn', () => {
  it('finds the cards that overlap a window', () => {
    const xs = items([0, 50], [100, 50], [200, 50], [300, 50]);
    const tops = placeCards(xs, -1, 10);
    expect(cardsIn(tops, xs, 120, 210)).toEqual([1, 3]);
    expect(cardsIn(tops, xs, 0, 10)).toEqual([0, 1]);
    expect(cardsIn(tops, xs, 400, 500)).toEqual([4, 4]);
  });
});
