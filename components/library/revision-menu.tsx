import Link from 'next/link';
import type { ApiRevisionSummary } from '@/lib/domain/api-types';

/**
 * "rev N" in the header: a disclosure listing every revision (newest first) with who published it
 * and when; earlier ones open read-only. Admins also get "Edit".
 */
export function RevisionMenu({ documentId, shown, current, revisions, canEdit }: {
  documentId: string;
  shown: { id: string; number: number };
  current: { id: string; number: number };
  revisions: ApiRevisionSummary[];
  canEdit: boolean;
}) {
  return (
    <span className="revision-menu">
      <details className="menu" key={shown.id}>
        <summary className="rev" aria-label={`rev ${shown.number}${shown.id !== current.id ? ` of ${current.number}` : ''}: revision ${shown.number} of ${current.number}, show history`}>
          rev {shown.number}{shown.id !== current.id ? ` of ${current.number}` : ''}
        </summary>
        <div className="menu-panel" role="group" aria-label="Revisions">
          <ol className="revision-list">
            {revisions.map((r) => (
              <li key={r.id}>
                <Link
                  href={r.id === current.id ? `/documents/${documentId}` : `/documents/${documentId}?revision=${r.id}`}
                  aria-current={r.id === shown.id ? 'page' : undefined}
                >
                  Revision {r.number}
                  {r.id === current.id ? ' (current)' : ''}
                </Link>
                <span className="muted">
                  {' '}· {r.createdBy?.name ?? 'imported'} · {new Date(r.createdAt).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' })}
                </span>
              </li>
            ))}
          </ol>
        </div>
      </details>
      {canEdit && (
        <Link className="btn-ghost edit-link" href={`/documents/${documentId}/edit`}>
          Edit
        </Link>
      )}
    </span>
  );
}
