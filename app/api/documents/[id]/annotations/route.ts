import { createAnnotationRoute, listAnnotationsRoute } from '@/lib/server/annotation-routes';

/** Lists a document's annotations (lib/server/annotation-routes.ts, also served directly by scripts/serve.mjs). */
export const GET = listAnnotationsRoute;

/** Creates a highlight (lib/server/annotation-routes.ts, also served directly by scripts/serve.mjs). */
export const POST = createAnnotationRoute;
