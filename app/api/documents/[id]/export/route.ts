import { z } from 'zod';
import { parsePathParams, ZIdParamsSchema } from '@/lib/domain/api-schemas';
import { ZId } from '@/lib/domain/text';
import { EXPORT_FORMATS, exportDocument } from '@/lib/server/export';
import { exportBase } from '@/lib/server/export-base';
import { route } from '@/lib/server/http';

const ZQuery = z.object({
  format: z.enum(EXPORT_FORMATS, { error: `must be one of ${EXPORT_FORMATS.join(', ')}` }),
  revision: ZId.optional(),
  /** W3C only: the AnnotationPage to answer (0 is the collection's first). */
  page: z.string().regex(/^\d{1,6}$/, 'must be a page number (0, 1, …)').transform(Number).optional(),
});

/** A review's export: W3C JSON-LD (paged), CSV or a Markdown report (docs/api.md, "Export"). */
export const GET = route<{ id: string }>(async ({ actor, params, query, req }) => {
  const { id } = parsePathParams(ZIdParamsSchema, params);
  const q = query(ZQuery);
  const out = await exportDocument(actor, id, q, exportBase(req));
  const headers: Record<string, string> = { 'Content-Type': out.contentType, 'Cache-Control': 'no-store' };
  if (out.fileName) headers['Content-Disposition'] = `attachment; filename="${out.fileName}"`;
  return new Response(out.body, { status: 200, headers });
});
