import { z } from 'zod';
import { ZId } from '../text';

export const EXPORT_FORMATS = ['w3c', 'csv', 'markdown'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `GET /api/documents/:id/export` (docs/api.md, "Export and import"). */
export const ZExportQuerySchema = z.object({
  format: z.enum(EXPORT_FORMATS, { error: `must be one of ${EXPORT_FORMATS.join(', ')}` }),
  revision: ZId.optional(),
  /** W3C only: the AnnotationPage to answer (0 is the collection's first). */
  page: z.string().regex(/^\d{1,6}$/, 'must be a page number (0, 1, …)').transform(Number).optional(),
});

/** The answer of `POST /api/documents/:id/annotations/import`. */
export const ZImportAnswerSchema = z.object({
  created: z.array(z.string()),
  failed: z.array(z.object({ index: z.number().int(), reason: z.string() })),
});
