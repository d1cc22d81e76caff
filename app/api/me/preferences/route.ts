import { ZPatchPreferencesSchema } from '@/lib/domain/notification-api';
import { json, route } from '@/lib/server/http';
import { getPreferences, setPreferences } from '@/lib/server/notifications';

/** GET/PATCH /api/me/preferences: which notifications are also emailed (`none`, `mentions`, `all`). */
export const GET = route(async ({ actor }) => json({ preferences: await getPreferences(actor) }));

export const PATCH = route(async ({ actor, body }) => json({ preferences: await setPreferences(actor, await body(ZPatchPreferencesSchema)) }));
