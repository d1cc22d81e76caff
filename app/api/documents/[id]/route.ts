import { z } from 'zod';
import { getDocument } from '@/lib/server/documents';
import { json, route } from '@/lib/server/http';

const ZQuery = z.object({ revision: z.string().min(1).max(64).optional() });

export const GET = route<{ id: string }>(async ({ actor, params, query }) =>
  json({ document: await getDocument(actor, params.id, query(ZQuery).revision) }),
);
