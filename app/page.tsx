import Link from 'next/link';
import { AppHeader } from '@/components/app-header';
import { DocumentActions } from '@/components/library/document-actions';
import { RestoreButton } from '@/components/library/restore-button';
import { MyOpenThreads } from '@/components/review/my-open-threads';
import { RelativeTime } from '@/components/ui/relative-time';
import { TagIcon } from '@/components/ui/tag-icon';
import { can } from '@/lib/domain/policy';
import { TAG_META, TAGS } from '@/lib/domain/tags';
import { myOpenThreads } from '@/lib/server/claims';
import { listDocuments } from '@/lib/server/documents';
import { requirePageActor } from '@/lib/server/session';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const me = await requirePageActor('/');
  const admin = can(me, 'document.create');
  const manage = can(me, 'document.manage');
  const [documents, deleted, mine] = await Promise.all([listDocuments(me), manage ? listDocuments(me, { deleted: true }) : [], myOpenThreads(me)]);
  return (
    <>
      <AppHeader me={me} />
      <main className="page">
        <div className="page-head">
          <h1>Documents</h1>
          {admin && <Link href="/documents/new" className="btn-primary">Add a document</Link>}
        </div>
        {documents.length === 0 ? (
          <p className="empty">No documents yet. {admin ? 'Add one with “Add a document”.' : 'An admin can add one.'}</p>
        ) : (
          <ul className="doc-list">
            {documents.map((d) => (
              <li key={d.id} className={manage ? 'doc-item has-actions' : 'doc-item'}>
                <Link href={`/documents/${d.id}`} className="doc-card">
                  <span className="doc-title">{d.title}</span>
                  <span className="doc-meta muted">
                    <span>rev {d.revision.number}</span>
                    <span>{d.annotationCount} {d.annotationCount === 1 ? 'highlight' : 'highlights'}</span>
                    <span className="tag-counts" aria-label={TAGS.map((t) => `${d.counts[t]} ${TAG_META[t].label.toLowerCase()}`).join(', ')}>
                      {TAGS.map((t) => (
                        <span key={t} className={`tag-count tag-${t}`} title={TAG_META[t].label}>
                          <TagIcon tag={t} /> {d.counts[t]}
                        </span>
                      ))}
                    </span>
                    {d.counts.orphaned > 0 && <span>{d.counts.orphaned} orphaned</span>}
                    <span>last activity <RelativeTime iso={d.lastActivityAt} /></span>
                  </span>
                </Link>
                {manage && <DocumentActions id={d.id} title={d.title} />}
              </li>
            ))}
          </ul>
        )}
        <MyOpenThreads threads={mine} />
        {deleted.length > 0 && (
          <section className="deleted-docs" aria-labelledby="deleted-docs-heading">
            <h2 id="deleted-docs-heading">Deleted documents</h2>
            <p className="muted">Only admins see these. Restoring one brings it back for everyone with its highlights and threads.</p>
            <ul>
              {deleted.map((d) => (
                <li key={d.id}>
                  <span className="doc-title">{d.title}</span>
                  <span className="muted">deleted <RelativeTime iso={d.deletedAt!} /></span>
                  <RestoreButton id={d.id} title={d.title} />
                </li>
              ))}
            </ul>
          </section>
        )}
      </main>
    </>
  );
}
