import { getDocument } from '@/lib/server/documents';
import { json, route } from '@/lib/server/http';

export const GET = route<{ id: string }>(async ({ actor, params }) => json({ document: await getDocument(actor, params.id) }));
