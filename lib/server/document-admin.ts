import 'server-only';
import type { TPatchDocument } from '@/lib/domain/api-schemas';
import type { ApiDocumentState } from '@/lib/domain/api-types';
import { notFound } from '@/lib/domain/errors';
import { authorize, type Actor } from '@/lib/domain/policy';
import { db, type Tx } from './db';
import { recordEvent } from './events';

/**
 * Admins rename, delete and restore documents. A delete is soft: `deletedAt` is set and the
 * document, its revisions, highlights and threads stay in the database untouched, so a restore
 * brings everything back as it was. While it is set, every document route and page answers 404
 * (the services read documents with `deletedAt: null`), and the list shows it only to admins,
 * under `?deleted=true`.
 *
 * Each change holds the document row FOR UPDATE, like publishing a revision, so it is ordered
 * with publishes, and a highlight being created (which holds the row FOR SHARE while it checks
 * the document is live) either lands before the delete or gets the 404. Each writes an event to
 * the document's log (`document.renamed`, `document.deleted`, `document.restored`), which open
 * readers receive live.
 */

interface Row {
  id: string;
  title: string;
  updatedAt: Date;
  deletedAt: Date | null;
}

const toState = (r: Row): ApiDocumentState => ({
  id: r.id, title: r.title, updatedAt: r.updatedAt.toISOString(), deletedAt: r.deletedAt?.toISOString() ?? null,
});

/** The document row, locked to the end of the transaction; null for none (or one not finished). */
async function lockDocument(tx: Tx, id: string): Promise<Row | null> {
  const [row] = await tx.$queryRaw<Row[]>`
    SELECT id, title, "updatedAt", "deletedAt" FROM "Document"
    WHERE id = ${id} AND "currentRevisionId" IS NOT NULL FOR UPDATE`;
  return row ?? null;
}

export async function renameDocument(actor: Actor, id: string, input: TPatchDocument): Promise<ApiDocumentState> {
  authorize(actor, 'document.manage');
  return db().$transaction(async (tx) => {
    const doc = await lockDocument(tx, id);
    if (!doc || doc.deletedAt) throw notFound('Document');
    if (doc.title === input.title) return toState(doc);
    const updated = await tx.document.update({ where: { id }, data: { title: input.title }, select: { id: true, title: true, updatedAt: true, deletedAt: true } });
    await recordEvent(tx, { documentId: id, type: 'document.renamed', actorId: actor.id, resourceId: id, payload: { id, title: updated.title, previousTitle: doc.title } });
    return toState(updated);
  });
}

export async function deleteDocument(actor: Actor, id: string): Promise<void> {
  authorize(actor, 'document.manage');
  await db().$transaction(async (tx) => {
    const doc = await lockDocument(tx, id);
    if (!doc || doc.deletedAt) throw notFound('Document');
    await tx.document.update({ where: { id }, data: { deletedAt: new Date() } });
    await recordEvent(tx, { documentId: id, type: 'document.deleted', actorId: actor.id, resourceId: id, payload: { id } });
  });
}

/** Brings a deleted document back; restoring one that is not deleted changes nothing. */
export async function restoreDocument(actor: Actor, id: string): Promise<ApiDocumentState> {
  authorize(actor, 'document.manage');
  return db().$transaction(async (tx) => {
    const doc = await lockDocument(tx, id);
    if (!doc) throw notFound('Document');
    if (!doc.deletedAt) return toState(doc);
    const updated = await tx.document.update({ where: { id }, data: { deletedAt: null }, select: { id: true, title: true, updatedAt: true, deletedAt: true } });
    await recordEvent(tx, { documentId: id, type: 'document.restored', actorId: actor.id, resourceId: id, payload: { id, title: updated.title } });
    return toState(updated);
  });
}
