import { parsePathParams, ZCreateRevisionSchema, ZIdParamsSchema } from '@/lib/domain/api-schemas';
import { listRevisions } from '@/lib/server/documents';
import { json, MAX_DOCUMENT_BODY_BYTES, route } from '@/lib/server/http';
import { precheck } from '@/lib/server/prechecks';
import { createRevision } from '@/lib/server/revisions';

export const GET = route<{ id: string }>(async ({ actor, params }) => json({ revisions: await listRevisions(actor, parsePathParams(ZIdParamsSchema, params).id) }));

export const POST = route<{ id: string }>(
  async ({ actor, params, body }) => {
    precheck.reviseDocument(actor);
    const { id } = parsePathParams(ZIdParamsSchema, params);
    return json(await createRevision(actor, id, await body(ZCreateRevisionSchema)), 201);
  },
  { maxBodyBytes: MAX_DOCUMENT_BODY_BYTES },
);
