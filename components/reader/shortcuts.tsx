'use client';

import { Keyboard } from 'lucide-react';
import { useEffect, useRef } from 'react';

/** Each group: a heading, then [keys, what they do]. */
const SHORTCUTS: [string, [string, string][]][] = [
  [
    'In the article',
    [
      ['Tab', 'Go to the article (or “Skip to article”, the page’s first link); a caret shows where you are'],
      ['← →  ↑ ↓', 'Move the caret by character, by line'],
      ['Home  End', 'To the start, the end of the line'],
      ['Ctrl+Home  Ctrl+End', 'To the start, the end of the article'],
      ['Shift+arrows', 'Extend the selection by character, by line (Shift+Home/End too)'],
      ['Ctrl+Shift+← →', 'Extend the selection by word'],
      ['s', 'Select the sentence at the caret'],
      ['p', 'Select the paragraph at the caret'],
      ['1  2  3', 'Tag the selected text as Evidence, Speculation, Assessment; then write the first comment'],
      ['j  k', 'Next, previous highlight: its thread shows in the margin'],
      ['Enter', 'On a highlight: write in its thread'],
      ['a', 'With Suggestions on, in a suggested sentence (dotted): accept it, tagged as suggested, and write its first comment'],
      ['x', 'In a suggested sentence: dismiss the suggestion for everyone'],
      ['Esc', 'Dismiss the tag toolbar'],
    ],
  ],
  [
    'In the margin',
    [
      ['Ctrl+Enter', 'Post the comment you are writing'],
      ['Ctrl+B  Ctrl+I', 'Bold, italic in a comment'],
      ['Tab', 'Move between threads, buttons and the comment box'],
      ['Esc', 'Back to the article, the caret where it was (unsent text is kept)'],
    ],
  ],
  ['Anywhere', [['?', 'Show this list (Esc closes it)']]],
];

/** The keyboard shortcuts, behind `?` (UI.md). A native modal dialog: focus and Escape for free. */
export function Shortcuts() {
  const ref = useRef<HTMLDialogElement>(null);
  /** Where the focus was: closing the list returns there (the article and its caret, say). */
  const opener = useRef<HTMLElement | null>(null);
  const show = () => {
    if (ref.current?.open) return;
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    ref.current?.showModal();
  };
  const restore = () => {
    const el = opener.current;
    opener.current = null;
    if (el?.isConnected) el.focus({ preventScroll: true });
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '?' || e.ctrlKey || e.metaKey || e.altKey) return;
      if ((e.target as HTMLElement | null)?.closest('input, textarea, select, [contenteditable="true"]')) return;
      e.preventDefault();
      show();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return (
    <>
      <button type="button" className="icon-btn" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={show}>
        <Keyboard size={16} />
      </button>
      <dialog ref={ref} className="shortcuts" aria-labelledby="shortcuts-title" onClose={restore} onClick={(e) => e.target === ref.current && ref.current?.close()}>
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        {SHORTCUTS.map(([group, keys]) => (
          <section key={group} aria-label={group}>
            <h3>{group}</h3>
            <dl>
              {keys.map(([k, what]) => (
                <div key={k}>
                  <dt><kbd>{k}</kbd></dt>
                  <dd>{what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
        <button type="button" className="btn-secondary" onClick={() => ref.current?.close()} autoFocus>Close</button>
      </dialog>
    </>
  );
}
