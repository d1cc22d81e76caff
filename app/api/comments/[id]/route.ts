import { parsePathParams, ZIdParamsSchema, ZPatchCommentSchema } from '@/lib/domain/api-schemas';
import { deleteComment, patchComment } from '@/lib/server/comments';
import { json, noContent, route } from '@/lib/server/http';

export const PATCH = route<{ id: string }>(async ({ actor, params, body, req }) => {
  const { id } = parsePathParams(ZIdParamsSchema, params);
  return json({ comment: await patchComment(actor, id, await body(ZPatchCommentSchema), req.nextUrl.origin) });
});

export const DELETE = route<{ id: string }>(async ({ actor, params }) => {
  await deleteComment(actor, parsePathParams(ZIdParamsSchema, params).id);
  return noContent();
});
