import { openApiDocument } from '@/lib/domain/openapi';
import { json, route } from '@/lib/server/http';

/** The OpenAPI 3.1 description of this API (lib/domain/openapi.ts); public, like the docs it mirrors. */
const document = openApiDocument();

export const GET = route(async () => json(document), { auth: false, identify: false });
