import { parsePathParams, ZIdParamsSchema, ZSuggestionsQuerySchema } from '@/lib/domain/api-schemas';
import { json, route } from '@/lib/server/http';
import { documentSuggestions } from '@/lib/server/review';

/** Estimative-language suggestions over the document's current revision, without dismissed ones unless `include=dismissed` (docs/api.md, "Tradecraft fields"). */
export const GET = route<{ id: string }>(async ({ actor, params, query }) => {
  const { id } = parsePathParams(ZIdParamsSchema, params);
  const { include } = query(ZSuggestionsQuerySchema);
  return json({ suggestions: await documentSuggestions(actor, id, { includeDismissed: include === 'dismissed' }) });
});
