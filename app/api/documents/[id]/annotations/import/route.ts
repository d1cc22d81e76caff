import { z } from 'zod';
import { parsePathParams, ZIdParamsSchema } from '@/lib/domain/api-schemas';
import { importAnnotations } from '@/lib/server/annotation-import';
import { json, MAX_DOCUMENT_BODY_BYTES, route } from '@/lib/server/http';
import { precheck } from '@/lib/server/prechecks';

/**
 * Imports W3C Web Annotations onto the current revision (docs/api.md, "Import"); the shape is
 * checked by lib/domain/w3c/import.ts, which names the field in a 400.
 */
export const POST = route<{ id: string }>(
  async ({ actor, params, body }) => {
    precheck.createAnnotation(actor);
    const { id } = parsePathParams(ZIdParamsSchema, params);
    return json(await importAnnotations(actor, id, await body(z.unknown())));
  },
  { maxBodyBytes: MAX_DOCUMENT_BODY_BYTES },
);
