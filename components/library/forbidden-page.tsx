import { AppHeader } from '@/components/app-header';
import { NotAllowed } from '@/components/ui/not-allowed';
import { optionalPageActor } from '@/lib/server/session';

/**
 * The page a `forbidden()` renders (the forbidden.tsx files; Next answers it with 403): the
 * header as on any page, the page's heading, and why this role may not use it with the way back.
 * The forbidden files take no props, so each passes its own words; `notice` replaces the default
 * notice when it needs the route's parameters (a client component reading them).
 */
export async function ForbiddenPage({ title, message, notice }: { title: string; message: string; notice?: React.ReactNode }) {
  const me = await optionalPageActor();
  return (
    <>
      {me && <AppHeader me={me} crumb={<span className="crumb-title">{title}</span>} />}
      <main className="page">
        <h1>{title}</h1>
        {notice ?? <NotAllowed message={message} />}
      </main>
    </>
  );
}
