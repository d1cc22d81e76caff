import 'server-only';
import type { SourceFormat, TCreateDocument } from '@/lib/domain/api-schemas';
import { checkContentDepth } from '@/lib/domain/article-schema';
import type { ApiDocument, ApiDocumentSummary, ApiRevisionSummary } from '@/lib/domain/api-types';
import { buildTextIndex, type JsonNode } from '@/lib/domain/document-text';
import { notFound } from '@/lib/domain/errors';
import { authorize, type Actor } from '@/lib/domain/policy';
import { TAGS } from '@/lib/domain/tags';
import { db, type Tx } from './db';
import { recordEvent } from './events';
import { runHeavy } from './heavy-work/pool';
import type { Article } from './heavy-work/tasks';

export async function listDocuments(actor: Actor): Promise<ApiDocumentSummary[]> {
  authorize(actor, 'document.read');
  const docs = await db().document.findMany({
    where: { currentRevisionId: { not: null } },
    orderBy: { createdAt: 'asc' },
    select: { id: true, title: true, createdAt: true, updatedAt: true, currentRevision: { select: { id: true, number: true } } },
  });
  const revisionIds = docs.flatMap((d) => (d.currentRevision ? [d.currentRevision.id] : []));
  const [counts, activity] = await Promise.all([
    db().annotation.groupBy({
      by: ['revisionId', 'tag', 'anchor'],
      where: { deletedAt: null, revisionId: { in: revisionIds } },
      _count: { _all: true },
    }),
    docs.length
      ? // Each document's newest event through the (documentId, id) index, not a scan of its history.
        db().$queryRaw<{ documentId: string; at: Date }[]>`
          SELECT d.id AS "documentId", last."createdAt" AS at
          FROM unnest(${docs.map((d) => d.id)}::text[]) AS d(id)
          CROSS JOIN LATERAL (SELECT "createdAt" FROM "Event" e WHERE e."documentId" = d.id ORDER BY e.id DESC LIMIT 1) AS last`
      : Promise.resolve([]),
  ]);
  const lastActivity = new Map(activity.map((a) => [a.documentId, a.at]));
  return docs.flatMap((d) => {
    if (!d.currentRevision) return [];
    const tally = { ...Object.fromEntries(TAGS.map((t) => [t, 0])), orphaned: 0 } as ApiDocumentSummary['counts'];
    let total = 0;
    for (const c of counts) {
      if (c.revisionId !== d.currentRevision.id) continue;
      total += c._count._all;
      tally[c.tag] += c._count._all;
      if (c.anchor === 'orphaned') tally.orphaned += c._count._all;
    }
    const at = lastActivity.get(d.id) ?? d.createdAt;
    return [{
      id: d.id, title: d.title, revision: d.currentRevision, annotationCount: total, counts: tally,
      updatedAt: d.updatedAt.toISOString(), lastActivityAt: at.toISOString(),
    }];
  });
}

const revisionSelect = {
  id: true, number: true, createdAt: true, createdBy: { select: { id: true, name: true } },
} as const;

function toRevisionSummary(r: { id: string; number: number; createdAt: Date; createdBy: { id: string; name: string } | null }): ApiRevisionSummary {
  return { id: r.id, number: r.number, createdAt: r.createdAt.toISOString(), createdBy: r.createdBy };
}

/** The document with its current revision, or with `revisionId` (an older one, read-only). */
export async function getDocument(actor: Actor, id: string, revisionId?: string): Promise<ApiDocument> {
  authorize(actor, 'document.read');
  const doc = await db().document.findUnique({
    where: { id },
    select: { id: true, title: true, currentRevision: { select: { id: true, number: true } } },
  });
  if (!doc?.currentRevision) throw notFound('Document');
  const rev = await db().documentRevision.findFirst({
    where: { documentId: id, id: revisionId ?? doc.currentRevision.id },
    select: { ...revisionSelect, text: true, content: true },
  });
  if (!rev) throw notFound('Revision');
  return {
    id: doc.id,
    title: doc.title,
    revision: { ...toRevisionSummary(rev), text: rev.text, content: rev.content as unknown as JsonNode },
    currentRevision: doc.currentRevision,
  };
}

export async function listRevisions(actor: Actor, documentId: string): Promise<ApiRevisionSummary[]> {
  authorize(actor, 'document.read');
  const doc = await db().document.findUnique({ where: { id: documentId }, select: { currentRevisionId: true } });
  if (!doc?.currentRevisionId) throw notFound('Document');
  const revs = await db().documentRevision.findMany({ where: { documentId }, orderBy: { number: 'desc' }, select: revisionSelect });
  return revs.map(toRevisionSummary);
}

/**
 * Markdown, HTML (sanitised) or plain text -> validated article JSON and its plain text. Parsed in
 * the heavy-work pool, off the request thread; 422 when it takes longer than the pool's budget.
 */
export function importSource(format: SourceFormat, source: string): Promise<Article> {
  return runHeavy({ kind: 'import', format, source });
}

/** Untrusted article JSON (the revision editor's) -> checked content and text, in the pool too. */
export async function checkedArticle(raw: unknown): Promise<Article> {
  // Before the copy to the worker, which (like any recursion) would overflow on absurdly deep JSON.
  checkContentDepth(raw);
  return runHeavy({ kind: 'content', content: raw });
}

/** Writes a document with its first revision. Used by the API and by the first-start seed. */
export async function insertDocument(tx: Tx, title: string, content: JsonNode, actorId: string | null): Promise<ApiDocument> {
  const { text } = buildTextIndex(content);
  const doc = await tx.document.create({ data: { title } });
  const rev = await tx.documentRevision.create({
    data: { documentId: doc.id, number: 1, content: content as object, text, createdById: actorId },
    select: { ...revisionSelect },
  });
  await tx.document.update({ where: { id: doc.id }, data: { currentRevisionId: rev.id } });
  await recordEvent(tx, { documentId: doc.id, type: 'document.created', actorId, resourceId: doc.id, payload: { id: doc.id, title } });
  const revision = { id: rev.id, number: 1 };
  return { id: doc.id, title, revision: { ...toRevisionSummary(rev), text, content }, currentRevision: revision };
}

export async function createDocument(actor: Actor, input: TCreateDocument): Promise<ApiDocument> {
  authorize(actor, 'document.create');
  const { content } = await importSource(input.format, input.source);
  return db().$transaction((tx) => insertDocument(tx, input.title, content, actor.id));
}
