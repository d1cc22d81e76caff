'use client';

import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { initials } from '@/components/threads/comment-view';

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
    </div>
  );
}
