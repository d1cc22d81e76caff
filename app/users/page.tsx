import type { Metadata } from 'next';
import { AppHeader } from '@/components/app-header';
import { NotAllowed } from '@/components/ui/not-allowed';
import { UserTable } from '@/components/library/user-table';
import { can } from '@/lib/domain/policy';
import { listUsers } from '@/lib/server/users';
import { requirePageActor } from '@/lib/server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'People' };

export default async function UsersPage() {
  const me = await requirePageActor('/users');
  const admin = can(me, 'user.manage');
  return (
    <>
      <AppHeader me={me} crumb={<span className="crumb-title">People</span>} />
      <main className="page">
        <h1>People</h1>
        {admin ? (
          <UserTable users={await listUsers(me)} meId={me.id} />
        ) : (
          <NotAllowed message="Only admins can manage people." />
        )}
      </main>
    </>
  );
}
