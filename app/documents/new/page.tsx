import type { Metadata } from 'next';
import { forbidden } from 'next/navigation';
import { AppHeader } from '@/components/app-header';
import { ImportForm } from '@/components/library/import-form';
import { can } from '@/lib/domain/policy';
import { requirePageActor } from '@/lib/server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Add a document' };

export default async function NewDocumentPage() {
  const me = await requirePageActor('/documents/new');
  // 403 with the not-allowed page (./forbidden.tsx) for anyone but an admin.
  if (!can(me, 'document.create')) forbidden();
  return (
    <>
      <AppHeader me={me} crumb={<span className="crumb-title">Add a document</span>} />
      <main className="page">
        <h1>Add a document</h1>
        <ImportForm />
      </main>
    </>
  );
}
