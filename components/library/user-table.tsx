'use client';

/**
 * Admins' list of people: change a role (viewer / analyst / admin) or deactivate and reactivate
 * an account. Each change goes through PATCH /api/users/:id and applies on that user's next
 * request; a refusal (e.g. demoting the last admin) is shown on the row and the row keeps its
 * current value, until a later change succeeds (user-table-errors.ts). On narrow screens each
 * row is stacked, its cells labelled (globals.css, "Document admin").
 */
import { useState } from 'react';
import type { ApiUser } from '@/lib/domain/api-types';
import { ROLES, type Role } from '@/lib/domain/tags';
import { api, ApiError } from '@/lib/client/api';
import { rowErrorsAfter, type RowErrors } from './user-table-errors';

export function UserTable({ users: initial, meId }: { users: ApiUser[]; meId: string }) {
  const [users, setUsers] = useState(initial);
  const [errors, setErrors] = useState<RowErrors>({});
  const [busy, setBusy] = useState<string | null>(null);

  const change = async (u: ApiUser, patch: { role?: Role; active?: boolean }) => {
    setBusy(u.id);
    try {
      const res = await api<{ user: ApiUser }>('PATCH', `/api/users/${u.id}`, patch);
      setUsers((list) => list.map((x) => (x.id === u.id ? res.user : x)));
      setErrors((all) => rowErrorsAfter(all, { userId: u.id, ok: true }));
    } catch (e) {
      setErrors((all) => rowErrorsAfter(all, { userId: u.id, ok: false, message: e instanceof ApiError ? e.message : 'Could not save the change' }));
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
            <td data-label="Name" className="person-name">
              {u.name}
              {u.id === meId && <span className="muted"> (you)</span>}
              {errors[u.id] && <div className="field-error" role="alert">{errors[u.id]}</div>}
            </td>
            <td data-label="Email" className="person-email">{u.email}</td>
            <td data-label="Role">
              <select aria-label={`Role of ${u.name}`} value={u.role} disabled={busy === u.id} onChange={(e) => void change(u, { role: e.target.value as Role })}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>{r}</option>
                ))}
              </select>
            </td>
            <td data-label="Account">
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
