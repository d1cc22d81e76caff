'use client';

/**
 * Admins' list of people: change a role (viewer / analyst / admin) or deactivate and reactivate
 * an account. Each change goes through PATCH /api/users/:id and applies on that user's next
 * request; a refusal (e.g. demoting the last admin) is shown on the row and the row keeps its
 * current value.
 */
import { useState } from 'react';
import type { ApiUser } from '@/lib/domain/api-types';
import { ROLES, type Role } from '@/lib/domain/tags';
import { api, ApiError } from '@/lib/client/api';

export function UserTable({ users: initial, meId }: { users: ApiUser[]; meId: string }) {
  const [users, setUsers] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);

  const change = async (u: ApiUser, patch: { role?: Role; active?: boolean }) => {
    setBusy(u.id);
    setErrors((e) => ({ ...e, [u.id]: '' }));
    try {
      const res = await api<{ user: ApiUser }>('PATCH', `/api/users/${u.id}`, patch);
      setUsers((list) => list.map((x) => (x.id === u.id ? res.user : x)));
    } catch (e) {
      setErrors((all) => ({ ...all, [u.id]: e instanceof ApiError ? e.message : 'Could not save the change' }));
    } finally {
      setBusy(null);
    }
  };

  return (
    <table className="user-table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Email</th>
          <th scope="col">Role</th>
          <th scope="col">Account</th>
        </tr>
      </thead>
      <tbody>
        {users.map((u) => (
          <tr key={u.id} className={u.active ? undefined : 'is-inactive'} data-user-email={u.email}>
            <td>
              {u.name}
              {u.id === meId && <span className="muted"> (you)</span>}
              {errors[u.id] && <div className="field-error" role="alert">{errors[u.id]}</div>}
            </td>
            <td>{u.email}</td>
            <td>
              <select aria-label={`Role of ${u.name}`} value={u.role} disabled={busy === u.id} onChange={(e) => void change(u, { role: e.target.value as Role })}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>{r}</option>
                ))}
              </select>
            </td>
            <td>
              <button
                type="button"
                className="btn-secondary"
                disabled={busy === u.id}
                onClick={() => {
                  if (u.active && !window.confirm(`Deactivate ${u.name}? They are signed out everywhere and cannot sign in until reactivated.`)) return;
                  void change(u, { active: !u.active });
                }}
              >
                {u.active ? 'Deactivate' : 'Reactivate'}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
