'use client';

/** A thread card's "Copy link" (use-thread-link.ts): says "Copied" for a moment, or shows the link to copy by hand. */
import { Link2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { ApiAnnotation } from '@/lib/domain/api-types';
import { copyThreadLink, threadLink } from './use-thread-link';

export function CopyLinkButton({ a, onQuote, olderRevision }: { a: ApiAnnotation; onQuote: string; olderRevision: boolean }) {
  const [state, setState] = useState<'idle' | 'copied' | { manual: string }>('idle');
  useEffect(() => {
    if (state !== 'copied') return;
    const t = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <>
      <button
        type="button"
        className="icon-btn copy-link"
        aria-label={`Copy link to ${onQuote}`}
        title="Copy link to this thread"
        onClick={() => {
          const link = threadLink(a.documentId, a.id, olderRevision ? a.revisionId : undefined);
          void copyThreadLink(link).then((ok) => setState(ok ? 'copied' : { manual: link }));
        }}
      >
        <Link2 size={14} aria-hidden="true" />
        <span className="copy-link-state" role="status">{state === 'copied' ? 'Copied' : ''}</span>
      </button>
      {typeof state === 'object' && (
        <input className="copy-link-manual" aria-label="Link to this thread" readOnly value={state.manual} autoFocus onFocus={(e) => e.currentTarget.select()} onBlur={() => setState('idle')} />
      )}
    </>
  );
}
