'use client';

import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { initials } from '@/components/threads/comment-view';
import { api } from '@/lib/client/api';

export function UserMenu({ me }: { me: { name: string; email: string; role: string } }) {
  const [busy, setBusy] = useState(false);
  return (
    <div className="user-menu">
      <span className="avatar" aria-hidden="true" title={me.name}>{initials(me.name)}</span>
      <span className="user-name">
        {me.name} <span className="role">{me.role}</span>
      </span>
      <button
        type="button"
        className="btn-ghost"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          await signOut({ callbackUrl: '/signin' });
        }}
      >
        Sign out
      </button>
      <button
        type="button"
        className="link-btn"
        disabled={busy}
        title="End your sessions on every device and browser"
        aria-label="Sign out everywhere"
        onClick={async () => {
          if (!window.confirm('Sign out on every device and browser?')) return;
          setBusy(true);
          await api('DELETE', '/api/me/sessions').catch(() => {});
          await signOut({ callbackUrl: '/signin' });
        }}
      >
        Everywhere
      </button>
    </div>
  );
}
