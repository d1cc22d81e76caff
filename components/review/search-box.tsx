'use client';

/**
 * The document header's search box: words searched in the document's quotes and comments (the
 * margin keeps only the matching threads, the words are marked in the article and the margin).
 * Escape clears it.
 */
import { Search, X } from 'lucide-react';
import './review.css';
import { MAX_SEARCH_LENGTH } from '@/lib/domain/filter-url';

export function SearchBox({ value, onChange, busy }: { value: string; onChange(q: string): void; busy?: boolean }) {
  return (
    <div className="search-box" role="search">
      <Search size={14} aria-hidden="true" />
      <input
        type="search"
        aria-label="Search this document's highlights and comments"
        placeholder="Search"
        value={value}
        maxLength={MAX_SEARCH_LENGTH}
        aria-busy={busy || undefined}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && value) {
            e.preventDefault();
            // Escape here clears the words, not whatever else listens (the caret, open menus).
            e.stopPropagation();
            onChange('');
          }
        }}
      />
      {value && (
        <button type="button" className="icon-btn" aria-label="Clear the search" onClick={() => onChange('')}>
          <X size={14} aria-hidden="true" />
        </button>
      )}
    </div>
  );
}
