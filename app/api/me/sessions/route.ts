import { json, route } from '@/lib/server/http';
import { signOutEverywhere } from '@/lib/server/users';

/** DELETE /api/me/sessions: sign out everywhere (every session of this user ends at once). */
export const DELETE = route(async ({ actor }) => {
  await signOutEverywhere(actor);
  return json({ ok: true });
});
