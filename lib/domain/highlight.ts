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
