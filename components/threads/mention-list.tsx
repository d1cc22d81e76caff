'use client';

/**
 * The `@` suggestions of the comment composer: team members by name (admins also see emails),
 * from GET /api/users/mentionable. The editor keeps the focus: it names the list with
 * aria-controls and the highlighted option with aria-activedescendant (set by the composer), and
 * the composer's keys move through it (arrows, Enter or Tab to choose, Escape to close). The mouse
 * chooses too, without taking the focus from the editor.
 */
import type { SuggestionOptions, SuggestionProps } from '@tiptap/suggestion';
import type { MentionItem } from '@/lib/domain/comment-schema';

export interface MentionState {
  items: MentionItem[];
  index: number;
  loading: boolean;
  query: string;
  command(item: { id: string; label: string }): void;
  /** Where the `@…` text is on screen, and the composer's box (the list is placed in it). */
  rect: DOMRect | null;
  box: DOMRect | null;
}

/** Asks the server for members matching the query (an empty answer when it fails). */
async function lookUp(query: string, signal: AbortSignal): Promise<MentionItem[]> {
  try {
    const res = await fetch(`/api/users/mentionable?q=${encodeURIComponent(query)}`, { signal, credentials: 'same-origin' });
    if (!res.ok) return [];
    return ((await res.json()) as { users: MentionItem[] }).users;
  } catch {
    return [];
  }
}

/**
 * The composer's mention suggestions: the options for its mention extension (items from the
 * server, the list's state handed to React through `set`, the keys while the list is open) and
 * what the list's mouse does. Made once per composer (the editor keeps its first options).
 */
export function mentionController(set: (state: MentionState | null) => void) {
  let current: MentionState | null = null;
  const update = (next: MentionState | null) => {
    current = next;
    set(next);
  };
  const choose = (u: MentionItem) => current?.command({ id: u.id, label: u.name });
  const show = (p: SuggestionProps<MentionItem>) => {
    const prev = current;
    update({
      items: p.items,
      // The highlighted option stays while the same query's answer comes in.
      index: prev && prev.query === p.query ? Math.min(prev.index, Math.max(0, p.items.length - 1)) : 0,
      loading: p.loading,
      query: p.query,
      command: (item) => p.command(item as never),
      rect: p.clientRect?.() ?? null,
      box: p.editor.view.dom.closest('.composer')?.getBoundingClientRect() ?? null,
    });
  };
  /** Arrows move, Enter or Tab choose, Escape closes (and does nothing else). */
  const onKey = (e: KeyboardEvent): boolean => {
    const m = current;
    if (!m) return false;
    if (e.key === 'Escape') {
      e.stopPropagation();
      return true;
    }
    const n = m.items.length;
    if (!n || e.ctrlKey || e.metaKey || e.altKey) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      update({ ...m, index: (m.index + (e.key === 'ArrowDown' ? 1 : n - 1)) % n });
      return true;
    }
    if (e.key === 'Enter' || e.key === 'Tab') {
      choose(m.items[m.index]);
      return true;
    }
    return false;
  };
  const options: Partial<SuggestionOptions<MentionItem>> = {
    allowSpaces: false,
    debounce: 120,
    items: ({ query, signal }) => lookUp(query, signal),
    render: () => ({
      onStart: show,
      onUpdate: show,
      onExit: () => update(null),
      onKeyDown: ({ event }) => onKey(event),
    }),
  };
  return {
    options,
    choose,
    hover: (index: number) => {
      if (current) update({ ...current, index });
    },
  };
}

export function MentionList({ id, state, onChoose, onHover }: {
  id: string;
  state: MentionState;
  onChoose(item: MentionItem): void;
  onHover(index: number): void;
}) {
  const { box, rect } = state;
  // Below the `@…` text, or above it when the composer is near the bottom of the window.
  const above = !!rect && rect.bottom + 240 > window.innerHeight && rect.top > 240;
  const place = rect && box ? (above ? { bottom: box.bottom - rect.top + 4 } : { top: rect.bottom - box.top + 4 }) : {};
  const left = rect && box ? Math.max(0, Math.min(rect.left - box.left, box.width - 240)) : 0;
  return (
    <ul className="mention-list" role="listbox" id={id} aria-label="Mention someone" style={{ ...place, left }}>
      {state.items.map((u, i) => (
        <li
          key={u.id}
          id={`${id}-${i}`}
          role="option"
          aria-selected={i === state.index}
          className="mention-option"
          // Keep the focus (and the caret) in the editor.
          onMouseDown={(e) => e.preventDefault()}
          onMouseEnter={() => onHover(i)}
          onClick={() => onChoose(u)}
        >
          <span className="mention-name">{u.name}</span>
          {u.email && <span className="mention-email">{u.email}</span>}
        </li>
      ))}
      {state.items.length === 0 && (
        <li role="option" aria-selected={false} aria-disabled="true" className="mention-empty">
          {state.loading ? 'Looking…' : 'No one by that name'}
        </li>
      )}
    </ul>
  );
}
