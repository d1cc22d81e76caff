'use client';

import type { PresenceUser } from '@/lib/client/live';
import { initials } from '@/components/ui/initials';

/** Who else has this document open, as initials; updated live. */
export function Presence({ users, meId }: { users: PresenceUser[]; meId: string }) {
  const others = users.filter((u) => u.id !== meId);
  return (
    <div className="presence" aria-label="Also reading" role="group">
      {others.length === 0 ? (
        <span className="muted presence-alone">Only you here</span>
      ) : (
        <>
          <span className="muted">Also here:</span>
          {others.map((u) => (
            <span key={u.id} className="avatar" title={u.name} data-presence-user={u.id}>
              <span aria-hidden="true">{initials(u.name)}</span>
              <span className="sr-only">{u.name}</span>
            </span>
          ))}
        </>
      )}
    </div>
  );
}
