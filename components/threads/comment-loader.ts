'use client';

/**
 * Comments arrive with their threads: the page loads the highlights and each thread's count
 * first, and a thread card asks for its comments when it is shown (it comes into view beside the
 * article, or is opened). Requests made in the same turn go out together, at most 100 threads
 * a request (`GET /api/documents/:id/comments?annotations=…`, docs/api.md).
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type Dispatch } from 'react';
import type { ApiComment } from '@/lib/domain/api-types';
import { api } from '@/lib/client/api';
import type { StoreAction } from '@/lib/client/store';

const PER_REQUEST = 100;

export interface CommentLoader {
  /** Asks for a thread's comments (again, after a failure); a thread already asked for is not asked twice. */
  request(annotationId: string): void;
  /** Threads whose comments could not be loaded, with why. */
  failed: ReadonlyMap<string, string>;
}

export const CommentLoaderContext = createContext<CommentLoader>({ request: () => {}, failed: new Map() });

export const useThreadComments = () => useContext(CommentLoaderContext);

export function useCommentLoader(documentId: string, dispatch: Dispatch<StoreAction>): CommentLoader {
  const asked = useRef(new Set<string>());
  const queue = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [failed, setFailed] = useState<ReadonlyMap<string, string>>(new Map());

  const flush = useCallback(() => {
    timer.current = null;
    const ids = [...queue.current];
    queue.current.clear();
    for (let i = 0; i < ids.length; i += PER_REQUEST) {
      const batch = ids.slice(i, i + PER_REQUEST);
      const url = `/api/documents/${encodeURIComponent(documentId)}/comments?annotations=${batch.map(encodeURIComponent).join(',')}`;
      api<{ comments: ApiComment[] }>('GET', url).then(
        ({ comments }) => dispatch({ type: 'comments.loaded', annotationIds: batch, comments }),
        (e: unknown) => {
          for (const id of batch) asked.current.delete(id);
          const why = e instanceof Error ? e.message : 'The comments could not be loaded.';
          setFailed((m) => new Map([...m, ...batch.map((id) => [id, why] as const)]));
        },
      );
    }
  }, [documentId, dispatch]);

  const request = useCallback(
    (id: string) => {
      if (asked.current.has(id)) return;
      asked.current.add(id);
      queue.current.add(id);
      setFailed((m) => {
        if (!m.has(id)) return m;
        const next = new Map(m);
        next.delete(id);
        return next;
      });
      timer.current ??= setTimeout(flush, 0);
    },
    [flush],
  );

  return useMemo(() => ({ request, failed }), [request, failed]);
}
