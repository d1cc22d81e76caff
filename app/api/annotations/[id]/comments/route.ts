import { ZCreateCommentSchema, ZIdempotencyKeySchema } from '@/lib/domain/api-schemas';
import { createComment } from '@/lib/server/comments';
import { idempotencyKey, json, route } from '@/lib/server/http';

export const POST = route<{ id: string }>(async ({ actor, params, body, req }) => {
  const key = idempotencyKey(req, ZIdempotencyKeySchema);
  const result = await createComment(actor, params.id, await body(ZCreateCommentSchema), key);
  return json(result.body, result.status);
});
