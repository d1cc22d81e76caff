import { parsePathParams, ZIdParamsSchema } from '@/lib/domain/api-schemas';
import { json, route } from '@/lib/server/http';
import { documentChecks } from '@/lib/server/review';

/** The review checks of the document's current revision (docs/api.md, "Tradecraft fields"). */
export const GET = route<{ id: string }>(async ({ actor, params }) =>
  json({ checks: await documentChecks(actor, parsePathParams(ZIdParamsSchema, params).id) }),
);
