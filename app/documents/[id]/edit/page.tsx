import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AppHeader } from '@/components/app-header';
import { NotAllowed } from '@/components/ui/not-allowed';
import { RevisionEditor } from '@/components/library/revision-editor';
import { can } from '@/lib/domain/policy';
import { isAppError } from '@/lib/domain/errors';
import { getDocument } from '@/lib/server/documents';
import { requirePageActor } from '@/lib/server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Edit document' };

export default async function EditDocumentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const me = await requirePageActor(`/documents/${id}/edit`);
  let document;
  try {
    document = await getDocument(me, id);
  } catch (e) {
    if (isAppError(e) && e.code === 'not_found') notFound();
    throw e;
  }
  const crumb = (
    <span className="crumb-doc">
      <Link href={`/documents/${id}`} className="crumb-title">{document.title}</Link> <span className="rev">editing rev {document.revision.number}</span>
    </span>
  );
  return (
    <>
      <AppHeader me={me} crumb={crumb} />
      <main className="page editor-page">
        {can(me, 'document.revise') ? (
          <RevisionEditor documentId={id} title={document.title} base={{ id: document.revision.id, number: document.revision.number }} content={document.revision.content} />
        ) : (
          <NotAllowed message="Only admins can revise documents." back={{ href: `/documents/${id}`, label: 'Back to the document' }} />
        )}
      </main>
    </>
  );
}
