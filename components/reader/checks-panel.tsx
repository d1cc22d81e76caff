'use client';

/**
 * The review checks of the document (GET /api/documents/:id/checks, lib/domain/review-checks.ts):
 * a header button with their count that opens a list; each item goes to its passage. Fetched
 * again shortly after every change the page sees (its own and, live, the team's), so the list
 * follows the review as it happens. The same checks feed the "has checks" filter.
 */
import { ListChecks } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { ReviewCheck } from '@/lib/domain/review-checks';
import { api, ApiError } from '@/lib/client/api';
import { useDismiss } from '@/lib/client/use-dismiss';

/**
 * Changes arrive in bursts (a live replay, a quick edit): one fetch after they settle. With the
 * list closed only its count shows, so every open page need not ask after each of the team's changes.
 */
const SETTLE_MS = 400;
const SETTLE_CLOSED_MS = 3000;

/**
 * The document's review checks, fetched again after changes settle: soon (SETTLE_MS) while someone
 * is looking at them ('eager': the list is open, or the "has checks" filter is on), else only for
 * the count ('lazy', SETTLE_CLOSED_MS).
 */
export function useReviewChecks(documentId: string, changes: unknown, when: 'off' | 'eager' | 'lazy'): { checks: ReviewCheck[] | null; error: string | null } {
  const [checks, setChecks] = useState<ReviewCheck[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loaded = useRef(false);
  useEffect(() => {
    // An earlier revision has no checks (they are about the current one).
    if (when === 'off') return;
    let live = true;
    const t = setTimeout(() => {
      api<{ checks: ReviewCheck[] }>('GET', `/api/documents/${documentId}/checks`)
        .then((r) => {
          if (!live) return;
          loaded.current = true;
          setChecks(r.checks);
          setError(null);
        })
        .catch((e) => live && setError(e instanceof ApiError ? e.message : 'Could not load the checks'));
      // The first count comes soon after the page opens; later ones after changes settle.
    }, when === 'eager' || !loaded.current ? SETTLE_MS : SETTLE_CLOSED_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [documentId, changes, when]);
  return { checks, error };
}

export function ChecksPanel({ checks, error, open, setOpen, onJump }: { checks: ReviewCheck[] | null; error: string | null; open: boolean; setOpen(open: boolean): void; onJump(annotationId: string): void }) {
  const panel = useRef<HTMLDivElement>(null);

  useDismiss(open, () => setOpen(false));

  const count = checks?.length ?? 0;
  return (
    <div className="checks">
      <button type="button" className="chip checks-toggle" aria-expanded={open} aria-controls="checks-panel" onClick={() => setOpen(!open)}>
        <ListChecks size={14} aria-hidden="true" /> <span className="checks-label">Checks</span> <span className="chip-count" data-testid="checks-count">{checks ? count : '…'}</span>
      </button>
      {open && (
        <div className="checks-panel" id="checks-panel" ref={panel} role="region" aria-label="Review checks">
          {error ? (
            <p className="form-error" role="alert">{error}</p>
          ) : !checks ? (
            <p className="muted">Checking…</p>
          ) : count === 0 ? (
            <p className="muted">Nothing to check: every judgment has its likelihood, confidence and support.</p>
          ) : (
            <ul className="checks-list">
              {checks.map((c, i) => (
                <li key={`${c.kind}-${c.annotationId}-${i}`} className={`check check-${c.kind}`} data-check-for={c.annotationId}>
                  <button
                    type="button"
                    className="link-btn check-jump"
                    onClick={() => {
                      setOpen(false);
                      onJump(c.annotationId);
                    }}
                  >
                    {c.message}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
