import 'server-only';
import { randomUUID } from 'node:crypto';
import type { SourceFormat, TCreateDocument } from '@/lib/domain/api-schemas';
import { checkContentDepth } from '@/lib/domain/article-schema';
import type { ApiDocument, ApiDocumentSummary, ApiRevisionSummary } from '@/lib/domain/api-types';
import { buildTextIndex, type JsonNode } from '@/lib/domain/document-text';
import { shortTitle } from '@/lib/domain/document-title';
import { notFound } from '@/lib/domain/errors';
import { authorize, can, type Actor } from '@/lib/domain/policy';
import { textProblem } from '@/lib/domain/text';
import { TAGS } from '@/lib/domain/tags';
import { db, type Tx } from './db';
import { recordEvent } from './events';
import { runHeavy } from './heavy-work/pool';
import type { ArticleJson } from './heavy-work/tasks';

/**
 * The documents, oldest first; with `deleted`, the deleted ones instead, most recently deleted
 * first (admins only: they are listed to be restored).
 */
export async function listDocuments(actor: Actor, opts: { deleted?: boolean } = {}): Promise<ApiDocumentSummary[]> {
  authorize(actor, 'document.read');
  if (opts.deleted) authorize(actor, 'document.manage');
  const docs = await db().document.findMany({
    where: { currentRevisionId: { not: null }, deletedAt: opts.deleted ? { not: null } : null },
    orderBy: opts.deleted ? [{ deletedAt: 'desc' }, { id: 'asc' }] : [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true, title: true, createdAt: true, updatedAt: true, deletedAt: true, currentRevision: { select: { id: true, number: true } } },
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
      ...(d.deletedAt ? { deletedAt: d.deletedAt.toISOString() } : {}),
    }];
  });
}

const revisionSelect = {
  id: true, number: true, createdAt: true, createdBy: { select: { id: true, name: true } },
} as const;

function toRevisionSummary(r: { id: string; number: number; createdAt: Date; createdBy: { id: string; name: string } | null }): ApiRevisionSummary {
  return { id: r.id, number: r.number, createdAt: r.createdAt.toISOString(), createdBy: r.createdBy };
}

/**
 * A document's title for the page's <title> (shortened: a tab shows a few words, and a long
 * title would push everything else out of history lists), or null when there is none to show.
 */
export async function documentTitle(actor: Actor, id: string): Promise<string | null> {
  if (!can(actor, 'document.read') || textProblem(id) || id.length > 64) return null;
  const doc = await db().document.findFirst({ where: { id, deletedAt: null }, select: { title: true } });
  return doc ? shortTitle(doc.title) : null;
}

/** The document with its current revision, or with `revisionId` (an older one, read-only). */
export async function getDocument(actor: Actor, id: string, revisionId?: string): Promise<ApiDocument> {
  authorize(actor, 'document.read');
  const doc = await db().document.findFirst({
    where: { id, deletedAt: null },
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
  const doc = await db().document.findFirst({ where: { id: documentId, deletedAt: null }, select: { currentRevisionId: true } });
  if (!doc?.currentRevisionId) throw notFound('Document');
  const revs = await db().documentRevision.findMany({ where: { documentId }, orderBy: { number: 'desc' }, select: revisionSelect });
  return revs.map(toRevisionSummary);
}

/**
 * Markdown, HTML (sanitised) or plain text -> validated article JSON and its plain text. Parsed in
 * the heavy-work pool, off the request thread; 422 when it takes longer than the pool's budget.
 * The content comes back serialised and is stored and answered as that string.
 */
export function importSource(format: SourceFormat, source: string): Promise<ArticleJson> {
  return runHeavy({ kind: 'import', format, source });
}

/**
 * Untrusted article JSON (the revision editor's) -> checked content and text, in the pool too.
 * Its depth is checked here first (an iterative walk): copying a deeply nested object into the
 * worker would overflow this thread's stack.
 */
export async function checkedArticle(raw: unknown): Promise<ArticleJson> {
  checkContentDepth(raw);
  return runHeavy({ kind: 'content', content: raw });
}

/** A trusted article already in memory (the seed, tests) in the form the writers take. */
export function articleJson(content: JsonNode): ArticleJson {
  return { contentJson: JSON.stringify(content), text: buildTextIndex(content).text };
}

/**
 * Writes a revision with raw SQL so that its content goes to PostgreSQL as the string the worker
 * made: through Prisma's Json field it would be parsed and serialised again on the request thread.
 */
export async function insertRevision(tx: Tx, r: { documentId: string; number: number; article: ArticleJson; actorId: string | null }) {
  const [rev] = await tx.$queryRaw<{ id: string; number: number; createdAt: Date }[]>`
    INSERT INTO "DocumentRevision" (id, "documentId", number, content, text, "createdById")
    VALUES (${randomUUID()}, ${r.documentId}, ${r.number}, ${r.article.contentJson}::jsonb, ${r.article.text}, ${r.actorId})
    RETURNING id, number, "createdAt"`;
  return rev;
}

/** A created document, its content still the serialised string (see documentJson). */
export interface CreatedDocument {
  document: Omit<ApiDocument, 'revision'> & { revision: Omit<ApiDocument['revision'], 'content'> };
  contentJson: string;
}

/** Writes a document with its first revision. Used by the API and by the first-start seed. */
export async function insertDocument(tx: Tx, title: string, article: ArticleJson, actorId: string | null): Promise<CreatedDocument> {
  const doc = await tx.document.create({ data: { title } });
  const rev = await insertRevision(tx, { documentId: doc.id, number: 1, article, actorId });
  await tx.document.update({ where: { id: doc.id }, data: { currentRevisionId: rev.id } });
  await recordEvent(tx, { documentId: doc.id, type: 'document.created', actorId, resourceId: doc.id, payload: { id: doc.id, title } });
  const createdBy = actorId ? await tx.user.findUnique({ where: { id: actorId }, select: { id: true, name: true } }) : null;
  const revision = { ...toRevisionSummary({ ...rev, createdBy }), text: article.text };
  return { document: { id: doc.id, title, revision, currentRevision: { id: rev.id, number: rev.number } }, contentJson: article.contentJson };
}

/** `{ "document": … }` as JSON text, the content spliced in as the string it already is. */
export function documentJson({ document, contentJson }: CreatedDocument): string {
  const head = JSON.stringify({ document: { ...document, revision: { ...document.revision, content: 0 } } });
  // `"content":0` is the last member of `revision`, which is followed by `currentRevision`.
  const marker = '"content":0},"currentRevision":';
  const at = head.lastIndexOf(marker);
  return `${head.slice(0, at)}"content":${contentJson}},"currentRevision":${head.slice(at + marker.length)}`;
}

export async function createDocument(actor: Actor, input: TCreateDocument): Promise<CreatedDocument> {
  authorize(actor, 'document.create');
  const article = await importSource(input.format, input.source);
  return db().$transaction((tx) => insertDocument(tx, input.title, article, actor.id));
}
