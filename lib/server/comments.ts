import 'server-only';
import type { TCreateComment, TPatchComment } from '@/lib/domain/api-schemas';
import { checkCommentBudget } from './comment-budget';
import { AppError, notFound } from '@/lib/domain/errors';
import { authorize, type Actor } from '@/lib/domain/policy';
import { db } from './db';
import { recordEvent } from './events';
import { withIdempotency, type StoredResult } from './idempotency';
import { afterCommentCommitted, notifyNewComment, notifyNewMentions, parseCommentWithMentions, storedMentions, type Notified } from './notifications';
import { commentInclude, toApiComment, type ApiComment } from './serialize';

/** A live comment on a live annotation, with the document it belongs to. */
async function liveComment(id: string) {
  const row = await db().comment.findFirst({
    where: { id, deletedAt: null, annotation: { deletedAt: null, document: { deletedAt: null } } },
    include: { ...commentInclude, annotation: { select: { documentId: true } } },
  });
  if (!row) throw notFound('Comment');
  return row;
}

export async function createComment(
  actor: Actor,
  annotationId: string,
  input: TCreateComment,
  idempotencyKey: string | null = null,
  /** The request's origin, for links in notification emails when APP_URL is not set. */
  origin: string | null = null,
): Promise<StoredResult<{ comment: ApiComment }>> {
  const annotation = await db().annotation.findFirst({ where: { id: annotationId, deletedAt: null, document: { deletedAt: null } }, select: { id: true, documentId: true } });
  if (!annotation) throw notFound('Annotation');
  authorize(actor, 'comment.create');
  if (input.parentId) {
    const parent = await db().comment.findFirst({ where: { id: input.parentId, annotationId, deletedAt: null }, select: { id: true } });
    if (!parent) throw new AppError('unprocessable', 'The comment you are replying to is gone or belongs to another thread', { field: 'parentId' });
  }
  const content = await parseCommentWithMentions(input.body);
  await checkCommentBudget({ documentId: annotation.documentId, annotationId }, content.html.length, true);
  // Set only when this request wrote the comment (not for an idempotent replay).
  let notified: { commentId: string; who: Notified[] } | null = null;
  const result = await withIdempotency(actor.id, idempotencyKey, `comment.create:${annotationId}`, input, async (tx) => {
    const row = await tx.comment.create({
      data: { annotationId, parentId: input.parentId ?? null, authorId: actor.id, body: content.body as object, html: content.html, text: content.text },
      include: commentInclude,
    });
    const comment = toApiComment(row);
    const who = await notifyNewComment(tx, { id: row.id, annotationId, documentId: annotation.documentId, authorId: actor.id, parentId: row.parentId }, content.mentions);
    await recordEvent(tx, { documentId: annotation.documentId, type: 'comment.created', actorId: actor.id, resourceId: row.id, payload: comment });
    notified = { commentId: row.id, who };
    return { status: 201, body: { comment } };
  });
  const done = notified as { commentId: string; who: Notified[] } | null;
  if (done) afterCommentCommitted(done.commentId, done.who, origin);
  return result;
}

export async function patchComment(actor: Actor, id: string, input: TPatchComment, origin: string | null = null): Promise<ApiComment> {
  const current = await liveComment(id);
  authorize(actor, 'comment.edit', current);
  const content = await parseCommentWithMentions(input.body);
  await checkCommentBudget({ documentId: current.annotation.documentId, annotationId: null }, content.html.length - current.html.length, false);
  let who: Notified[] = [];
  const comment = await db().$transaction(async (tx) => {
    const { count } = await tx.comment.updateMany({
      where: { id, version: input.version, deletedAt: null },
      data: { body: content.body as object, html: content.html, text: content.text, editedAt: new Date(), version: { increment: 1 } },
    });
    if (count === 0) {
      throw new AppError('conflict', 'This comment was changed meanwhile; here is the current text', { current: toApiComment(await liveComment(id)) });
    }
    const comment = toApiComment(await tx.comment.findUniqueOrThrow({ where: { id }, include: commentInclude }));
    // Someone newly mentioned by the edit is told; everyone else already was.
    const c = { id, annotationId: current.annotationId, documentId: current.annotation.documentId, authorId: actor.id };
    who = await notifyNewMentions(tx, c, storedMentions(current.body), content.mentions);
    await recordEvent(tx, { documentId: current.annotation.documentId, type: 'comment.updated', actorId: actor.id, resourceId: id, payload: comment });
    return comment;
  });
  afterCommentCommitted(id, who, origin);
  return comment;
}

export async function deleteComment(actor: Actor, id: string): Promise<void> {
  const current = await liveComment(id);
  authorize(actor, 'comment.delete', current);
  await db().$transaction(async (tx) => {
    const { count } = await tx.comment.updateMany({ where: { id, deletedAt: null }, data: { deletedAt: new Date(), version: { increment: 1 } } });
    if (count === 0) throw notFound('Comment');
    await recordEvent(tx, {
      documentId: current.annotation.documentId, type: 'comment.deleted', actorId: actor.id, resourceId: id,
      payload: { id, annotationId: current.annotationId },
    });
  });
}
