'use client';

/**
 * Estimative-language suggestions on the document page (GET /api/documents/:id/suggestions,
 * docs/api.md): the header's "Suggestions" toggle (off by default, remembered in this browser),
 * the suggested sentences drawn with a dotted underline in the suggested tag's colour (a CSS
 * highlight over text offsets, so it works whether highlights are elements or CSS highlights),
 * and, for the one under the keyboard caret (or a click), a bar offering Accept (`a`) and
 * Dismiss (`x`). Accepting creates the highlight through the page's own create path; dismissing
 * hides the suggestion for the whole team, live (`suggestion.dismissed` / `suggestion.restored`
 * events, re-dispatched on the window by use-live-document.ts as SUGGESTION_EVENT).
 *
 * Only for whoever may highlight on the current revision: viewers and earlier revisions see none.
 * A suggestion overlapping an existing highlight is not shown (its sentence is already tagged).
 */
import { Lightbulb } from 'lucide-react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { createPortal } from 'react-dom';
import type { ApiAnnotation, ApiSuggestion, ApiSuggestionDismissal, ApiTradecraft } from '@/lib/domain/api-types';
import { TAG_META, type Tag } from '@/lib/domain/tags';
import { likelihoodLabel } from '@/lib/domain/tradecraft';
import { api, ApiError } from '@/lib/client/api';
import { TextLayout } from '@/lib/client/caret-dom';
import { markRanges } from '@/lib/client/css-highlights';
import type { TextRange } from './article';

/** The window event carrying an ApiSuggestionDismissal from the live stream. */
export const SUGGESTION_EVENT = 'marginalia:suggestion';

// The toggle's state, in localStorage, read without a setState in an effect.
const STORAGE_KEY = 'marginalia:suggestions';
const listeners = new Set<() => void>();
const subscribe = (cb: () => void) => {
  listeners.add(cb);
  window.addEventListener('storage', cb);
  return () => {
    listeners.delete(cb);
    window.removeEventListener('storage', cb);
  };
};
const readOn = () => {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'on';
  } catch {
    return false;
  }
};
const writeOn = (on: boolean) => {
  try {
    localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
  } catch {}
  listeners.forEach((l) => l());
};

const NAMES = ['speculation', 'assessment'].map((t) => `mg-suggestion-${t}`).concat('mg-suggestion-active');

interface Options {
  documentId: string;
  /** The revision's plain text (offsets point into it). */
  text: string;
  /** Whoever may highlight on the current revision: suggestions are offered. */
  available: boolean;
  /** Every annotation of the page (a suggestion over one of them is not shown). */
  annotations: ApiAnnotation[];
  /** The article's highlights as drawn: when they change, the blocks re-render and the marks are laid again. */
  drawn: unknown;
  /** The page's create path (use-document-actions.ts onTag): creates the highlight and focuses its thread. */
  onTag(tag: Tag, range: TextRange, fields?: Partial<ApiTradecraft>): void;
  pending: boolean;
  onError(text: string): void;
}

export function useSuggestions({ documentId, text, available, annotations, drawn, onTag, pending, onError }: Options) {
  const on = useSyncExternalStore(subscribe, readOn, () => false);
  const [fetched, setFetched] = useState<ApiSuggestion[] | null>(null);
  /** Dismissed (true) or restored (false) since the fetch, by this page or live: wins over the fetched flag. */
  const [changed, setChanged] = useState<ReadonlyMap<string, boolean>>(new Map());
  /** The collapsed caret's offset while the article has (or last had) the focus. */
  const [caret, setCaret] = useState<number | null>(null);
  /** Escape closed the offer at this caret offset: closed until the caret moves. */
  const [closedAt, setClosedAt] = useState<number | null>(null);
  /** The suggestion just dismissed here: its bar offers Undo until the caret moves on. */
  const [undo, setUndo] = useState<ApiSuggestion | null>(null);

  useEffect(() => {
    if (!available) return;
    let live = true;
    api<{ suggestions: ApiSuggestion[] }>('GET', `/api/documents/${documentId}/suggestions?include=dismissed`)
      .then((r) => live && setFetched(r.suggestions))
      .catch(() => {}); // Suggestions are an aid: without them the page works as before.
    return () => {
      live = false;
    };
  }, [documentId, available]);

  useEffect(() => {
    const onEvent = (e: Event) => {
      const d = (e as CustomEvent<ApiSuggestionDismissal>).detail;
      if (d.documentId === documentId) setChanged((m) => new Map(m).set(d.key, d.dismissed));
    };
    window.addEventListener(SUGGESTION_EVENT, onEvent);
    return () => window.removeEventListener(SUGGESTION_EVENT, onEvent);
  }, [documentId]);

  const shown = useMemo(() => {
    if (!available || !fetched) return [];
    const taken = annotations.filter((a) => a.anchor !== 'orphaned').map((a) => a.target.position);
    return fetched.filter(
      (s) => !(changed.get(s.key) ?? s.dismissed) && !taken.some((p) => p.start < s.position.end && s.position.start < p.end),
    );
  }, [available, fetched, changed, annotations]);

  const at = useCallback((offset: number) => shown.find((s) => s.position.start <= offset && offset <= s.position.end) ?? null, [shown]);
  const within = (s: ApiSuggestion | null, offset: number | null) => !!s && offset !== null && s.position.start <= offset && offset <= s.position.end;
  const current = on && caret !== null && caret !== closedAt ? at(caret) : null;
  const undone = on && !current && within(undo, caret) && caret !== closedAt ? undo : null;

  // The dotted marks, laid again whenever the article's blocks may have re-rendered.
  useEffect(() => {
    const root = document.querySelector('.article-body');
    if (!root) return;
    for (const tag of ['speculation', 'assessment'] as const) {
      markRanges(root, `mg-suggestion-${tag}`, on ? shown.filter((s) => s.suggestedTag === tag).map((s) => [s.position.start, s.position.end]) : []);
    }
    markRanges(root, 'mg-suggestion-active', current ? [[current.position.start, current.position.end]] : []);
  }, [on, shown, current, drawn]);
  useEffect(() => () => NAMES.forEach((n) => typeof CSS !== 'undefined' && 'highlights' in CSS && CSS.highlights.delete(n)), []);

  /** The collapsed caret moved in the article (a key or a click): the suggestion under it, if any, is offered. */
  const onCaret = useCallback((offset: number | null) => {
    setCaret(offset);
    setClosedAt(null);
    setUndo((u) => (u && offset !== null && u.position.start <= offset && offset <= u.position.end ? u : null));
  }, []);

  const dismiss = useCallback(
    async (s: ApiSuggestion) => {
      setChanged((m) => new Map(m).set(s.key, true));
      setUndo(s);
      try {
        await api('POST', `/api/documents/${documentId}/suggestions/dismissals`, { key: s.key });
      } catch (e) {
        setChanged((m) => new Map(m).set(s.key, false));
        setUndo(null);
        onError(`Could not dismiss the suggestion: ${e instanceof ApiError ? e.message : 'Something went wrong'}`);
      }
    },
    [documentId, onError],
  );

  const restore = useCallback(
    async (s: ApiSuggestion) => {
      setUndo(null);
      try {
        await api('DELETE', `/api/documents/${documentId}/suggestions/dismissals/${s.key}`);
      } catch (e) {
        // Restored already (by someone else): it is back either way.
        if (!(e instanceof ApiError && e.status === 404)) return onError(`Could not restore the suggestion: ${e instanceof ApiError ? e.message : 'Something went wrong'}`);
      }
      setChanged((m) => new Map(m).set(s.key, false));
    },
    [documentId, onError],
  );

  const accept = useCallback(
    (s: ApiSuggestion) => {
      if (pending) return;
      onTag(s.suggestedTag, s.position, s.likelihood ? { likelihood: s.likelihood } : {});
    },
    [onTag, pending],
  );

  /** `a` accepts and `x` dismisses the suggestion under the caret; Escape closes its bar. */
  const onCaretKey = useCallback(
    (key: string, offset: number): boolean => {
      if (!on) return false;
      const s = at(offset);
      if (!s) return false;
      if (key === 'a') accept(s);
      else if (key === 'x') void dismiss(s);
      else if (key === 'Escape' && closedAt !== offset) setClosedAt(offset);
      else return false;
      return true;
    },
    [on, at, accept, dismiss, closedAt],
  );

  const toggle = available ? (
    <button
      type="button"
      className="chip suggestions-toggle"
      aria-pressed={on}
      title="Show estimative-language suggestions in the article"
      onClick={() => writeOn(!on)}
    >
      <Lightbulb size={14} aria-hidden="true" /> <span className="chip-label">Suggestions</span>{' '}
      <span className="chip-count" data-testid="suggestions-count">{fetched ? shown.length : '…'}</span>
    </button>
  ) : null;

  const offered = current ?? undone;
  const bar = offered ? (
    <SuggestionBar key={`${offered.key}@${offered.position.start}`} text={text} suggestion={current} undone={undone} pending={pending} onAccept={accept} onDismiss={dismiss} onUndo={restore} />
  ) : null;

  return { on: on && available, toggle, bar, onCaret, onCaretKey, keys: on && available ? 'a x' : '' };
}

/** The offer, placed in the article below the end of its sentence (and again when the window is resized). */
function SuggestionBar({ text, suggestion: s, undone, pending, onAccept, onDismiss, onUndo }: {
  text: string;
  suggestion: ApiSuggestion | null;
  undone: ApiSuggestion | null;
  pending: boolean;
  onAccept(s: ApiSuggestion): void;
  onDismiss(s: ApiSuggestion): void;
  onUndo(s: ApiSuggestion): void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const end = (s ?? undone)?.position.end ?? 0;
  useLayoutEffect(() => {
    const place = () => {
      const el = ref.current;
      const wrap = el?.parentElement;
      const root = wrap?.querySelector('.article-body');
      const box = root && new TextLayout(root, text).caretBox(end);
      if (!el || !wrap || !box) return;
      const w = wrap.getBoundingClientRect();
      el.style.top = `${Math.round(box.bottom - w.top + 6)}px`;
      // Centred under the sentence's end, inside the article (on a phone: its whole width).
      el.style.left = `clamp(0px, calc(${Math.round(box.x - w.left)}px - 12rem), calc(100% - min(24rem, 100%)))`;
    };
    place();
    window.addEventListener('resize', place);
    return () => window.removeEventListener('resize', place);
  }, [text, end]);
  const wrap = typeof document === 'undefined' ? null : document.querySelector('.article');
  if (!wrap) return null;
  const tag = s ? TAG_META[s.suggestedTag].label : '';
  const judged = s?.likelihood ? ` (${likelihoodLabel(s.likelihood)})` : '';
  return createPortal(
    <div
      className="suggestion-bar"
      role="group"
      aria-label="Suggestion"
      data-testid="suggestion-bar"
      ref={ref}
    >
      {s ? (
        <>
          <p className="suggestion-what">
            <span className={`tag-${s.suggestedTag}`}>{tag}</span>
            {judged} · “{s.term}”
          </p>
          <p className="suggestion-reason">{s.reason}</p>
          <div className="suggestion-actions">
            {/* The key is told by aria-keyshortcuts; the name says what happens. */}
            <button type="button" className="btn-primary" disabled={pending} aria-keyshortcuts="a" onClick={() => onAccept(s)}>
              Accept<span className="sr-only">: tag it as {tag}</span> <kbd aria-hidden="true">a</kbd>
            </button>
            <button type="button" className="btn-secondary" aria-keyshortcuts="x" onClick={() => onDismiss(s)}>
              Dismiss<span className="sr-only"> for everyone</span> <kbd aria-hidden="true">x</kbd>
            </button>
          </div>
          {/* What the caret landed on, for screen readers. */}
          <p className="sr-only" role="status">{`Suggestion: tag as ${tag}${judged}, “${s.term}”. Press a to accept, x to dismiss.`}</p>
        </>
      ) : undone ? (
        <div className="suggestion-actions">
          <p className="suggestion-what" role="status">Dismissed for everyone.</p>
          <button type="button" className="btn-secondary" onClick={() => onUndo(undone)}>Undo</button>
        </div>
      ) : null}
    </div>,
    wrap,
  );
}
