'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api, ApiError } from '@/lib/client/api';

/** Restores a deleted document (admins, on the start page's "Deleted documents"). */
export function RestoreButton({ id, title }: { id: string; title: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const restore = async () => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', `/api/documents/${id}/restore`);
      router.refresh();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not restore the document.');
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="btn-secondary" aria-label={`Restore ${title}`} disabled={busy} onClick={() => void restore()}>
        {busy ? 'Restoring…' : 'Restore'}
      </button>
      {error && <span className="field-error" role="alert">{error}</span>}
    </>
  );
}
