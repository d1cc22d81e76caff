import type { Metadata } from 'next';
import { AppHeader } from '@/components/app-header';
import { NotAllowed } from '@/components/ui/not-allowed';
import { ImportForm } from '@/components/library/import-form';
import { can } from '@/lib/domain/policy';
import { requirePageActor } from '@/lib/server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Add a document' };

export default async function NewDocumentPage() {
  const me = await requirePageActor('/documents/new');
  return (
    <>
      <AppHeader me={me} crumb={<span className="crumb-title">Add a document</span>} />
      <main className="page">
        <h1>Add a document</h1>
        {can(me, 'document.create') ? (
          <ImportForm />
        ) : (
          <NotAllowed message="Only admins can add documents." />
        )}
      </main>
    </>
  );
}
