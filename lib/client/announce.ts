/**
 * What a screen reader hears when someone else changes the document while it is open: one short
 * sentence per change, read politely (components/reader/document-view.tsx). The reader's own
 * changes are not announced (they see them happen where they act).
 */
import { isPageNote, type ApiAnnotation } from '@/lib/domain/api-types';
import { TAG_META } from '@/lib/domain/tags';
import type { StoreAction, StoreState } from './store';

const short = (quote: string) => (quote.length > 40 ? `${quote.slice(0, 39)}…` : quote);
/** A page note has no quote: it is named by its author. */
const noteOf = (a: ApiAnnotation) => `the page note by ${a.author.name}`;

export function announcement(action: StoreAction, before: StoreState, meId: string): string | null {
  switch (action.type) {
    case 'annotation.upsert': {
      const a = action.annotation;
      const prev = before.annotations[a.id];
      const on = `“${short(a.target.quote.exact)}”`;
      const note = isPageNote(a);
      if (!prev) return a.author.id === meId ? null : note ? `${a.author.name} added a page note (${TAG_META[a.tag].label.toLowerCase()})` : `${a.author.name} highlighted ${on} as ${TAG_META[a.tag].label.toLowerCase()}`;
      if (prev.version >= a.version) return null;
      if (prev.status !== a.status) return `${note ? `The page note by ${a.author.name}` : `The thread on ${on}`} was ${a.status === 'resolved' ? 'resolved' : 'reopened'}`;
      if (prev.tag !== a.tag) return `${note ? `The page note by ${a.author.name}` : `The highlight ${on}`} is now ${TAG_META[a.tag].label.toLowerCase()}`;
      return null;
    }
    case 'annotation.remove': {
      const prev = before.annotations[action.id];
      if (prev && isPageNote(prev)) return `The page note by ${prev.author.name} and its thread were deleted`;
      return prev ? `The highlight “${short(prev.target.quote.exact)}” and its thread were deleted` : null;
    }
    case 'comment.upsert': {
      const c = action.comment;
      if (before.comments[c.id] || c.author.id === meId) return null;
      const a = before.annotations[c.annotationId];
      const where = a ? (isPageNote(a) ? ` on ${noteOf(a)}` : ` on “${short(a.target.quote.exact)}”`) : '';
      return `${c.author.name} ${c.parentId ? 'replied' : 'commented'}${where}`;
    }
    default:
      return null;
  }
}
