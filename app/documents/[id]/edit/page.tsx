import type { Metadata } from 'next';
import Link from 'next/link';
import { forbidden, notFound } from 'next/navigation';
import { AppHeader } from '@/components/app-header';
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
  // An unknown (or deleted) document is a 404 first; then anyone but an admin gets a 403 with
  // the not-allowed page (./forbidden.tsx).
  if (!can(me, 'document.revise')) forbidden();
  const crumb = (
    <span className="crumb-doc">
      <Link href={`/documents/${id}`} className="crumb-title">{document.title}</Link> <span className="rev">editing rev {document.revision.number}</span>
    </span>
  );
  return (
    <>
      <AppHeader me={me} crumb={crumb} />
      <main className="page editor-page">
        <RevisionEditor documentId={id} title={document.title} base={{ id: document.revision.id, number: document.revision.number }} content={document.revision.content} />
      </main>
    </>
  );
}
