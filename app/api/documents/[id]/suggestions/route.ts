import { parsePathParams, ZIdParamsSchema } from '@/lib/domain/api-schemas';
import { json, route } from '@/lib/server/http';
import { documentSuggestions } from '@/lib/server/review';

/** Estimative-language suggestions over the document's current revision (docs/api.md, "Tradecraft fields"). */
export const GET = route<{ id: string }>(async ({ actor, params }) =>
  json({ suggestions: await documentSuggestions(actor, parsePathParams(ZIdParamsSchema, params).id) }),
);
