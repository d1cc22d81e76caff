'use client';

import { Link2 } from 'lucide-react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { TAG_META, TAGS, type Tag } from '@/lib/domain/tags';
import { TagIcon } from '@/components/ui/tag-icon';

interface Props {
  top: number;
  left: number;
  pending: boolean;
  onChoose(tag: Tag): void;
  onDismiss(): void;
}

/** Margin kept between a toolbar and the window's edges. */
const EDGE = 8;

/**
 * A toolbar centred over `left` but moved sideways as little as needed to stay inside the
 * window (a selection near the edge of a phone's screen would otherwise push it off-screen).
 */
function useInViewport(left: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [shift, setShift] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const r = el.getBoundingClientRect();
    const natural = { left: r.left - shift, right: r.right - shift };
    const room = document.documentElement.clientWidth - EDGE;
    const next = natural.left < EDGE ? EDGE - natural.left : natural.right > room ? Math.max(EDGE - natural.left, room - natural.right) : 0;
    if (next !== shift) setShift(next);
    // Measured after each move of the selection; the shift only depends on where it lands.
  }, [left]); // eslint-disable-line react-hooks/exhaustive-deps
  return [ref, shift] as const;
}

/** The small toolbar above a selection: Evidence, Speculation, Assessment (keys 1 2 3, Escape). */
export function SelectionToolbar({ top, left, pending, onChoose, onDismiss }: Props) {
  const [fitRef, shift] = useInViewport(left);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Already handled: the article's own key handler tags a selection made with the keyboard.
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      // Not from a field, nor from a dialog over the page (the `?` list: Escape closes it, 1 2 3 do nothing).
      if (target?.closest('input, textarea, [contenteditable="true"], dialog')) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        onDismiss();
        return;
      }
      const tag = TAGS.find((t) => TAG_META[t].key === e.key);
      if (tag) {
        e.preventDefault();
        onChoose(tag);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onChoose, onDismiss]);

  return (
    <div
      className="selection-toolbar"
      ref={fitRef}
      role="toolbar"
      aria-label="Tag the selected passage"
      style={{ top, left, marginLeft: shift }}
      onMouseDown={(e) => e.preventDefault() /* keep the selection while clicking */}
    >
      {TAGS.map((tag) => (
        <button
          key={tag}
          type="button"
          className={`tool tool-${tag}`}
          aria-label={TAG_META[tag].label}
          aria-keyshortcuts={TAG_META[tag].key}
          title={`${TAG_META[tag].description} (${TAG_META[tag].key})`}
          disabled={pending}
          onClick={() => onChoose(tag)}
        >
          <TagIcon tag={tag} />
          <span aria-hidden="true">{TAG_META[tag].label}</span>
          <kbd aria-hidden="true">{TAG_META[tag].key}</kbd>
        </button>
      ))}
    </div>
  );
}

/** Re-attaching an orphaned thread: one button for the selected passage (Enter), Escape cancels. */
export function AttachToolbar({ top, left, pending, onAttach, onCancel }: { top: number; left: number; pending: boolean; onAttach(): void; onCancel(): void }) {
  const [fitRef, shift] = useInViewport(left);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement | null)?.closest('input, textarea, [contenteditable="true"], dialog')) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        onCancel();
      } else if (e.key === 'Enter' && !pending) {
        e.preventDefault();
        onAttach();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onAttach, onCancel, pending]);

  return (
    <div ref={fitRef} className="selection-toolbar" role="toolbar" aria-label="Re-attach the thread" style={{ top, left, marginLeft: shift }} onMouseDown={(e) => e.preventDefault()}>
      <button type="button" className="tool" disabled={pending} onClick={onAttach} aria-keyshortcuts="Enter">
        <Link2 size={14} aria-hidden="true" /> Attach here <kbd aria-hidden="true">↵</kbd>
      </button>
      <button type="button" className="tool" onClick={onCancel} aria-keyshortcuts="Escape">
        Cancel
      </button>
    </div>
  );
}
