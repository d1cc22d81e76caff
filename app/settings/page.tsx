import type { Metadata } from 'next';
import { AppHeader } from '@/components/app-header';
import { PreferencesForm } from '@/components/notifications/preferences-form';
import { getPreferences } from '@/lib/server/notifications';
import { requirePageActor } from '@/lib/server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Settings' };

/** The signed-in user's own settings: which notifications also come by email. */
export default async function SettingsPage() {
  const me = await requirePageActor('/settings');
  return (
    <>
      <AppHeader me={me} crumb={<span className="crumb-title">Settings</span>} />
      <main className="page">
        <h1>Settings</h1>
        <PreferencesForm initial={await getPreferences(me)} />
      </main>
    </>
  );
}
