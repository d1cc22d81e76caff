import type { Metadata } from 'next';
import { forbidden } from 'next/navigation';
import { AppHeader } from '@/components/app-header';
import { UserTable } from '@/components/library/user-table';
import { can } from '@/lib/domain/policy';
import { listUsers } from '@/lib/server/users';
import { requirePageActor } from '@/lib/server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'People' };

export default async function UsersPage() {
  const me = await requirePageActor('/users');
  // 403 with the not-allowed page (./forbidden.tsx) for anyone but an admin.
  if (!can(me, 'user.manage')) forbidden();
  return (
    <>
      <AppHeader me={me} crumb={<span className="crumb-title">People</span>} />
      <main className="page">
        <h1>People</h1>
        <UserTable users={await listUsers(me)} meId={me.id} />
      </main>
    </>
  );
}
