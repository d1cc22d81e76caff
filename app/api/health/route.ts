import { db } from '@/lib/server/db';
import { json, route } from '@/lib/server/http';

export const dynamic = 'force-dynamic';

/** Liveness and database reachability, for load balancers and the test harness. */
export const GET = route(async () => {
  await db().$queryRaw`SELECT 1`;
  return json({ ok: true });
}, { auth: false });
