'use client';

import { Link2 } from 'lucide-react';
import { useEffect } from 'react';
import { TAG_META, TAGS, type Tag } from '@/lib/domain/tags';
import { TagIcon } from '@/components/ui/tag-icon';

interface Props {
  top: number;
  left: number;
  pending: boolean;
  onChoose(tag: Tag): void;
  onDismiss(): void;
}

/** The small toolbar above a selection: Evidence, Speculation, Assessment (keys 1 2 3, Escape). */
export function SelectionToolbar({ top, left, pending, onChoose, onDismiss }: Props) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Already handled: the article's own key handler tags a selection made with the keyboard.
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      if (target?.closest('input, textarea, [contenteditable="true"]')) return;
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
      role="toolbar"
      aria-label="Tag the selected passage"
      style={{ top, left }}
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
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement | null)?.closest('input, textarea, [contenteditable="true"]')) return;
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
    <div className="selection-toolbar" role="toolbar" aria-label="Re-attach the thread" style={{ top, left }} onMouseDown={(e) => e.preventDefault()}>
      <button type="button" className="tool" disabled={pending} onClick={onAttach} aria-keyshortcuts="Enter">
        <Link2 size={14} aria-hidden="true" /> Attach here <kbd aria-hidden="true">↵</kbd>
      </button>
      <button type="button" className="tool" onClick={onCancel} aria-keyshortcuts="Escape">
        Cancel
      </button>
    </div>
  );
}
