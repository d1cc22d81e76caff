'use client';

/**
 * An admin's menu on a document card of the start page: Rename (a form in place, with the same
 * title rules as the import) and Delete (asked first; a soft delete that an admin can undo under
 * "Deleted documents"). A menu button: Enter, Space or ArrowDown open it on its first item,
 * arrows move, Escape closes it and returns to the button.
 */
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { api, ApiError } from '@/lib/client/api';
import { shortTitle } from '@/lib/domain/document-title';
import { titleCount, titleOverLimit, titleProblem } from './title-field';

export function DocumentActions({ id, title }: { id: string; title: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const [draft, setDraft] = useState(title);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const name = shortTitle(title);

  useEffect(() => {
    if (open) menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [open]);
  useEffect(() => {
    if (renaming) input.current?.select();
  }, [renaming]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  const onMenuKey = (e: React.KeyboardEvent) => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      close(true);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      items[e.key === 'Home' ? 0 : items.length - 1]?.focus();
    } else if (e.key === 'Tab') {
      close(false);
    }
  };

  const startRename = () => {
    close(false);
    setDraft(title);
    setError(null);
    setRenaming(true);
  };

  const rename = async (e: React.FormEvent) => {
    e.preventDefault();
    const problem = titleProblem(draft);
    if (problem) return setError(problem);
    if (draft.trim() === title) return setRenaming(false);
    setBusy(true);
    try {
      await api('PATCH', `/api/documents/${id}`, { title: draft.trim() });
      setRenaming(false);
      setError(null);
      router.refresh();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not rename the document.');
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    close(true);
    if (!window.confirm(`Delete “${name}”? It disappears for everyone; an admin can restore it from “Deleted documents”.`)) return;
    setBusy(true);
    try {
      await api('DELETE', `/api/documents/${id}`);
      setError(null);
      router.refresh();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not delete the document.');
    } finally {
      setBusy(false);
    }
  };

  const draftError = titleOverLimit(draft) ?? error;
  const errorId = `rename-error-${id}`;
  const countId = `rename-count-${id}`;
  return (
    <>
      <div
        className="doc-actions"
        onBlur={(e) => {
          if (open && !e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false);
        }}
      >
        <button
          ref={button}
          type="button"
          className="btn-ghost doc-actions-button"
          aria-haspopup="menu"
          aria-expanded={open}
          aria-label={`Actions for ${title}`}
          disabled={busy}
          onClick={() => setOpen((o) => !o)}
          onKeyDown={(e) => {
            if (!open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
              e.preventDefault();
              setOpen(true);
            }
          }}
        >
          <span aria-hidden="true">⋯</span>
        </button>
        {open && (
          <div ref={menu} role="menu" aria-label={`Actions for ${name}`} className="doc-actions-menu" onKeyDown={onMenuKey}>
            <button type="button" role="menuitem" tabIndex={-1} onClick={startRename}>Rename</button>
            <button type="button" role="menuitem" tabIndex={-1} className="danger" onClick={() => void remove()}>Delete</button>
          </div>
        )}
      </div>
      {renaming && (
        <form
          className="doc-rename"
          onSubmit={(e) => void rename(e)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              setRenaming(false);
              button.current?.focus();
            }
          }}
          noValidate
        >
          <input
            ref={input}
            value={draft}
            aria-label="New title"
            aria-invalid={!!draftError}
            aria-describedby={draftError ? `${countId} ${errorId}` : countId}
            onChange={(e) => {
              setDraft(e.target.value);
              setError(null);
            }}
          />
          <span className="title-count muted" id={countId}>{titleCount(draft)}</span>
          <span className="doc-rename-buttons">
            <button type="submit" className="btn-primary" disabled={busy}>{busy ? 'Saving…' : 'Save'}</button>
            <button type="button" className="btn-secondary" onClick={() => setRenaming(false)}>Cancel</button>
          </span>
          {draftError && <span className="field-error" id={errorId} role="alert">{draftError}</span>}
        </form>
      )}
      {!renaming && error && <p className="field-error" role="alert">{error}</p>}
    </>
  );
}
