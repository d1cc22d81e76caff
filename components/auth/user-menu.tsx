'use client';

import { useState, useSyncExternalStore } from 'react';
import { initials } from '@/components/ui/initials';
import { api } from '@/lib/client/api';

/**
 * Signs out the way next-auth's client does (POST /api/auth/signout with the CSRF token), without
 * shipping next-auth/react to every page.
 */
async function signOut(): Promise<void> {
  try {
    const { csrfToken } = (await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string };
    await fetch('/api/auth/signout', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Auth-Return-Redirect': '1' },
      body: new URLSearchParams({ csrfToken, callbackUrl: '/signin', json: 'true' }),
    });
  } finally {
    // A full load drops every client cache of the signed-out user's data (as next-auth's signOut).
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.href = '/signin';
  }
}

const noSubscription = () => () => {};

export function UserMenu({ me }: { me: { name: string; email: string; role: string } }) {
  const [busy, setBusy] = useState(false);
  // Server-rendered disabled, enabled once hydrated: a click before then would do nothing.
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);
  return (
    <div className="user-menu">
      <span className="avatar" aria-hidden="true" title={me.name}>{initials(me.name)}</span>
      <span className="user-name">
        {me.name} <span className="role">{me.role}</span>
      </span>
      <button
        type="button"
        className="btn-ghost"
        disabled={busy || !hydrated}
        onClick={async () => {
          setBusy(true);
          await signOut();
        }}
      >
        Sign out
      </button>
      <button
        type="button"
        className="link-btn"
        disabled={busy || !hydrated}
        title="End your sessions on every device and browser"
        aria-label="Sign out everywhere"
        onClick={async () => {
          if (!window.confirm('Sign out on every device and browser?')) return;
          setBusy(true);
          await api('DELETE', '/api/me/sessions').catch(() => {});
          await signOut();
        }}
      >
        Everywhere
      </button>
    </div>
  );
}
