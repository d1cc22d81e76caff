import Link from 'next/link';
import { AppHeader } from '@/components/app-header';
import { listDocuments } from '@/lib/server/documents';
import { requirePageActor } from '@/lib/server/session';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const me = await requirePageActor('/');
  const documents = await listDocuments(me);
  return (
    <>
      <AppHeader me={me} />
      <main className="page">
        <h1>Documents</h1>
        {documents.length === 0 ? (
          <p className="empty">No documents yet. An admin can add one through the API (POST /api/documents).</p>
        ) : (
          <ul className="doc-list">
            {documents.map((d) => (
              <li key={d.id}>
                <Link href={`/documents/${d.id}`} className="doc-card">
                  <span className="doc-title">{d.title}</span>
                  <span className="muted">
                    rev {d.revision.number} · {d.annotationCount} {d.annotationCount === 1 ? 'highlight' : 'highlights'}
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
