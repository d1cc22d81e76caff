import { parsePathParams, ZDismissalParamsSchema } from '@/lib/domain/api-schemas';
import { noContent, route } from '@/lib/server/http';
import { precheckDismissal, restoreSuggestion } from '@/lib/server/review';

/** Restores a dismissed suggestion (the undo of a dismissal). */
export const DELETE = route<{ id: string; key: string }>(async ({ actor, params }) => {
  precheckDismissal(actor);
  const { id, key } = parsePathParams(ZDismissalParamsSchema, params);
  await restoreSuggestion(actor, id, key);
  return noContent();
});
