import { z } from 'zod';
import { ZId } from '../text';

export const EXPORT_FORMATS = ['w3c', 'csv', 'markdown'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `GET /api/documents/:id/export` (docs/api.md, "Export and import"). */
export const ZExportQuerySchema = z.object({
  format: z.enum(EXPORT_FORMATS, { error: `must be one of ${EXPORT_FORMATS.join(', ')}` }),
  revision: ZId.optional(),
  /**
   * W3C only: the AnnotationPage to answer (0 is the collection's first), or `all`: the whole
   * collection in one streamed answer, every item in its one page (the download).
   */
  page: z
    .string()
    .regex(/^(\d{1,6}|all)$/, 'must be a page number (0, 1, …) or all')
    .transform((v) => (v === 'all' ? ('all' as const) : Number(v)))
    .optional(),
});

/** The answer of `POST /api/documents/:id/annotations/import`. */
export const ZImportAnswerSchema = z.object({
  created: z.array(z.string()),
  failed: z.array(z.object({ index: z.number().int(), reason: z.string() })),
});
