import { ZCreateDocumentSchema, ZListDocumentsQuerySchema } from '@/lib/domain/api-schemas';
import { createDocument, documentJson, listDocuments } from '@/lib/server/documents';
import { json, MAX_DOCUMENT_BODY_BYTES, rawJson, route } from '@/lib/server/http';
import { precheck } from '@/lib/server/prechecks';

export const GET = route(async ({ actor, query }) => json({ documents: await listDocuments(actor, { deleted: query(ZListDocumentsQuerySchema).deleted === 'true' }) }));

export const POST = route(
  async ({ actor, body }) => {
    precheck.createDocument(actor);
    return rawJson(documentJson(await createDocument(actor, await body(ZCreateDocumentSchema))), 201);
  },
  { maxBodyBytes: MAX_DOCUMENT_BODY_BYTES },
);
