import { ZPatchAnnotationSchema } from '@/lib/domain/api-schemas';
import { deleteAnnotation, getAnnotation, patchAnnotation } from '@/lib/server/annotations';
import { json, noContent, route } from '@/lib/server/http';

export const GET = route<{ id: string }>(async ({ actor, params }) => json(await getAnnotation(actor, params.id)));

export const PATCH = route<{ id: string }>(async ({ actor, params, body }) =>
  json({ annotation: await patchAnnotation(actor, params.id, await body(ZPatchAnnotationSchema)) }),
);

export const DELETE = route<{ id: string }>(async ({ actor, params }) => {
  await deleteAnnotation(actor, params.id);
  return noContent();
});
