import { ZSearchQuerySchema } from '@/lib/domain/api-schemas';
import { json, route } from '@/lib/server/http';
import { search } from '@/lib/server/search';

/** Full-text search across every document the caller may read (docs/api.md, "Search"). */
export const GET = route(async ({ actor, query }) => json(await search(actor, query(ZSearchQuerySchema))));
