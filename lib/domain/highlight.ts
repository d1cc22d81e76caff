/** A highlight as the reader draws and announces it (elements, CSS highlights and the caret alike). */
import { isPageNote, type ApiAnnotation } from './api-types';
import { TAG_META, type Tag } from './tags';

export interface HighlightSpec {
  id: string;
  tag: Tag;
  resolved: boolean;
  start: number;
  end: number;
  /** The thread's comment count; when given, screen readers hear it with the tag and status. */
  comments?: number;
}

/**
 * Above this many highlights the reader paints them with the CSS Custom Highlight API
 * (lib/client/css-highlights.ts) instead of an element per highlight.
 */
export const SPAN_LIMIT = 300;

/** The highlights drawn in the article for these annotations: not the orphaned ones, not page notes. */
export function highlightSpecs(annotations: readonly ApiAnnotation[]): HighlightSpec[] {
  return annotations
    .filter((a) => a.anchor !== 'orphaned' && !isPageNote(a))
    .map((a) => ({ id: a.id, tag: a.tag, resolved: a.status === 'resolved', start: a.target.position.start, end: a.target.position.end, comments: a.commentCount }));
}

/** What a screen reader is told about one highlight: "Speculation, open, 2 comments". */
export function highlightDescription(h: Pick<HighlightSpec, 'tag' | 'resolved' | 'comments'>): string {
  const parts = [TAG_META[h.tag].label, h.resolved ? 'resolved' : 'open'];
  if (h.comments !== undefined) parts.push(h.comments === 1 ? '1 comment' : `${h.comments} comments`);
  return parts.join(', ');
}

/** The CSS highlight of each tag and status (globals.css styles `::highlight(name)`), in a fixed order. */
export const PAINT_NAMES = (['evidence', 'speculation', 'assessment'] as const).flatMap((t) => [`mg-${t}`, `mg-${t}-resolved`]);

export const paintName = (h: Pick<HighlightSpec, 'tag' | 'resolved'>): string => `mg-${h.tag}${h.resolved ? '-resolved' : ''}`;

/** Overlapping or touching intervals merged, sorted by start. */
export function union(intervals: [number, number][]): [number, number][] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/**
 * What is painted for these highlights: per CSS highlight name, the union of its passages (within
 * one name overlapping passages look the same, so 2,000 dense highlights become a few hundred
 * ranges). Names with none are absent.
 */
export function paintIntervals(specs: readonly Pick<HighlightSpec, 'tag' | 'resolved' | 'start' | 'end'>[]): Map<string, [number, number][]> {
  const byName = new Map<string, [number, number][]>();
  for (const s of specs) {
    const name = paintName(s);
    (byName.get(name) ?? byName.set(name, []).get(name)!).push([s.start, s.end]);
  }
  for (const [name, list] of byName) byName.set(name, union(list));
  return byName;
}

/**
 * The paint plan as the document page carries it (an attribute of its inline painter): for each
 * of PAINT_NAMES in order, its intervals as differences, each from the offset before it
 * (`start₀, end₀−start₀, start₁−end₀, end₁−start₁…`: small numbers, ~40 % shorter than the
 * offsets on a 10,000-word document), the names joined by `;`. Digits, commas and semicolons
 * only: nothing to escape in HTML.
 */
export function encodePaintPlan(intervals: Map<string, [number, number][]>): string {
  return PAINT_NAMES.map((name) => {
    let at = 0;
    return (intervals.get(name) ?? []).flatMap(([s, e]) => {
      const out = [s - at, e - s];
      at = e;
      return out;
    }).join(',');
  }).join(';');
}

/** The intervals of an encoded plan; null when it is not one (the page then paints nothing early). */
export function decodePaintPlan(text: string): Map<string, [number, number][]> | null {
  const groups = text.split(';');
  if (groups.length !== PAINT_NAMES.length) return null;
  const out = new Map<string, [number, number][]>();
  for (const [i, group] of groups.entries()) {
    if (!group) continue;
    if (!/^\d{1,9}(,\d{1,9})*$/.test(group)) return null;
    const n = group.split(',').map(Number);
    if (n.length % 2) return null;
    const list: [number, number][] = [];
    let at = 0;
    for (let k = 0; k < n.length; k += 2) {
      // Intervals in order, none empty.
      if (n[k + 1] === 0 || (k > 0 && n[k] === 0)) return null;
      const start = at + n[k];
      at = start + n[k + 1];
      list.push([start, at]);
    }
    out.set(PAINT_NAMES[i], list);
  }
  return out;
}
