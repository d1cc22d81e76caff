'use client';

/**
 * The article with its highlights (article-content.tsx) and the selection toolbar. Selection is
 * read from the DOM (works for mouse, touch and caret browsing) and mapped to offsets in the
 * revision's plain text through the blocks' data-o/data-e attributes (lib/client/dom-offsets.ts).
 *
 * The keyboard: the article is one focusable region ("Article") with a caret of its own, kept in
 * text offsets (lib/client/caret.ts; its box and lines from lib/client/caret-dom.ts). Arrows,
 * Home/End, Shift to extend, `s` sentence, `p` paragraph, `j`/`k` next/previous highlight, Enter
 * on a highlight. A keyboard selection is drawn as the DOM selection, so the tag toolbar and
 * `1` `2` `3` work the same as after a drag; a mouse selection becomes the caret's selection.
 * The caret itself is an element placed at its box: non-editable text shows no browser caret.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { JsonNode } from '@/lib/domain/document-text';
import { TAG_META, TAGS, type Tag } from '@/lib/domain/tags';
import { clearHighlights, cssHighlightsSupported, flashHighlight, markPainted, offsetAtPoint, paintHighlights, SPAN_LIMIT } from '@/lib/client/css-highlights';
import { domPointToOffset, selectionOffsets } from '@/lib/client/dom-offsets';
import { adjacentHighlight, collapsed, describeHighlights, highlightsAt, nextChar, ordered, paragraphAt, prevChar, sentenceAt, wordEnd, wordStart, type Block, type CaretSelection } from '@/lib/client/caret';
import { revealBox, TextLayout } from '@/lib/client/caret-dom';
import { useClientValue, useHydrated } from '@/lib/client/use-client-value';
import { ArticleContent, blockModel, type HighlightSpec } from './article-content';
import { AttachToolbar, SelectionToolbar } from './selection-toolbar';

export interface TextRange {
  start: number;
  end: number;
}

interface Props {
  /** The revision shown (on the article's element, for lib/client/css-highlights.ts paintEarly). */
  revisionId: string;
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
  /** Enter with the caret in a highlight (the innermost): the page focuses its thread's comment box. */
  onHighlightEnter?(id: string): void;
  /** Scroll to this highlight and flash it, and put the keyboard caret there (a new object each time it is asked). */
  scrollTo: { id: string } | null;
  /** While the article has the focus: the collapsed caret's offset after each move (a key or a click), null for a selection. */
  onCaret?(offset: number | null): void;
  /** A plain key the article does not use, with the caret collapsed (e.g. `a` on a suggestion): true if it was used. */
  onCaretKey?(key: string, offset: number): boolean;
  /** Keys `onCaretKey` uses now, for aria-keyshortcuts. */
  caretKeys?: string;
}

interface ToolbarState {
  range: TextRange;
  top: number;
  left: number;
}

export function Article({ revisionId, content, text, highlights, activeId, selection, pending, onTag, onHighlightClick, onHighlightHover, onHighlightEnter, scrollTo, onCaret, onCaretKey, caretKeys }: Props) {
  const model = useMemo(() => blockModel(content), [content]);
  const blocks = useMemo(() => textBlocks(model), [model]);
  const wrapRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const [toolbar, setToolbar] = useState<ToolbarState | null>(null);

  // The keyboard caret and its selection, in text offsets (see the header).
  const selRef = useRef<CaretSelection>({ anchor: 0, focus: 0 });
  const [caretSel, setCaretSel] = useState<CaretSelection>({ anchor: 0, focus: 0 });
  const [focused, setFocused] = useState(false);
  const caretRef = useRef<HTMLDivElement>(null);
  /** Up/Down keep the x they started from (a short line in between does not pull the caret left). */
  const goalX = useRef<number | null>(null);
  /** The highlight j/k (or a thread's quote) last moved to: orders highlights that start together. */
  const lastJump = useRef<string | null>(null);
  /** A pointer is down in the article: the browser is making the selection, not the keyboard. */
  const pointerDown = useRef(false);
  /** The latest setSel, for the scroll-to effect, which runs only when asked and so cannot list it. */
  const setSelRef = useRef<(s: CaretSelection) => void>(() => {});

  // Many highlights are painted as CSS highlights, not elements (lib/client/css-highlights.ts).
  // The server renders the bare text then; a browser without the API falls back to elements.
  const unsupported = useClientValue(() => !cssHighlightsSupported(), false);
  const live = useHydrated();
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

  // Scroll to and flash a highlight (a click on its thread's quote); the keyboard caret goes to
  // its start and the focus into the article, so reading and tagging go on from there.
  useEffect(() => {
    if (!scrollTo) return;
    const spec = highlights.find((h) => h.id === scrollTo.id);
    if (spec && bodyRef.current) {
      lastJump.current = spec.id;
      goalX.current = null;
      setSelRef.current({ anchor: spec.start, focus: spec.start });
      bodyRef.current.focus({ preventScroll: true });
    }
    const all = wrapRef.current?.querySelectorAll(`[data-annotation-id="${CSS.escape(scrollTo.id)}"]`) ?? [];
    if (all.length) {
      all[0].scrollIntoView({ block: 'center', behavior: 'smooth' });
      all.forEach((n) => n.classList.add('hl-flash'));
      const t = setTimeout(() => all.forEach((n) => n.classList.remove('hl-flash')), 1600);
      return () => clearTimeout(t);
    }
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

  // --- The keyboard caret -------------------------------------------------------------------

  /** Draws `s` as the DOM selection (collapsed: the browser shows nothing, the caret element does). */
  const drawSelection = useCallback(
    (s: CaretSelection) => {
      const root = bodyRef.current;
      const dom = window.getSelection();
      if (!root || !dom) return;
      const layout = new TextLayout(root, text);
      const a = layout.point(s.anchor, s.anchor <= s.focus ? 'forward' : 'back');
      const f = layout.point(s.focus, s.focus <= s.anchor ? 'forward' : 'back');
      if (!a || !f) return;
      if (dom.rangeCount && dom.anchorNode === a.node && dom.anchorOffset === a.offset && dom.focusNode === f.node && dom.focusOffset === f.offset) return;
      dom.setBaseAndExtent(a.node, a.offset, f.node, f.offset);
      readSelection();
    },
    [text, readSelection],
  );

  const placeCaret = useCallback(() => {
    const root = bodyRef.current;
    const wrap = wrapRef.current;
    const el = caretRef.current;
    if (!root || !wrap || !el) return;
    const box = new TextLayout(root, text).caretBox(selRef.current.focus);
    if (!box) return void (el.hidden = true);
    const w = wrap.getBoundingClientRect();
    el.hidden = false;
    el.style.transform = `translate(${Math.round(box.x - w.left - 1)}px, ${Math.round(box.top - w.top)}px)`;
    el.style.height = `${Math.round(box.bottom - box.top)}px`;
    // Solid while moving, blinking when still.
    el.classList.remove('kbd-caret-blink');
    void el.offsetWidth;
    el.classList.add('kbd-caret-blink');
  }, [text]);

  const setSel = useCallback(
    (s: CaretSelection, opts: { draw?: boolean; reveal?: boolean } = {}) => {
      selRef.current = s;
      setCaretSel(s);
      if (opts.draw !== false) drawSelection(s);
      if (opts.reveal && bodyRef.current) {
        const box = new TextLayout(bodyRef.current, text).caretBox(s.focus);
        if (box) revealBox(box);
      }
    },
    [drawSelection, text],
  );
  useLayoutEffect(() => {
    setSelRef.current = setSel;
  }, [setSel]);

  // The caret follows its offset, the layout (resizes, fonts) and re-rendered highlights; a
  // keyboard selection is drawn again over re-rendered highlight elements.
  useLayoutEffect(() => {
    if (!focused) return;
    if (document.activeElement === bodyRef.current && !pointerDown.current) drawSelection(selRef.current);
    placeCaret();
  }, [focused, caretSel, highlights, activeId, painted, placeCaret, drawSelection]);
  useEffect(() => {
    const root = bodyRef.current;
    if (!focused || !root || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => placeCaret());
    ro.observe(root);
    return () => ro.disconnect();
  }, [focused, placeCaret]);

  /** A selection the browser made (a drag, a click, a double click) becomes the caret's. */
  const syncFromDom = useCallback(() => {
    const root = bodyRef.current;
    const dom = window.getSelection();
    if (!root) return;
    const cur = selRef.current;
    if (!dom || !dom.rangeCount || !dom.anchorNode || !dom.focusNode || !root.contains(dom.anchorNode) || !root.contains(dom.focusNode)) {
      // The selection went elsewhere (tagged, dismissed, a comment box): the caret stays.
      if (!collapsed(cur)) setSel({ anchor: cur.focus, focus: cur.focus }, { draw: false });
      return;
    }
    const r = dom.getRangeAt(0);
    const backward = r.startContainer !== dom.anchorNode || r.startOffset !== dom.anchorOffset;
    const start = domPointToOffset(root, r.startContainer, r.startOffset, 'start');
    const end = domPointToOffset(root, r.endContainer, r.endOffset, 'end');
    if (start === null || end === null) return;
    const next = dom.isCollapsed ? { anchor: start, focus: start } : backward ? { anchor: end, focus: start } : { anchor: start, focus: end };
    if (next.anchor === cur.anchor && next.focus === cur.focus) return;
    goalX.current = null;
    lastJump.current = null;
    setSel(next, { draw: false });
  }, [setSel]);

  useEffect(() => {
    const up = () => {
      pointerDown.current = false;
    };
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', up);
    return () => {
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', up);
    };
  }, []);

  // Escape in a thread of the margin, when nothing there used it, returns to the article with
  // the caret where it was (a comment being written keeps its text). Listened for on the window,
  // after every handler on the document has had its say. The comment editor (ProseMirror)
  // prevents the default of every Escape without doing anything with it, so there it counts as unused.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return;
      const t = e.target as Element | null;
      if (!t?.closest?.('.sidebar [data-thread-id]') || t.closest('input, select, textarea')) return;
      if (e.defaultPrevented && !t.closest('.ProseMirror')) return;
      const body = bodyRef.current;
      if (!body) return;
      e.preventDefault();
      body.focus({ preventScroll: true });
      const box = new TextLayout(body, text).caretBox(selRef.current.focus);
      if (box) revealBox(box);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [text]);

  // The skip link ("Skip to article", #article) lands here.
  useEffect(() => {
    const onHash = () => {
      if (window.location.hash === '#article') bodyRef.current?.focus();
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // Told when the caret moves, not when the listener changes (its owner's state changed).
  const onCaretRef = useRef(onCaret);
  useLayoutEffect(() => {
    onCaretRef.current = onCaret;
  }, [onCaret]);
  useEffect(() => {
    if (focused) onCaretRef.current?.(collapsed(caretSel) ? caretSel.focus : null);
  }, [focused, caretSel]);

  /** The highlights under a collapsed caret, told to screen readers (CSS highlights have no element to describe them). */
  const described = useMemo(() => (collapsed(caretSel) ? describeHighlights(highlightsAt(highlights, caretSel.focus)) : ''), [caretSel, highlights]);

  useEffect(() => {
    let frame = 0;
    const onChange = () => {
      syncFromDom();
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(readSelection);
    };
    document.addEventListener('selectionchange', onChange);
    return () => {
      cancelAnimationFrame(frame);
      document.removeEventListener('selectionchange', onChange);
    };
  }, [readSelection, syncFromDom]);

  const choose = useCallback(
    (tag: Tag) => {
      if (!toolbar || pending) return;
      onTag(tag, toolbar.range);
      window.getSelection()?.removeAllRanges();
      setToolbar(null);
      const at = selRef.current.focus;
      setSel({ anchor: at, focus: at }, { draw: false });
    },
    [toolbar, pending, onTag, setSel],
  );

  const dismiss = useCallback(() => {
    window.getSelection()?.removeAllRanges();
    setToolbar(null);
    const at = selRef.current.focus;
    // In the article the caret stays, drawn where the selection ended.
    setSel({ anchor: at, focus: at }, { draw: document.activeElement === bodyRef.current });
  }, [setSel]);

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget || e.altKey || e.metaKey) return;
    const root = bodyRef.current;
    if (!root) return;
    const cur = selRef.current;
    const layout = new TextLayout(root, text);
    const { start, end } = ordered(cur);
    const { ctrlKey: ctrl, shiftKey: shift } = e;
    const move = (to: number, extend: boolean, keepGoal = false) => {
      e.preventDefault();
      if (!keepGoal) goalX.current = null;
      lastJump.current = null;
      setSel(extend ? { anchor: cur.anchor, focus: to } : { anchor: to, focus: to }, { reveal: true });
    };
    switch (e.key) {
      case 'ArrowLeft':
        if (!shift && !ctrl && !collapsed(cur)) return move(start, false);
        return move(ctrl ? wordStart(text, cur.focus) : prevChar(text, cur.focus), shift);
      case 'ArrowRight':
        if (!shift && !ctrl && !collapsed(cur)) return move(end, false);
        return move(ctrl ? wordEnd(text, cur.focus) : nextChar(text, cur.focus), shift);
      case 'ArrowUp':
      case 'ArrowDown': {
        if (ctrl) return;
        const dir = e.key === 'ArrowDown' ? 1 : -1;
        const x = goalX.current ?? layout.caretBox(cur.focus)?.x ?? 0;
        goalX.current = x;
        return move(layout.lineMove(cur.focus, dir, x) ?? (dir === 1 ? text.length : 0), shift, true);
      }
      case 'Home':
        return move(ctrl ? 0 : layout.lineStart(cur.focus), shift);
      case 'End':
        return move(ctrl ? text.length : layout.lineEnd(cur.focus), shift);
    }
    if (ctrl) return;
    switch (e.key) {
      case 's':
      case 'p': {
        e.preventDefault();
        const r = e.key === 's' ? sentenceAt(text, blocks, cur.focus) : paragraphAt(text, blocks, cur.focus);
        if (!r) return;
        goalX.current = null;
        lastJump.current = null;
        setSel({ anchor: r.start, focus: r.end }, { reveal: true });
        return;
      }
      case 'j':
      case 'k': {
        e.preventDefault();
        const h = adjacentHighlight(highlights, cur.focus, lastJump.current, e.key === 'j' ? 1 : -1);
        if (!h) return;
        goalX.current = null;
        setSel({ anchor: h.start, focus: h.start }, { reveal: true });
        lastJump.current = h.id;
        // The margin shows its thread; the keyboard stays here.
        onHighlightClick([h.id]);
        return;
      }
      case 'Enter': {
        // With a selection Enter belongs to the toolbars ("Attach here").
        if (!collapsed(cur)) return;
        const h = highlightsAt(highlights, cur.focus)[0];
        if (!h) return;
        e.preventDefault();
        if (onHighlightEnter) onHighlightEnter(h.id);
        else onHighlightClick([h.id]);
        return;
      }
      case 'Escape':
        // A selection without a toolbar (only white space): Escape collapses it; the toolbars handle theirs.
        if (!collapsed(cur) && !toolbar) {
          e.preventDefault();
          setSel({ anchor: cur.focus, focus: cur.focus });
        } else if (collapsed(cur) && onCaretKey?.(e.key, cur.focus)) e.preventDefault();
        return;
    }
    if (!shift && collapsed(cur) && onCaretKey?.(e.key, cur.focus)) {
      e.preventDefault();
      return;
    }
    // 1 2 3 on a selection made here: the toolbar's choice, at once (its own listener may not be up yet).
    const tag = TAGS.find((t) => TAG_META[t].key === e.key);
    if (tag && !shift && toolbar && selection.mode === 'tag' && !collapsed(cur)) {
      e.preventDefault();
      choose(tag);
    }
  };

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
      {/* aria-description (the highlights under the caret) is a global ARIA 1.3 attribute; the linter's table predates it. */}
      {/* eslint-disable-next-line jsx-a11y/role-supports-aria-props */}
      <div
        ref={bodyRef}
        id="article"
        className="article-body"
        data-revision-id={revisionId}
        role="region"
        aria-label="Article"
        aria-roledescription="article text"
        aria-description={focused && described ? described : undefined}
        // Only once the page is live: before hydration the keys do nothing.
        aria-keyshortcuts={live ? `ArrowLeft ArrowRight ArrowUp ArrowDown Home End s p j k Enter 1 2 3${caretKeys ? ` ${caretKeys}` : ''}` : undefined}
        tabIndex={0}
        data-highlights={painted ? 'css' : 'elements'}
        onKeyDown={onKeyDown}
        onPointerDown={() => {
          pointerDown.current = true;
        }}
        onFocus={(e) => {
          if (e.target !== e.currentTarget) return;
          setFocused(true);
          if (!pointerDown.current) drawSelection(selRef.current);
        }}
        onBlur={(e) => {
          if (e.target === e.currentTarget) setFocused(false);
        }}
      >
        <ArticleContent model={model} highlights={highlights} activeId={activeId} bare={painted} />
        <div className="sr-only" role="status" aria-live="polite" data-testid="caret-announcer">
          {focused ? described : ''}
        </div>
      </div>
      <div ref={caretRef} className="kbd-caret" aria-hidden="true" hidden />
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

/** The text blocks of the article in order (their offsets), for sentences and paragraphs. */
function textBlocks(model: ReturnType<typeof blockModel>): Block[] {
  const out: Block[] = [];
  const walk = (b: ReturnType<typeof blockModel>[number]) => {
    if (b.kind === 'textblock') out.push({ from: b.from, to: b.to });
    else if (b.kind === 'container') b.children.forEach(walk);
  };
  model.forEach(walk);
  return out;
}
