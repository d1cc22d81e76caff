import 'server-only';
/**
 * The review overviews: a document's claims table (every annotation with its replies, last
 * activity and section) and "My open threads" across documents on the start page.
 */
import { PAGE_NOTE_QUOTE, type ApiAnnotation } from '@/lib/domain/api-types';
import { documentSections, sectionAt } from '@/lib/domain/export/sections';
import { authorize, type Actor } from '@/lib/domain/policy';
import { listAnnotations, listRevisionComments } from './annotations';
import { db } from './db';
import { getDocument } from './documents';

export interface Claim {
  annotation: ApiAnnotation;
  /** Comments after the opening one. */
  replies: number;
  /** The latest of the annotation's change and its comments' posts and edits (ISO). */
  lastActivityAt: string;
  /** The heading of the section holding the passage ('' before the first heading or when orphaned). */
  section: string;
}

/** Every live annotation of the document's current revision as a row of the claims table. */
export async function documentClaims(actor: Actor, documentId: string) {
  const document = await getDocument(actor, documentId);
  const [annotations, comments] = await Promise.all([
    listAnnotations(actor, documentId, { revision: document.revision.id }),
    listRevisionComments(actor, documentId, document.revision.id),
  ]);
  const sections = documentSections(document.revision.content);
  const last = new Map<string, string>();
  for (const c of comments) {
    const at = c.editedAt && c.editedAt > c.createdAt ? c.editedAt : c.createdAt;
    if (at > (last.get(c.annotationId) ?? '')) last.set(c.annotationId, at);
  }
  const claims: Claim[] = annotations.map((a) => {
    const commented = last.get(a.id);
    return {
      annotation: a,
      replies: Math.max(0, a.commentCount - 1),
      lastActivityAt: commented && commented > a.updatedAt ? commented : a.updatedAt,
      section: a.anchor === 'orphaned' ? '' : sectionAt(sections, a.target.position.start).heading,
    };
  });
  return { document: { id: document.id, title: document.title, revisionId: document.revision.id }, claims };
}

export interface MyThread {
  annotationId: string;
  documentId: string;
  documentTitle: string;
  tag: ApiAnnotation['tag'];
  quote: string;
  commentCount: number;
  updatedAt: string;
}

/** Open threads the actor started or commented in, in live documents, most recently changed first. */
export async function myOpenThreads(actor: Actor, limit = 20): Promise<MyThread[]> {
  authorize(actor, 'document.read');
  const rows = await db().annotation.findMany({
    where: {
      status: 'open', deletedAt: null, document: { deletedAt: null },
      OR: [{ authorId: actor.id }, { comments: { some: { authorId: actor.id, deletedAt: null } } }],
    },
    select: {
      id: true, tag: true, exact: true, scope: true, updatedAt: true, documentId: true,
      document: { select: { title: true } },
      _count: { select: { comments: { where: { deletedAt: null } } } },
    },
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    take: limit,
  });
  return rows.map((r) => ({
    annotationId: r.id, documentId: r.documentId, documentTitle: r.document.title, tag: r.tag, quote: r.scope === 'document' ? PAGE_NOTE_QUOTE : r.exact,
    commentCount: r._count.comments, updatedAt: r.updatedAt.toISOString(),
  }));
}
