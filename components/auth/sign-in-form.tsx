'use client';

import Link from 'next/link';
import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { useHydrated } from '@/lib/client/use-client-value';

export function SignInForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    let res: Awaited<ReturnType<typeof signIn>>;
    try {
      res = await signIn('credentials', { email: String(form.get('email')), password: String(form.get('password')), redirect: false });
    } catch {
      // next-auth's client cannot read our 429/503 envelope and throws.
      setBusy(false);
      setError('Too many attempts, or the server is unavailable. Wait a minute and try again.');
      return;
    }
    if (res?.ok && !res.error) {
      window.location.assign(next);
      return;
    }
    setBusy(false);
    setError('Wrong email or password.');
  }

  // Submitting before hydration would be the browser's own GET, with the password in the URL:
  // the button waits for the page to be live, and the form is POST should it ever submit by itself.
  return (
    <form onSubmit={onSubmit} className="auth-form" method="post">
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required autoFocus />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error && <p className="form-error" role="alert">{error}</p>}
      <button type="submit" className="btn-primary" disabled={busy || !hydrated}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      <p className="muted">
        New here? <Link href="/signup">Create an account</Link>
      </p>
    </form>
  );
}
