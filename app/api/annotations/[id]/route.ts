import { parsePathParams, ZIdParamsSchema, ZPatchAnnotationSchema } from '@/lib/domain/api-schemas';
import { deleteAnnotation, getAnnotation, patchAnnotation } from '@/lib/server/annotations';
import { json, noContent, route } from '@/lib/server/http';

export const GET = route<{ id: string }>(async ({ actor, params }) => json(await getAnnotation(actor, parsePathParams(ZIdParamsSchema, params).id)));

export const PATCH = route<{ id: string }>(async ({ actor, params, body }) => {
  const { id } = parsePathParams(ZIdParamsSchema, params);
  return json({ annotation: await patchAnnotation(actor, id, await body(ZPatchAnnotationSchema)) });
});

export const DELETE = route<{ id: string }>(async ({ actor, params }) => {
  await deleteAnnotation(actor, parsePathParams(ZIdParamsSchema, params).id);
  return noContent();
});
