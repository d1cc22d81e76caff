import 'server-only';
import type { TCreateComment, TPatchComment } from '@/lib/domain/api-schemas';
import { parseCommentBody } from '@/lib/domain/comment-body';
import { checkCommentBudget } from './comment-budget';
import { AppError, notFound } from '@/lib/domain/errors';
import { authorize, type Actor } from '@/lib/domain/policy';
import { db } from './db';
import { recordEvent } from './events';
import { withIdempotency, type StoredResult } from './idempotency';
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
): Promise<StoredResult<{ comment: ApiComment }>> {
  const annotation = await db().annotation.findFirst({ where: { id: annotationId, deletedAt: null, document: { deletedAt: null } }, select: { id: true, documentId: true } });
  if (!annotation) throw notFound('Annotation');
  authorize(actor, 'comment.create');
  if (input.parentId) {
    const parent = await db().comment.findFirst({ where: { id: input.parentId, annotationId, deletedAt: null }, select: { id: true } });
    if (!parent) throw new AppError('unprocessable', 'The comment you are replying to is gone or belongs to another thread', { field: 'parentId' });
  }
  const content = parseCommentBody(input.body);
  await checkCommentBudget({ documentId: annotation.documentId, annotationId }, content.html.length, true);
  return withIdempotency(actor.id, idempotencyKey, `comment.create:${annotationId}`, input, async (tx) => {
    const row = await tx.comment.create({
      data: { annotationId, parentId: input.parentId ?? null, authorId: actor.id, body: content.body as object, html: content.html, text: content.text },
      include: commentInclude,
    });
    const comment = toApiComment(row);
    await recordEvent(tx, { documentId: annotation.documentId, type: 'comment.created', actorId: actor.id, resourceId: row.id, payload: comment });
    return { status: 201, body: { comment } };
  });
}

export async function patchComment(actor: Actor, id: string, input: TPatchComment): Promise<ApiComment> {
  const current = await liveComment(id);
  authorize(actor, 'comment.edit', current);
  const content = parseCommentBody(input.body);
  await checkCommentBudget({ documentId: current.annotation.documentId, annotationId: null }, content.html.length - current.html.length, false);
  return db().$transaction(async (tx) => {
    const { count } = await tx.comment.updateMany({
      where: { id, version: input.version, deletedAt: null },
      data: { body: content.body as object, html: content.html, text: content.text, editedAt: new Date(), version: { increment: 1 } },
    });
    if (count === 0) {
      throw new AppError('conflict', 'This comment was changed meanwhile; here is the current text', { current: toApiComment(await liveComment(id)) });
    }
    const comment = toApiComment(await tx.comment.findUniqueOrThrow({ where: { id }, include: commentInclude }));
    await recordEvent(tx, { documentId: current.annotation.documentId, type: 'comment.updated', actorId: actor.id, resourceId: id, payload: comment });
    return comment;
  });
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
