import { ZCreateRevisionSchema } from '@/lib/domain/api-schemas';
import { listRevisions } from '@/lib/server/documents';
import { json, MAX_DOCUMENT_BODY_BYTES, route } from '@/lib/server/http';
import { createRevision } from '@/lib/server/revisions';

export const GET = route<{ id: string }>(async ({ actor, params }) => json({ revisions: await listRevisions(actor, params.id) }));

export const POST = route<{ id: string }>(
  async ({ actor, params, body }) => json(await createRevision(actor, params.id, await body(ZCreateRevisionSchema)), 201),
  { maxBodyBytes: MAX_DOCUMENT_BODY_BYTES },
);
