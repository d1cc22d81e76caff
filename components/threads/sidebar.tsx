'use client';

import { useEffect, useRef } from 'react';
import type { ApiAnnotation } from '@/lib/domain/api-types';
import { commentTree, type StoreState } from '@/lib/client/store';
import { ThreadCard } from './thread-card';

interface Props {
  state: StoreState;
  annotations: ApiAnnotation[];
  total: number;
  activeId: string | null;
  hoveredId: string | null;
  composeId: string | null;
}

/** The margin: every visible thread in document order; the focused one scrolled into view. */
export function Sidebar({ state, annotations, total, activeId, hoveredId, composeId }: Props) {
  const refs = useRef(new Map<string, HTMLElement>());

  useEffect(() => {
    if (!activeId) return;
    refs.current.get(activeId)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [activeId]);

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
        <div className="threads">
          {annotations.map((a) => (
            <ThreadCard
              key={a.id}
              ref={(el) => {
                if (el) refs.current.set(a.id, el);
                else refs.current.delete(a.id);
              }}
              annotation={a}
              comments={commentTree(state, a.id)}
              active={a.id === activeId}
              hovered={a.id === hoveredId}
              composeNow={a.id === composeId}
            />
          ))}
        </div>
      )}
    </aside>
  );
}
