import 'server-only';
import { Prisma } from '@/generated/prisma/client';
import type { Tx } from './db';

/**
 * The guard of every write placed on a revision's text: the document row, only while `revisionId`
 * is still its current revision (and the document is not deleted), held FOR SHARE to the commit. Publishing a revision locks that
 * row FOR UPDATE (revisions.ts), so it waits for the write, and carries it over to the new text
 * instead of leaving it behind on the old one. As SQL, so a one-statement write can use it as a CTE.
 */
export const currentRevisionRow = (documentId: string, revisionId: string): Prisma.Sql =>
  Prisma.sql`SELECT id FROM "Document" WHERE id = ${documentId} AND "currentRevisionId" = ${revisionId} AND "deletedAt" IS NULL FOR SHARE`;

/** The same guard inside an interactive transaction: false when the revision has moved on. */
export async function holdCurrentRevision(tx: Tx, documentId: string, revisionId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>(currentRevisionRow(documentId, revisionId));
  return rows.length > 0;
}
