import 'server-only';
import type { TCreateLink } from '@/lib/domain/api-schemas';
import type { ApiAnnotationLink, ApiLink } from '@/lib/domain/api-types';
import { AppError, notFound } from '@/lib/domain/errors';
import { authorize, authorizeRole, type Actor } from '@/lib/domain/policy';
import { db, type Tx } from './db';
import { recordEvent } from './events';
import { holdCurrentRevision } from './revision-guard';
import { annotationInclude, toApiAnnotation, toApiLink } from './serialize';

/**
 * Typed links between two annotations of one document (docs/api.md, "Tradecraft fields"):
 * `source` supports, contradicts or depends on `target`. Both must be live annotations of the
 * same document on its current revision (orphans included: a link is about the judgment, not the
 * passage). A link is hard-deleted, by its DELETE or with either of its annotations; every change
 * writes a `link.created` / `link.deleted` event whose payload is the link.
 */

/** The quote shown for the annotation at a link's other end. */
export const LINK_QUOTE_CHARS = 80;
const shortQuote = (s: string) => (s.length <= LINK_QUOTE_CHARS ? s : `${s.slice(0, LINK_QUOTE_CHARS - 1)}…`);

/** Before the body or the id is read: viewers may not link (403 whatever they send). */
export const precheckCreateLink = (actor: Actor) => authorizeRole(actor, 'link.create');

const revisedMeanwhile = () =>
  new AppError('conflict', 'The document was revised meanwhile; load the new revision and link again', { reason: 'revised' });

/**
 * Creates the link `sourceId -> input.targetId`. Idempotent: the same link again (same source,
 * target and type) answers 200 with the existing one and writes nothing. A supporting link from
 * evidence to a speculation marked needs-source clears the mark, in the same transaction, with
 * its annotation.updated event after the link.created one.
 */
export async function createLink(actor: Actor, sourceId: string, input: TCreateLink): Promise<{ status: 200 | 201; body: { link: ApiLink } }> {
  precheckCreateLink(actor);
  authorize(actor, 'document.read');
  return db().$transaction(async (tx) => {
    const rows = await tx.annotation.findMany({
      where: { id: { in: [sourceId, input.targetId] }, deletedAt: null, document: { deletedAt: null } },
      select: { id: true, documentId: true, revisionId: true, tag: true, needsSource: true },
    });
    const source = rows.find((r) => r.id === sourceId);
    if (!source) throw notFound('Annotation');
    if (input.targetId === sourceId) {
      throw new AppError('unprocessable', 'A highlight cannot be linked to itself', [{ path: ['targetId'], message: 'must be another highlight' }]);
    }
    const target = rows.find((r) => r.id === input.targetId);
    if (!target || target.documentId !== source.documentId) {
      throw new AppError('unprocessable', 'The target is not a highlight of this document', [{ path: ['targetId'], message: 'must be a live highlight of the same document' }]);
    }
    // Both on the current revision, held there (FOR SHARE) until the commit.
    if (target.revisionId !== source.revisionId || !(await holdCurrentRevision(tx, source.documentId, source.revisionId))) throw revisedMeanwhile();

    const key = { sourceId, targetId: target.id, type: input.type };
    const { count } = await tx.annotationLink.createMany({ data: [{ ...key, documentId: source.documentId, createdById: actor.id }], skipDuplicates: true });
    const row = await tx.annotationLink.findUniqueOrThrow({ where: { sourceId_targetId_type: key } });
    const link = toApiLink(row);
    if (count === 0) return { status: 200 as const, body: { link } };
    await recordEvent(tx, { documentId: link.documentId, type: 'link.created', actorId: actor.id, resourceId: link.id, payload: link });

    if (input.type === 'supports' && source.tag === 'evidence' && target.tag === 'speculation' && target.needsSource) {
      await tx.annotation.update({ where: { id: target.id }, data: { needsSource: false, version: { increment: 1 } } });
      const updated = toApiAnnotation(await tx.annotation.findUniqueOrThrow({ where: { id: target.id }, include: annotationInclude }));
      await recordEvent(tx, { documentId: link.documentId, type: 'annotation.updated', actorId: actor.id, resourceId: target.id, payload: updated });
    }
    return { status: 201 as const, body: { link } };
  });
}

/** Removes a link listed on annotation `annotationId` (either end): its maker or an admin. */
export async function deleteLink(actor: Actor, annotationId: string, linkId: string): Promise<void> {
  const link = await db().annotationLink.findFirst({
    where: {
      id: linkId,
      OR: [{ sourceId: annotationId }, { targetId: annotationId }],
      source: { deletedAt: null }, target: { deletedAt: null }, document: { deletedAt: null },
    },
  });
  if (!link) throw notFound('Link');
  authorize(actor, 'link.delete', { authorId: link.createdById });
  await db().$transaction(async (tx) => {
    const { count } = await tx.annotationLink.deleteMany({ where: { id: linkId } });
    if (count === 0) throw notFound('Link');
    await recordEvent(tx, { documentId: link.documentId, type: 'link.deleted', actorId: actor.id, resourceId: link.id, payload: toApiLink(link) });
  });
}

/** Inside an annotation's delete: removes its links (both directions), one link.deleted event each. */
export async function deleteLinksOf(tx: Tx, actor: Actor, documentId: string, annotationId: string): Promise<void> {
  const links = await tx.annotationLink.findMany({ where: { OR: [{ sourceId: annotationId }, { targetId: annotationId }] }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  if (!links.length) return;
  await tx.annotationLink.deleteMany({ where: { id: { in: links.map((l) => l.id) } } });
  for (const l of links) {
    await recordEvent(tx, { documentId, type: 'link.deleted', actorId: actor.id, resourceId: l.id, payload: toApiLink(l) });
  }
}

/** The links of one annotation, both directions, with the other end's id, tag and quote. */
export async function annotationLinks(annotationId: string): Promise<ApiAnnotationLink[]> {
  const other = { select: { id: true, tag: true, exact: true, deletedAt: true } } as const;
  const rows = await db().annotationLink.findMany({
    where: { OR: [{ sourceId: annotationId }, { targetId: annotationId }] },
    include: { source: other, target: other },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return rows.flatMap(({ source, target, ...l }) => {
    const outgoing = l.sourceId === annotationId;
    const o = outgoing ? target : source;
    if (o.deletedAt) return []; // deleted with it; never left behind, but never shown either
    return [{ ...toApiLink(l), direction: outgoing ? ('outgoing' as const) : ('incoming' as const), other: { id: o.id, tag: o.tag, quote: shortQuote(o.exact) } }];
  });
}

/** Every link of the document with at least one end among `annotationIds` (one query). */
export async function linksAmong(documentId: string, annotationIds: string[]): Promise<ApiLink[]> {
  if (!annotationIds.length) return [];
  const ids = new Set(annotationIds);
  const rows = await db().annotationLink.findMany({
    where: { documentId, source: { deletedAt: null }, target: { deletedAt: null } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return rows.filter((l) => ids.has(l.sourceId) || ids.has(l.targetId)).map(toApiLink);
}
