'use client';

import { Download } from 'lucide-react';
import { useRef } from 'react';

const FORMATS = [
  { format: 'w3c', label: 'W3C Web Annotations (JSON-LD)', ext: 'jsonld' },
  { format: 'csv', label: 'Spreadsheet (CSV)', ext: 'csv' },
  { format: 'markdown', label: 'Review report (Markdown)', ext: 'md' },
] as const;

/**
 * The header's Export menu: plain download links to GET /api/documents/:id/export (docs/api.md,
 * "Export") for the revision on screen. A disclosure (details/summary), so it works by keyboard
 * and without script; Escape closes it.
 */
export function ExportMenu({ documentId, revisionId }: { documentId: string; revisionId?: string }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const base = `/api/documents/${encodeURIComponent(documentId)}/export`;
  const rev = revisionId ? `&revision=${encodeURIComponent(revisionId)}` : '';
  return (
    <details
      ref={ref}
      className="checks export-menu"
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || !ref.current?.open) return;
        ref.current.open = false;
        ref.current.querySelector('summary')?.focus();
      }}
    >
      <summary className="chip export-toggle">
        <Download size={14} aria-hidden="true" /> <span className="chip-label">Export</span>
      </summary>
      <ul className="checks-panel checks-list" aria-label="Download the review">
        {FORMATS.map((f) => (
          <li key={f.format}>
            <a href={`${base}?format=${f.format}${rev}${f.format === 'w3c' ? '&page=all' : ''}`} download={f.format === 'w3c' ? `annotations.${f.ext}` : undefined} onClick={() => ref.current?.removeAttribute('open')}>
              {f.label}
            </a>
          </li>
        ))}
      </ul>
    </details>
  );
}
