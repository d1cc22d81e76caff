'use client';

import Link from 'next/link';
import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { useHydrated } from '@/lib/client/use-client-value';
import { api, ApiError } from '@/lib/client/api';

const FIELD_LABELS: Record<string, string> = { email: 'Email', name: 'Name', password: 'Password' };

export function SignUpForm() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get('email'));
    const password = String(form.get('password'));
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/users', { email, name: String(form.get('name')), password });
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.code === 'bad_request' && Array.isArray(err.details) && err.details.length) {
        // The server names each field: "Password is one of the 10,000 most common passwords; ..."
        setError(err.details.map((d: { path?: string[]; message: string }) => `${FIELD_LABELS[d.path?.join('.') ?? ''] ?? 'Form'} ${d.message}`).join('; '));
      } else setError(err instanceof ApiError ? err.message : 'Could not create the account.');
      return;
    }
    const res = await signIn('credentials', { email, password, redirect: false });
    // A full load, as next-auth's own signIn does: every server component re-reads the new session.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    if (res?.ok && !res.error) window.location.assign('/');
    else {
      setBusy(false);
      setError('Account created, but signing in failed. Try signing in.');
    }
  }

  // Submitting before hydration would be the browser's own GET, with the password in the URL:
  // the button waits for the page to be live, and the form is POST should it ever submit by itself.
  return (
    <form onSubmit={onSubmit} className="auth-form" method="post">
      <label>
        Name
        <input name="name" autoComplete="name" required maxLength={100} autoFocus />
      </label>
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required />
      </label>
      <label>
        Password <span className="muted">(8 to 128 characters, not a common one)</span>
        <input name="password" type="password" autoComplete="new-password" required minLength={8} maxLength={128} aria-describedby={error ? 'sign-up-error' : undefined} />
      </label>
      {error && <p id="sign-up-error" className="form-error" role="alert">{error}</p>}
      <button type="submit" className="btn-primary" disabled={busy || !hydrated}>
        {busy ? 'Creating…' : 'Create account'}
      </button>
      <p className="muted">
        Have an account? <Link href="/signin">Sign in</Link>
      </p>
    </form>
  );
}
