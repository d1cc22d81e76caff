import { noContent, route } from '@/lib/server/http';
import { revokeToken } from '@/lib/server/tokens';

export const DELETE = route<{ id: string }>(async ({ actor, params }) => {
  await revokeToken(actor, params.id);
  return noContent();
});
