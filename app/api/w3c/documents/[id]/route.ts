import { parsePathParams, ZIdParamsSchema } from '@/lib/domain/api-schemas';
import { parsePrefer, ZContainerQuerySchema } from '@/lib/domain/w3c/protocol';
import { route } from '@/lib/server/http';
import { precheck } from '@/lib/server/prechecks';
import { canonicalPath, containerOptions, createInContainer, notModified, readAnnotationBody, readContainer, toResponse, whereOf } from '@/lib/server/w3c-protocol';

/**
 * A document as a W3C Web Annotation Protocol container (docs/api.md, "Web Annotation
 * Protocol"): `/api/w3c/documents/:id/`, with the trailing slash (without it: 308).
 */
const read = (head: boolean) =>
  route<{ id: string }>(async ({ req, actor, params, query }) => {
    const { id } = parsePathParams(ZIdParamsSchema, params);
    const redirect = canonicalPath(req, true);
    if (redirect) return redirect;
    const answer = await readContainer(actor, id, query(ZContainerQuerySchema), parsePrefer(req.headers.get('prefer')), whereOf(req));
    if (notModified(req.headers.get('if-none-match'), answer.headers.ETag)) return toResponse({ ...answer, status: 304, body: null });
    return toResponse(answer, head);
  });

export const GET = read(false);
export const HEAD = read(true);

export const OPTIONS = route<{ id: string }>(async ({ req, actor, params }) => {
  const { id } = parsePathParams(ZIdParamsSchema, params);
  const redirect = canonicalPath(req, true);
  if (redirect) return redirect;
  return toResponse(await containerOptions(actor, id));
});

export const POST = route<{ id: string }>(async ({ req, actor, params }) => {
  precheck.createAnnotation(actor);
  const { id } = parsePathParams(ZIdParamsSchema, params);
  const redirect = canonicalPath(req, true);
  if (redirect) return redirect;
  return toResponse(await createInContainer(actor, id, () => readAnnotationBody(req), whereOf(req)));
});
