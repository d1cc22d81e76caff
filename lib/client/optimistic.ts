/**
 * Local stand-ins for one's own changes, shown at once and replaced by the server's copy when it
 * answers (or removed when it refuses). Their ids mark them as pending.
 */
import { NO_TARGET, NO_TRADECRAFT, type AnnotationScope, type ApiAnnotation, type ApiAuthor, type ApiComment } from '@/lib/domain/api-types';
import type { JsonNode } from '@/lib/domain/document-text';
import type { Tag } from '@/lib/domain/tags';

const PENDING = 'pending-';
let seq = 0;

export const isPending = (id: string): boolean => id.startsWith(PENDING);

/** A new highlight's stand-in; with `target` null, a new page note's (scope `document`). */
export function optimisticAnnotation(at: { documentId: string; revisionId: string }, me: ApiAuthor, tag: Tag, target: ApiAnnotation['target'] | null): ApiAnnotation {
  const scope: AnnotationScope = target ? 'passage' : 'document';
  const now = new Date().toISOString();
  return {
    id: `${PENDING}${++seq}`, documentId: at.documentId, revisionId: at.revisionId, tag, status: 'open', scope, target: target ?? NO_TARGET,
    anchor: 'anchored', anchorMethod: 'created', anchorScore: null, ...NO_TRADECRAFT, author: { id: me.id, name: me.name }, commentCount: 0, version: 0, createdAt: now, updatedAt: now,
  };
}

export function optimisticComment(annotationId: string, parentId: string | null, me: ApiAuthor, body: JsonNode): ApiComment {
  return {
    id: `${PENDING}${++seq}`, annotationId, parentId, author: { id: me.id, name: me.name }, body,
    html: '', version: 0, createdAt: new Date().toISOString(), editedAt: null, deleted: false,
  };
}

/** The text of a Tiptap body, blocks on their own lines: what a pending comment shows. */
export function plainText(node: JsonNode | null): string {
  if (!node) return '';
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return '\n';
  const inner = (node.content ?? []).map(plainText);
  return ['paragraph', 'listItem'].includes(node.type) ? `${inner.join('')}\n` : inner.join('');
}
