import { ZPatchCommentSchema } from '@/lib/domain/api-schemas';
import { deleteComment, patchComment } from '@/lib/server/comments';
import { json, noContent, route } from '@/lib/server/http';

export const PATCH = route<{ id: string }>(async ({ actor, params, body }) =>
  json({ comment: await patchComment(actor, params.id, await body(ZPatchCommentSchema)) }),
);

export const DELETE = route<{ id: string }>(async ({ actor, params }) => {
  await deleteComment(actor, params.id);
  return noContent();
});
