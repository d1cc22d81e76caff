import Link from 'next/link';
import { AppHeader } from '@/components/app-header';
import { RelativeTime } from '@/components/ui/relative-time';
import { TagIcon } from '@/components/ui/tag-icon';
import { can } from '@/lib/domain/policy';
import { TAG_META, TAGS } from '@/lib/domain/tags';
import { listDocuments } from '@/lib/server/documents';
import { requirePageActor } from '@/lib/server/session';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const me = await requirePageActor('/');
  const documents = await listDocuments(me);
  const admin = can(me, 'document.create');
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
              <li key={d.id}>
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
              </li>
            ))}
          </ul>
        )}
      </main>
    </>
  );
}
