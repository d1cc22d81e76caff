import { parsePathParams, ZCreateCommentSchema, ZIdempotencyKeySchema, ZIdParamsSchema } from '@/lib/domain/api-schemas';
import { createComment } from '@/lib/server/comments';
import { idempotencyKey, json, route } from '@/lib/server/http';

export const POST = route<{ id: string }>(async ({ actor, params, body, req }) => {
  const { id } = parsePathParams(ZIdParamsSchema, params);
  const key = idempotencyKey(req, ZIdempotencyKeySchema);
  const result = await createComment(actor, id, await body(ZCreateCommentSchema), key, req.nextUrl.origin);
  return json(result.body, result.status);
});
