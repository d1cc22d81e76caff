import type { Metadata } from 'next';
import Link from 'next/link';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { AppHeader } from '@/components/app-header';
import { DocumentView } from '@/components/reader/document-view';
import { LiveTitle } from '@/components/reader/live-title';
import { isAppError } from '@/lib/domain/errors';
import { documentTitle, getDocument, listRevisions } from '@/lib/server/documents';
import { RevisionMenu } from '@/components/library/revision-menu';
import { pageState } from '@/lib/server/annotations';
import { optionalPageActor, requirePageActor } from '@/lib/server/session';
import { can } from '@/lib/domain/policy';
import { EARLY_PAINT_SCRIPT } from '@/generated/early-paint';

export const dynamic = 'force-dynamic';
type Params = { params: Promise<{ id: string }>; searchParams: Promise<{ revision?: string | string[] }> };

/** The tab says which document it is (only to someone who may read it). */
export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const me = await optionalPageActor();
  const title = me ? await documentTitle(me, (await params).id) : null;
  return { title: title ?? 'Document' };
}

export default async function DocumentPage({ params, searchParams }: Params) {
  const { id } = await params;
  const { revision } = await searchParams;
  const me = await requirePageActor(`/documents/${id}`);
  let document;
  try {
    document = await getDocument(me, id, typeof revision === 'string' && revision ? revision : undefined);
  } catch (e) {
    if (isAppError(e) && e.code === 'not_found') notFound();
    throw e;
  }
  const current = document.revision.id === document.currentRevision.id;
  // The event id is read before the data: a change committed in between is both loaded and
  // replayed (harmless). The paint plan is the held snapshot's, which may be a little behind or
  // ahead of it: the reader repaints the highlights from the list it loads.
  const [{ lastEventId, plan }, revisions, asked] = await Promise.all([pageState(me, id, document.revision.id), listRevisions(me, id), headers()]);
  // An in-app navigation fetches the page as an RSC payload, which React renders itself: a script
  // in it never runs (and React's development build warns of it). Next hides its `RSC` header
  // from pages; the browser says a fetch is one (`Sec-Fetch-Dest: empty`, where a load says
  // `document`). Clients that send neither get the plan, harmlessly.
  const fullLoad = asked.get('sec-fetch-dest') !== 'empty';
  // The annotations are not in the HTML: the browser fetches them while it reads the page, from
  // the document's shared snapshot (lib/server/snapshots.ts), so a heavily annotated document
  // costs this render nothing more than a bare one (docs/architecture.md, "Snapshots"), but for
  // the few kB of its paint plan.
  // On the current revision the comments load with each thread as it is shown; an earlier
  // revision (read-only, rare) comes whole. `v` (ignored by the API) makes the URL this view's
  // own: a preload the page did not use stays in the browser's memory cache for the life of the
  // tab, and a later visit in the same tab (the app navigates without reloading) would be handed
  // that old answer for the same URL.
  const query = new URLSearchParams(current ? {} : { include: 'comments', revision: document.revision.id });
  query.set('v', lastEventId.toString());
  const dataUrl = `/api/documents/${encodeURIComponent(id)}/annotations?${query}`;
  return (
    <div className="doc-page">
      {/* The page's first stop for Tab: straight to the article's keyboard caret (components/reader/article.tsx). */}
      <a className="skip-link" href="#article">Skip to article</a>
      {/* In the HTML itself (react-dom's preload() would only reach the browser with the RSC
          payload, once the page's scripts run): the browser fetches the threads while it parses. */}
      <link rel="preload" href={dataUrl} as="fetch" crossOrigin="anonymous" />
      <AppHeader
        me={me}
        tools
        crumb={
          <span className="crumb-doc">
            <LiveTitle title={document.title} />{' '}
            <RevisionMenu documentId={id} shown={document.revision} current={document.currentRevision} revisions={revisions} canEdit={can(me, 'document.revise')} />{' '}
            <Link href={`/documents/${id}/claims`} className="crumb-link">Claims</Link>
          </span>
        }
      />
      <DocumentView key={document.revision.id} lastEventId={lastEventId.toString()} document={document} dataUrl={dataUrl} me={{ id: me.id, name: me.name, role: me.role }} />
      {/* After the document view (the article, the margin): paints the highlights from the plan
          while the page's own scripts still load (lib/client/early-paint-entry.ts; allowed by its
          hash in the CSP). Sent on a full load only: React never runs a script it renders
          itself. */}
      {plan && fullLoad && <script data-revision={document.revision.id} data-count={plan.count} data-plan={plan.plan} dangerouslySetInnerHTML={{ __html: EARLY_PAINT_SCRIPT }} />}
    </div>
  );
}
