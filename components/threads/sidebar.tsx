'use client';

import { useEffect, useRef } from 'react';
import type { ApiAnnotation } from '@/lib/domain/api-types';
import type { StoreState } from '@/lib/client/store';
import { Card, revealInMargin, ThreadList } from './thread-list';

interface Props {
  state: StoreState;
  annotations: ApiAnnotation[];
  total: number;
  activeId: string | null;
  hoveredId: string | null;
  composeId: string | null;
  revisionNumber: number;
}

/**
 * The margin: every visible thread in document order (a virtualised list, so 2,000 threads cost
 * what the visible ones cost), then the Orphaned section: threads whose passage was not found
 * when the document was revised, each with the quote it lost.
 */
export function Sidebar({ state, annotations, total, activeId, hoveredId, composeId, revisionNumber }: Props) {
  const anchored = annotations.filter((a) => a.anchor !== 'orphaned');
  const orphans = annotations.filter((a) => a.anchor === 'orphaned');
  const orphanRef = useRef<HTMLElement>(null);

  const activeIsOrphan = !!activeId && orphans.some((o) => o.id === activeId);
  useEffect(() => {
    if (activeIsOrphan && orphanRef.current) revealInMargin(orphanRef.current);
  }, [activeId, activeIsOrphan]);

  return (
    <aside className="sidebar" aria-label="Threads">
      <h2 className="sidebar-title">
        Threads <span className="muted">{annotations.length === total ? total : `${annotations.length} of ${total}`}</span>
      </h2>
      {total === 0 ? (
        <div className="empty">
          <p><strong>No highlights yet.</strong></p>
          <p>Select any passage to tag it as evidence, speculation or assessment, then say why.</p>
        </div>
      ) : annotations.length === 0 ? (
        <div className="empty"><p>No thread matches the filters.</p></div>
      ) : (
        <ThreadList annotations={anchored} state={state} activeId={activeId} hoveredId={hoveredId} composeId={composeId} />
      )}
      {orphans.length > 0 && (
        <section className="orphans" aria-labelledby="orphans-title" ref={orphanRef}>
          <h2 className="sidebar-title" id="orphans-title">
            Orphaned <span className="muted">{orphans.length}</span>
          </h2>
          <p className="muted orphans-help">
            Their passage was not found in revision {revisionNumber}. The threads are kept; the author or an admin can re-attach
            one to new text.
          </p>
          <div className="threads">
            {orphans.map((a) => (
              <Card key={a.id} a={a} state={state} activeId={activeId} hoveredId={hoveredId} composeId={composeId} />
            ))}
          </div>
        </section>
      )}
    </aside>
  );
}
