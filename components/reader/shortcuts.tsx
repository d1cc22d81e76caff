'use client';

import { Keyboard } from 'lucide-react';
import { useEffect, useRef } from 'react';

const SHORTCUTS: [string, string][] = [
  ['1  2  3', 'Tag the selected text as Evidence, Speculation, Assessment'],
  ['Esc', 'Dismiss the tag toolbar, close this list'],
  ['Ctrl+Enter', 'Post the comment you are writing'],
  ['Ctrl+B  Ctrl+I', 'Bold, italic in a comment'],
  ['Tab', 'Move between threads, buttons and the comment box'],
  ['?', 'Show this list'],
];

/** The keyboard shortcuts, behind `?` (UI.md). A native modal dialog: focus and Escape for free. */
export function Shortcuts() {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '?' || e.ctrlKey || e.metaKey || e.altKey) return;
      if ((e.target as HTMLElement | null)?.closest('input, textarea, select, [contenteditable="true"]')) return;
      e.preventDefault();
      ref.current?.showModal();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return (
    <>
      <button type="button" className="icon-btn" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => ref.current?.showModal()}>
        <Keyboard size={16} />
      </button>
      <dialog ref={ref} className="shortcuts" aria-labelledby="shortcuts-title" onClick={(e) => e.target === ref.current && ref.current?.close()}>
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <dl>
          {SHORTCUTS.map(([keys, what]) => (
            <div key={keys}>
              <dt><kbd>{keys}</kbd></dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <button type="button" className="btn-secondary" onClick={() => ref.current?.close()} autoFocus>Close</button>
      </dialog>
    </>
  );
}
