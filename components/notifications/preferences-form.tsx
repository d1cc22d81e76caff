'use client';

/**
 * Which notifications also come by email (PATCH /api/me/preferences). Every notification appears
 * under the header's bell whatever is chosen here; each choice is saved at once.
 */
import { useState } from 'react';
import { api, ApiError } from '@/lib/client/api';
import type { ApiPreferences } from '@/lib/domain/notification-api';
import { EMAIL_PREFERENCES, EMAIL_PREFERENCE_LABELS, EMAIL_WINDOW_MINUTES, type EmailPreference } from '@/lib/domain/notifications';

export function PreferencesForm({ initial }: { initial: ApiPreferences }) {
  const [prefs, setPrefs] = useState(initial);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);

  const choose = async (email: EmailPreference) => {
    const before = prefs;
    setPrefs({ ...prefs, email });
    setError(null);
    try {
      const r = await api<{ preferences: ApiPreferences }>('PATCH', '/api/me/preferences', { email });
      setPrefs(r.preferences);
      setStatus('Saved.');
    } catch (e) {
      setPrefs(before);
      setError(e instanceof ApiError ? e.message : 'Could not save; try again');
    }
  };

  return (
    <form className="preferences" onSubmit={(e) => e.preventDefault()}>
      <fieldset>
        <legend>Notifications by email</legend>
        <p className="muted">
          You are notified under the bell when someone mentions you, replies to your comment, or comments in a thread you
          started or took part in. Email comes on top, at most one per thread every {EMAIL_WINDOW_MINUTES} minutes.
        </p>
        {!prefs.emailEnabled && <p className="muted">This server does not send email (no SMTP server is configured), so only the bell tells you for now.</p>}
        {EMAIL_PREFERENCES.map((p) => (
          <label key={p} className="preference-option">
            <input type="radio" name="email" value={p} checked={prefs.email === p} onChange={() => void choose(p)} /> {EMAIL_PREFERENCE_LABELS[p]}
          </label>
        ))}
      </fieldset>
      <p className="sr-only" role="status" aria-live="polite">{status}</p>
      {error && <p className="form-error" role="alert">{error}</p>}
    </form>
  );
}
