import { ZCreateTokenSchema } from '@/lib/domain/api-schemas';
import { json, route } from '@/lib/server/http';
import { createToken, listTokens } from '@/lib/server/tokens';

export const POST = route(async ({ actor, body }) => json(await createToken(actor, (await body(ZCreateTokenSchema)).name), 201));

export const GET = route(async ({ actor }) => json({ tokens: await listTokens(actor) }));
