import { parsePathParams, ZGetDocumentQuerySchema, ZIdParamsSchema } from '@/lib/domain/api-schemas';
import { getDocument } from '@/lib/server/documents';
import { json, route } from '@/lib/server/http';

export const GET = route<{ id: string }>(async ({ actor, params, query }) => {
  const { id } = parsePathParams(ZIdParamsSchema, params);
  return json({ document: await getDocument(actor, id, query(ZGetDocumentQuerySchema).revision) });
});
