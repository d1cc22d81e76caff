import { parsePathParams, ZGetDocumentQuerySchema, ZIdParamsSchema, ZPatchDocumentSchema } from '@/lib/domain/api-schemas';
import { deleteDocument, renameDocument } from '@/lib/server/document-admin';
import { getDocument } from '@/lib/server/documents';
import { conditionalRead } from '@/lib/server/conditional';
import { json, noContent, route } from '@/lib/server/http';
import { precheck } from '@/lib/server/prechecks';

export const GET = route<{ id: string }>(async ({ actor, params, query, req }) => {
  const { id } = parsePathParams(ZIdParamsSchema, params);
  const { revision } = query(ZGetDocumentQuerySchema);
  return conditionalRead(req, actor, id, async () => json({ document: await getDocument(actor, id, revision) }));
});

/** Rename (admins). */
export const PATCH = route<{ id: string }>(async ({ actor, params, body }) => {
  precheck.manageDocument(actor);
  const { id } = parsePathParams(ZIdParamsSchema, params);
  return json({ document: await renameDocument(actor, id, await body(ZPatchDocumentSchema)) });
});

/** Soft delete (admins); POST …/restore brings it back. */
export const DELETE = route<{ id: string }>(async ({ actor, params }) => {
  precheck.manageDocument(actor);
  const { id } = parsePathParams(ZIdParamsSchema, params);
  await deleteDocument(actor, id);
  return noContent();
});
