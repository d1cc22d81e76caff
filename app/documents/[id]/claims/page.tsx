import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AppHeader } from '@/components/app-header';
import { ClaimsTable } from '@/components/review/claims-table';
import { isAppError } from '@/lib/domain/errors';
import { documentClaims } from '@/lib/server/claims';
import { documentTitle } from '@/lib/server/documents';
import { optionalPageActor, requirePageActor } from '@/lib/server/session';

export const dynamic = 'force-dynamic';
type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const me = await optionalPageActor();
  const title = me ? await documentTitle(me, (await params).id) : null;
  return { title: title ? `Claims · ${title}` : 'Claims' };
}

/** Every annotation of a document in one sortable, filterable table (components/review/claims-table.tsx). */
export default async function ClaimsPage({ params }: Params) {
  const { id } = await params;
  const me = await requirePageActor(`/documents/${id}/claims`);
  let data;
  try {
    data = await documentClaims(me, id);
  } catch (e) {
    if (isAppError(e) && e.code === 'not_found') notFound();
    throw e;
  }
  return (
    <>
      <AppHeader me={me} crumb={<span className="crumb-title">Claims</span>} />
      <main className="page review-page">
        <h1>Claims in “{data.document.title}”</h1>
        <p><Link href={`/documents/${id}`}>Back to the document</Link></p>
        <ClaimsTable documentId={id} revisionId={data.document.revisionId} claims={data.claims} meId={me.id} />
      </main>
    </>
  );
}
