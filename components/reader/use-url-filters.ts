'use client';

/**
 * The document page's filters, kept in the URL (lib/domain/filter-url.ts) so a view can be shared
 * and bookmarked: read once after hydration, written with history.replaceState on every change
 * (no navigation, no reload, no history entry per keystroke). The search words are asked of the
 * server's full-text search (`GET /api/documents/:id/annotations?q=`), debounced; the ids it found
 * filter the margin and the article, and the words are marked in both (useSearchMarks).
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from '@/lib/client/api';
import { NO_FILTERS, type FilterState } from '@/lib/domain/annotation-filters';
import type { ApiAnnotation } from '@/lib/domain/api-types';
import { filterSearch, parseFilters } from '@/lib/domain/filter-url';
import { useSearchMarks } from './search-marks';

const SEARCH_DELAY_MS = 250;

export function useUrlFilters(documentId: string, revisionId: string) {
  const [filters, setState] = useState<FilterState>(NO_FILTERS);
  useEffect(() => {
    // The URL is the browser's; the server rendered the page unfiltered.
    const read = () => setState(parseFilters(new URLSearchParams(window.location.search)));
    read();
    window.addEventListener('popstate', read);
    return () => window.removeEventListener('popstate', read);
  }, []);

  const setFilters = useCallback((f: FilterState) => {
    setState(f);
    const { pathname, search, hash } = window.location;
    const next = filterSearch(search, f);
    if (next !== search) window.history.replaceState(window.history.state, '', `${pathname}${next}${hash}`);
  }, []);

  const q = filters.q.trim();
  /** The ids the search found for `for` (kept while the next words are asked, so typing does not flash everything). */
  const [found, setFound] = useState<{ for: string; ids: ReadonlySet<string> } | null>(null);
  useEffect(() => {
    if (!q) return;
    let stale = false;
    const t = setTimeout(() => {
      const params = new URLSearchParams({ q, revision: revisionId });
      api<{ annotations: ApiAnnotation[] }>('GET', `/api/documents/${documentId}/annotations?${params}`).then(
        (r) => !stale && setFound({ for: q, ids: new Set(r.annotations.map((a) => a.id)) }),
        () => {},
      );
    }, SEARCH_DELAY_MS);
    return () => {
      stale = true;
      clearTimeout(t);
    };
  }, [q, documentId, revisionId]);
  const hits = q && found ? found.ids : undefined;

  useSearchMarks(q);
  return { filters, setFilters, hits, searching: !!q && found?.for !== q };
}
