import { parsePathParams, ZIdParamsSchema } from '@/lib/domain/api-schemas';
import { restoreDocument } from '@/lib/server/document-admin';
import { json, route } from '@/lib/server/http';
import { precheck } from '@/lib/server/prechecks';

/** Undoes a delete (admins). */
export const POST = route<{ id: string }>(async ({ actor, params }) => {
  precheck.manageDocument(actor);
  const { id } = parsePathParams(ZIdParamsSchema, params);
  return json({ document: await restoreDocument(actor, id) });
});
