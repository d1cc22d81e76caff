import { ZCreateTokenSchema } from '@/lib/domain/api-schemas';
import { AppError } from '@/lib/domain/errors';
import { json, route } from '@/lib/server/http';
import { createToken, listTokens } from '@/lib/server/tokens';

export const POST = route(async ({ actor, body }) => {
  // A token mints no more tokens: a leaked one cannot multiply itself (or its rate limit).
  if (actor.via === 'token') throw new AppError('forbidden', 'Create API tokens while signed in, not with another token');
  return json(await createToken(actor, (await body(ZCreateTokenSchema)).name), 201);
});

export const GET = route(async ({ actor }) => json({ tokens: await listTokens(actor) }));
