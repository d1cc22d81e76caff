'use client';

/**
 * The article with its highlights (article-content.tsx) and the selection toolbar. Selection is
 * read from the DOM (works for mouse, touch and caret browsing) and mapped to offsets in the
 * revision's plain text through the blocks' data-o/data-e attributes (lib/client/dom-offsets.ts).
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { JsonNode } from '@/lib/domain/document-text';
import type { Tag } from '@/lib/domain/tags';
import { clearHighlights, cssHighlightsSupported, flashHighlight, offsetAtPoint, paintHighlights, SPAN_LIMIT } from '@/lib/client/css-highlights';
import { domPointToOffset, selectionOffsets } from '@/lib/client/dom-offsets';
import { useClientValue } from '@/lib/client/use-client-value';
import { ArticleContent, blockModel, type HighlightSpec } from './article-content';
import { AttachToolbar, SelectionToolbar } from './selection-toolbar';

export interface TextRange {
  start: number;
  end: number;
}

interface Props {
  content: JsonNode;
  /** The revision's plain text (lib/domain/document-text), which offsets point into. */
  text: string;
  highlights: HighlightSpec[];
  activeId: string | null;
  /** What a selection offers: the tag toolbar, "Attach here" (re-attaching a thread), or a note why not. */
  selection: { mode: 'tag' } | { mode: 'attach'; onAttach(range: TextRange): void; onCancel(): void } | { mode: 'none'; note: string };
  pending: boolean;
  onTag(tag: Tag, range: TextRange): void;
  onHighlightClick(ids: string[]): void;
  /** The highlights under the pointer (innermost first), or [] when it leaves them. */
  onHighlightHover(ids: string[]): void;
  /** Scroll to this highlight and flash it (a new object each time it is asked). */
  scrollTo: { id: string } | null;
}

interface ToolbarState {
  range: TextRange;
  top: number;
  left: number;
}

export function Article({ content, text, highlights, activeId, selection, pending, onTag, onHighlightClick, onHighlightHover, scrollTo }: Props) {
  const model = useMemo(() => blockModel(content), [content]);
  const wrapRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const [toolbar, setToolbar] = useState<ToolbarState | null>(null);

  // Many highlights are painted as CSS highlights, not elements (lib/client/css-highlights.ts).
  // The server renders the bare text then; a browser without the API falls back to elements.
  const unsupported = useClientValue(() => !cssHighlightsSupported(), false);
  const painted = highlights.length > SPAN_LIMIT && !unsupported;

  useLayoutEffect(() => {
    const root = bodyRef.current;
    if (!painted || !root) return markPainted(highlights.length);
    // Registered in a task of its own, not inside React's commit (on first load, hydration):
    // the text is already on screen, and two short tasks keep the page responsive.
    // Each paint replaces the previous registration in place (no frame without highlights).
    const t = setTimeout(() => {
      performance.mark('marginalia:highlights-start', { detail: { count: highlights.length } });
      paintHighlights(root, highlights, activeId);
      markPainted(highlights.length);
    }, 0);
    return () => clearTimeout(t);
  }, [painted, highlights, activeId]);
  useEffect(() => (painted ? () => clearHighlights() : undefined), [painted]);

  const hitTest = (x: number, y: number): string[] => {
    const root = bodyRef.current;
    if (!painted || !root) return [];
    const at = offsetAtPoint(root, x, y, (node, offset) => domPointToOffset(root, node, offset, 'start'));
    if (at === null) return [];
    return highlights.filter((h) => h.start <= at && at < h.end).sort((a, b) => a.end - a.start - (b.end - b.start)).map((h) => h.id);
  };

  // Scroll to and flash a highlight (a click on its thread's quote).
  useEffect(() => {
    if (!scrollTo) return;
    const all = wrapRef.current?.querySelectorAll(`[data-annotation-id="${CSS.escape(scrollTo.id)}"]`) ?? [];
    if (all.length) {
      all[0].scrollIntoView({ block: 'center', behavior: 'smooth' });
      all.forEach((n) => n.classList.add('hl-flash'));
      const t = setTimeout(() => all.forEach((n) => n.classList.remove('hl-flash')), 1600);
      return () => clearTimeout(t);
    }
    const spec = highlights.find((h) => h.id === scrollTo.id);
    if (spec && painted && bodyRef.current) flashHighlight(bodyRef.current, spec);
    // Only when asked: a later change of the highlights must not scroll again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scrollTo]);

  const readSelection = useCallback(() => {
    const wrap = wrapRef.current;
    const sel = window.getSelection();
    const root = bodyRef.current;
    if (!root || !wrap || !sel || sel.rangeCount === 0 || sel.isCollapsed) return setToolbar(null);
    const range = sel.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return setToolbar(null);
    const trimmed = selectionOffsets(root, range, text);
    if (!trimmed) return setToolbar(null);
    const rect = range.getBoundingClientRect();
    const box = wrap.getBoundingClientRect();
    setToolbar({ range: trimmed, top: rect.top - box.top, left: Math.min(Math.max(rect.left + rect.width / 2 - box.left, 120), box.width - 120) });
  }, [text]);

  useEffect(() => {
    let frame = 0;
    const onChange = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(readSelection);
    };
    document.addEventListener('selectionchange', onChange);
    return () => {
      cancelAnimationFrame(frame);
      document.removeEventListener('selectionchange', onChange);
    };
  }, [readSelection]);

  const choose = useCallback(
    (tag: Tag) => {
      if (!toolbar || pending) return;
      onTag(tag, toolbar.range);
      window.getSelection()?.removeAllRanges();
      setToolbar(null);
    },
    [toolbar, pending, onTag],
  );

  const dismiss = useCallback(() => {
    window.getSelection()?.removeAllRanges();
    setToolbar(null);
  }, []);

  const idsAt = (target: EventTarget | null): string[] => {
    const ids: string[] = [];
    for (let el = target as HTMLElement | null; el && el !== wrapRef.current; el = el.parentElement) {
      const id = el.getAttribute?.('data-annotation-id');
      if (id && !ids.includes(id)) ids.push(id);
    }
    return ids;
  };

  const onClick = (e: React.MouseEvent) => {
    const sel = window.getSelection();
    if (sel && !sel.isCollapsed) return; // the end of a drag, not a click
    const ids = painted ? hitTest(e.clientX, e.clientY) : idsAt(e.target);
    if (ids.length) onHighlightClick(ids);
  };

  const hoverFrame = useRef(0);
  const onMouseMove = (e: React.MouseEvent) => {
    if (!painted) return;
    const { clientX, clientY } = e;
    cancelAnimationFrame(hoverFrame.current);
    hoverFrame.current = requestAnimationFrame(() => {
      const ids = hitTest(clientX, clientY);
      bodyRef.current?.classList.toggle('over-highlight', ids.length > 0);
      onHighlightHover(ids);
    });
  };

  return (
    <div
      ref={wrapRef}
      className="article"
      onClick={onClick}
      onMouseOver={painted ? undefined : (e) => onHighlightHover(idsAt(e.target))}
      onMouseMove={onMouseMove}
      onMouseLeave={() => onHighlightHover([])}
    >
      <div ref={bodyRef} className="article-body" role="document" aria-label="Article text" data-highlights={painted ? 'css' : 'elements'}>
        <ArticleContent model={model} highlights={highlights} activeId={activeId} bare={painted} />
      </div>
      {toolbar && selection.mode === 'tag' && (
        <SelectionToolbar top={toolbar.top} left={toolbar.left} pending={pending} onChoose={choose} onDismiss={dismiss} />
      )}
      {toolbar && selection.mode === 'attach' && (
        <AttachToolbar
          top={toolbar.top}
          left={toolbar.left}
          pending={pending}
          onAttach={() => {
            selection.onAttach(toolbar.range);
            dismiss();
          }}
          onCancel={() => {
            dismiss();
            selection.onCancel();
          }}
        />
      )}
      {toolbar && selection.mode === 'none' && (
        <div className="selection-note" role="status" style={{ top: toolbar.top, left: toolbar.left }}>
          {selection.note}
        </div>
      )}
    </div>
  );
}

/**
 * Performance marks for scripts/bench (P3): `marginalia:highlights-start` when the CSS highlights'
 * ranges start being built (many highlights only), `marginalia:highlights-applied` when N
 * highlights are in the page, `marginalia:highlights-painted` after the next frame has painted.
 * Each carries `{ count }`; a benchmark waits for the painted mark with the count it seeded.
 */
function markPainted(count: number) {
  if (typeof performance === 'undefined' || !performance.mark) return;
  performance.mark('marginalia:highlights-applied', { detail: { count } });
  requestAnimationFrame(() => setTimeout(() => performance.mark('marginalia:highlights-painted', { detail: { count } }), 0));
}
