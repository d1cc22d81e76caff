/**
 * What a screen reader hears when someone else changes the document while it is open: one short
 * sentence per change, read politely (components/reader/document-view.tsx). The reader's own
 * changes are not announced (they see them happen where they act).
 */
import { TAG_META } from '@/lib/domain/tags';
import type { StoreAction, StoreState } from './store';

const short = (quote: string) => (quote.length > 40 ? `${quote.slice(0, 39)}…` : quote);

export function announcement(action: StoreAction, before: StoreState, meId: string): string | null {
  switch (action.type) {
    case 'annotation.upsert': {
      const a = action.annotation;
      const prev = before.annotations[a.id];
      const on = `“${short(a.target.quote.exact)}”`;
      if (!prev) return a.author.id === meId ? null : `${a.author.name} highlighted ${on} as ${TAG_META[a.tag].label.toLowerCase()}`;
      if (prev.version >= a.version) return null;
      if (prev.status !== a.status) return `The thread on ${on} was ${a.status === 'resolved' ? 'resolved' : 'reopened'}`;
      if (prev.tag !== a.tag) return `The highlight ${on} is now ${TAG_META[a.tag].label.toLowerCase()}`;
      return null;
    }
    case 'annotation.remove': {
      const prev = before.annotations[action.id];
      return prev ? `The highlight “${short(prev.target.quote.exact)}” and its thread were deleted` : null;
    }
    case 'comment.upsert': {
      const c = action.comment;
      if (before.comments[c.id] || c.author.id === meId) return null;
      const a = before.annotations[c.annotationId];
      const where = a ? ` on “${short(a.target.quote.exact)}”` : '';
      return `${c.author.name} ${c.parentId ? 'replied' : 'commented'}${where}`;
    }
    default:
      return null;
  }
}
