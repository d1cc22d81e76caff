/**
 * Where each thread card sits in the margin when there is room beside the article (as in Google
 * Docs and Word): at the height of its passage, pushed down in document order when it would
 * overlap the card before it. The focused card sits exactly at its passage and the cards before
 * it move up to make room, above the top of the margin if they must (as in Google Docs: where
 * threads are denser than their passages, the focused one stays beside its passage and the
 * others are reached by focusing theirs). Pure and linear in the number of cards.
 */
export interface MarginItem {
  /** Top of the card's passage, in the margin's coordinates. */
  anchor: number;
  /** The card's height (measured, or an estimate until it is). */
  height: number;
}

export function placeCards(items: MarginItem[], activeIndex: number, gap: number): number[] {
  const n = items.length;
  const tops = new Array<number>(n);
  if (n === 0) return tops;
  const pivot = activeIndex >= 0 && activeIndex < n ? activeIndex : -1;
  if (pivot < 0) {
    let bottom = -gap;
    for (let i = 0; i < n; i++) {
      tops[i] = Math.max(items[i].anchor, bottom + gap, 0);
      bottom = tops[i] + items[i].height;
    }
    return tops;
  }
  tops[pivot] = Math.max(0, items[pivot].anchor);
  // Before the focused card: each as low as its passage allows, but ending above the next card.
  for (let i = pivot - 1; i >= 0; i--) tops[i] = Math.min(items[i].anchor, tops[i + 1] - gap - items[i].height);
  // After it: pushed down in document order.
  let bottom = tops[pivot] + items[pivot].height;
  for (let i = pivot + 1; i < n; i++) {
    tops[i] = Math.max(items[i].anchor, bottom + gap);
    bottom = tops[i] + items[i].height;
  }
  return tops;
}

/** The indexes of cards that overlap [from, to) (tops ascending, cards never overlap). */
export function cardsIn(tops: number[], items: MarginItem[], from: number, to: number): [number, number] {
  // First card whose bottom is below `from`.
  let lo = 0;
  let hi = tops.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tops[mid] + items[mid].height <= from) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < tops.length && tops[end] < to) end++;
  return [lo, end];
}
