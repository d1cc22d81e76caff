import { parsePathParams, ZDismissSuggestionSchema, ZIdParamsSchema } from '@/lib/domain/api-schemas';
import { json, route } from '@/lib/server/http';
import { dismissSuggestion, precheckDismissal } from '@/lib/server/review';

/** Dismisses a suggestion for the whole team (docs/api.md, "Tradecraft fields"). */
export const POST = route<{ id: string }>(async ({ actor, params, body }) => {
  precheckDismissal(actor);
  const { id } = parsePathParams(ZIdParamsSchema, params);
  const result = await dismissSuggestion(actor, id, (await body(ZDismissSuggestionSchema)).key);
  return json(result.body, result.status);
});
