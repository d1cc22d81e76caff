import 'server-only';
import type { TCreateDocument } from '@/lib/domain/api-schemas';
import type { ApiDocument, ApiDocumentSummary } from '@/lib/domain/api-types';
import { buildTextIndex, type JsonNode } from '@/lib/domain/document-text';
import { notFound } from '@/lib/domain/errors';
import { markdownToDoc, plainTextToDoc } from '@/lib/domain/markdown-import';
import { authorize, type Actor } from '@/lib/domain/policy';
import { db, type Tx } from './db';
import { recordEvent } from './events';

export async function listDocuments(actor: Actor): Promise<ApiDocumentSummary[]> {
  authorize(actor, 'document.read');
  const docs = await db().document.findMany({
    where: { currentRevisionId: { not: null } },
    orderBy: { createdAt: 'asc' },
    select: { id: true, title: true, updatedAt: true, currentRevision: { select: { id: true, number: true } } },
  });
  const counts = await db().annotation.groupBy({
    by: ['revisionId'],
    where: { deletedAt: null, revisionId: { in: docs.flatMap((d) => (d.currentRevision ? [d.currentRevision.id] : [])) } },
    _count: { _all: true },
  });
  const countOf = new Map(counts.map((c) => [c.revisionId, c._count._all]));
  return docs.flatMap((d) =>
    d.currentRevision
      ? [{ id: d.id, title: d.title, revision: d.currentRevision, annotationCount: countOf.get(d.currentRevision.id) ?? 0, updatedAt: d.updatedAt.toISOString() }]
      : [],
  );
}

export async function getDocument(actor: Actor, id: string): Promise<ApiDocument> {
  authorize(actor, 'document.read');
  const doc = await db().document.findUnique({
    where: { id },
    select: { id: true, title: true, currentRevision: { select: { id: true, number: true, text: true, content: true } } },
  });
  if (!doc?.currentRevision) throw notFound('Document');
  return { id: doc.id, title: doc.title, revision: { ...doc.currentRevision, content: doc.currentRevision.content as unknown as JsonNode } };
}

/** Writes a document with its first revision. Used by the API and by the first-start seed. */
export async function insertDocument(tx: Tx, title: string, content: JsonNode, actorId: string | null): Promise<ApiDocument> {
  const { text } = buildTextIndex(content);
  const doc = await tx.document.create({ data: { title } });
  const rev = await tx.documentRevision.create({ data: { documentId: doc.id, number: 1, content: content as object, text } });
  await tx.document.update({ where: { id: doc.id }, data: { currentRevisionId: rev.id } });
  await recordEvent(tx, { documentId: doc.id, type: 'document.created', actorId, resourceId: doc.id, payload: { id: doc.id, title } });
  return { id: doc.id, title, revision: { id: rev.id, number: 1, text, content } };
}

export async function createDocument(actor: Actor, input: TCreateDocument): Promise<ApiDocument> {
  authorize(actor, 'document.create');
  const content = input.format === 'markdown' ? markdownToDoc(input.source) : plainTextToDoc(input.source);
  return db().$transaction((tx) => insertDocument(tx, input.title, content, actor.id));
}
