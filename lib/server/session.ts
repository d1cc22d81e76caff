import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { actorFromCookies, type SessionActor } from './auth';

/** The signed-in actor of a page request, or a redirect to sign-in (pages only; APIs use route()). */
export async function requirePageActor(next: string): Promise<SessionActor> {
  const actor = await actorFromCookies(await cookies());
  if (!actor) redirect(`/signin?next=${encodeURIComponent(next)}`);
  return actor;
}

export async function optionalPageActor(): Promise<SessionActor | null> {
  return actorFromCookies(await cookies());
}
