import { parsePathParams, ZIdParamsSchema } from '@/lib/domain/api-schemas';
import { ZExportQuerySchema } from '@/lib/domain/export/query';
import { exportDocument } from '@/lib/server/export';
import { exportBase } from '@/lib/server/export-base';
import { conditionalRead } from '@/lib/server/conditional';
import { route } from '@/lib/server/http';

/** A review's export: W3C JSON-LD (paged), CSV or a Markdown report (docs/api.md, "Export and import"). */
export const GET = route<{ id: string }>(async ({ actor, params, query, req }) => {
  const { id } = parsePathParams(ZIdParamsSchema, params);
  const q = query(ZExportQuerySchema);
  return conditionalRead(req, actor, id, async () => {
    const out = await exportDocument(actor, id, q, exportBase(req));
    const headers: Record<string, string> = { 'Content-Type': out.contentType };
    if (out.fileName) headers['Content-Disposition'] = `attachment; filename="${out.fileName}"`;
    return new Response(out.body, { status: 200, headers });
  });
});
