'use client';

import type { PresenceUser } from '@/lib/client/live';
import { initials } from '@/components/ui/initials';

/**
 * Who else has this document open, as initials; updated live. The server names the first few
 * readers and counts them all (`count`), so a crowded document says "+N" for the rest.
 */
export function Presence({ users, meId, count }: { users: PresenceUser[]; meId: string; count?: number }) {
  const others = users.filter((u) => u.id !== meId);
  // I am counted too (my stream is open), whether or not I am among the names sent.
  const unnamed = count === undefined ? 0 : Math.max(0, count - users.length - (users.some((u) => u.id === meId) ? 0 : 1));
  return (
    <div className="presence" aria-label="Also reading" role="group">
      {others.length + unnamed === 0 ? (
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
          {unnamed > 0 && (
            <span className="muted presence-more" title={`${unnamed} more reading`}>
              +{unnamed}
              <span className="sr-only"> more</span>
            </span>
          )}
        </>
      )}
    </div>
  );
}
