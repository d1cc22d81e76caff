import { parsePathParams } from '@/lib/domain/api-schemas';
import { ZW3cAnnotationParamsSchema } from '@/lib/domain/w3c/protocol';
import { exportBase } from '@/lib/server/export-base';
import { noContent, route } from '@/lib/server/http';
import {
  annotationOptions, canonicalPath, notModified, readAnnotation, readAnnotationBody, removeAnnotation, replaceAnnotation, toResponse, whereOf,
} from '@/lib/server/w3c-protocol';

/**
 * One annotation of a document's Web Annotation Protocol container (docs/api.md, "Web Annotation
 * Protocol"): `/api/w3c/documents/:id/:annotationId` (with a trailing slash: 308 to this).
 */
type P = { id: string; annotationId: string };

const read = (head: boolean) =>
  route<P>(async ({ req, actor, params }) => {
    const { id, annotationId } = parsePathParams(ZW3cAnnotationParamsSchema, params);
    const redirect = canonicalPath(req, false);
    if (redirect) return redirect;
    const answer = await readAnnotation(actor, id, annotationId, whereOf(req));
    if (notModified(req.headers.get('if-none-match'), answer.headers.ETag)) return toResponse({ ...answer, status: 304, body: null });
    return toResponse(answer, head);
  });

export const GET = read(false);
export const HEAD = read(true);

export const OPTIONS = route<P>(async ({ req, actor, params }) => {
  const { id, annotationId } = parsePathParams(ZW3cAnnotationParamsSchema, params);
  const redirect = canonicalPath(req, false);
  if (redirect) return redirect;
  return toResponse(await annotationOptions(actor, id, annotationId));
});

export const PUT = route<P>(async ({ req, actor, params }) => {
  const { id, annotationId } = parsePathParams(ZW3cAnnotationParamsSchema, params);
  const redirect = canonicalPath(req, false);
  if (redirect) return redirect;
  return toResponse(await replaceAnnotation(actor, id, annotationId, () => readAnnotationBody(req), req.headers.get('if-match'), whereOf(req)));
});

export const DELETE = route<P>(async ({ req, actor, params }) => {
  const { id, annotationId } = parsePathParams(ZW3cAnnotationParamsSchema, params);
  const redirect = canonicalPath(req, false);
  if (redirect) return redirect;
  await removeAnnotation(actor, id, annotationId, req.headers.get('if-match'), exportBase(req));
  return noContent();
});
