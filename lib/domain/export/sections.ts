/**
 * The sections of an article: each heading and the text offset where it starts, derived from the
 * revision's JSON with the reader's own walk (inline-layout.ts `blockModel`), so the offsets are
 * those of the revision's text that selectors point into. Used by the exports to say which
 * section a passage is in.
 */
import type { JsonNode } from '../document-text';
import { blockModel, type BlockModel } from '../inline-layout';

export interface Section {
  /** The heading's text ("" for the part before the first heading). */
  heading: string;
  level: number;
  /** Offset of the heading's first character (0 for the part before the first heading). */
  start: number;
}

export function documentSections(doc: JsonNode): Section[] {
  const out: Section[] = [{ heading: '', level: 0, start: 0 }];
  const visit = (b: BlockModel) => {
    if (b.kind === 'container') b.children.forEach(visit);
    else if (b.kind === 'textblock' && b.node.type === 'heading') {
      const heading = b.pieces.map((p) => (p.kind === 'text' ? p.text : ' ')).join('').trim();
      const level = Number(b.node.attrs?.level) || 1;
      if (b.from === 0) out[0] = { heading, level, start: 0 };
      else out.push({ heading, level, start: b.from });
    }
  };
  blockModel(doc).forEach(visit);
  return out;
}

/** The section holding `offset` (sections in document order; binary search). */
export function sectionAt(sections: readonly Section[], offset: number): Section {
  let lo = 0;
  let hi = sections.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sections[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return sections[lo];
}
