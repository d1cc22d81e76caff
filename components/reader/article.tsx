'use client';

/**
 * The article: Tiptap, read-only, with highlight decorations and the selection toolbar.
 * Selection is read from the DOM (works for mouse, touch and caret browsing) and mapped to
 * ProseMirror positions and then to offsets in the revision's plain text.
 */
import { EditorContent, useEditor } from '@tiptap/react';
import { articleExtensions } from '@/lib/domain/article-schema';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { trimRange } from '@/lib/domain/anchoring';
import { buildTextIndex, posToTextOffset, type JsonNode } from '@/lib/domain/document-text';
import type { Tag } from '@/lib/domain/tags';
import { Highlights, highlightsKey, type HighlightSpec } from './highlights';
import { AttachToolbar, SelectionToolbar } from './selection-toolbar';

export interface TextRange {
  start: number;
  end: number;
}

interface Props {
  content: JsonNode;
  highlights: HighlightSpec[];
  activeId: string | null;
  /** What a selection offers: the tag toolbar, "Attach here" (re-attaching a thread), or a note why not. */
  selection: { mode: 'tag' } | { mode: 'attach'; onAttach(range: TextRange): void; onCancel(): void } | { mode: 'none'; note: string };
  pending: boolean;
  onTag(tag: Tag, range: TextRange): void;
  onHighlightClick(ids: string[]): void;
  /** The highlights under the pointer (innermost first), or [] when it leaves them. */
  onHighlightHover(ids: string[]): void;
}

interface ToolbarState {
  range: TextRange;
  top: number;
  left: number;
}

export function Article({ content, highlights, activeId, selection, pending, onTag, onHighlightClick, onHighlightHover }: Props) {
  const index = useMemo(() => buildTextIndex(content), [content]);
  const wrapRef = useRef<HTMLDivElement>(null);
  const [toolbar, setToolbar] = useState<ToolbarState | null>(null);

  const editor = useEditor({
    extensions: [...articleExtensions(), Highlights(index)],
    content,
    editable: false,
    immediatelyRender: false,
    editorProps: { attributes: { class: 'article-body', 'aria-label': 'Article text', role: 'document' } },
  });

  useEffect(() => {
    if (!editor) return;
    editor.view.dispatch(editor.state.tr.setMeta(highlightsKey, { specs: highlights, activeId }));
    markPainted(highlights.length);
  }, [editor, highlights, activeId]);

  const readSelection = useCallback(() => {
    const wrap = wrapRef.current;
    const sel = window.getSelection();
    if (!editor || !wrap || !sel || sel.rangeCount === 0 || sel.isCollapsed) return setToolbar(null);
    const range = sel.getRangeAt(0);
    const root = editor.view.dom;
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return setToolbar(null);
    let from: number;
    let to: number;
    try {
      from = editor.view.posAtDOM(range.startContainer, range.startOffset);
      to = editor.view.posAtDOM(range.endContainer, range.endOffset);
    } catch {
      return setToolbar(null);
    }
    const start = posToTextOffset(index, Math.min(from, to), 'start');
    const end = posToTextOffset(index, Math.max(from, to), 'end');
    const trimmed = start !== null && end !== null ? trimRange(index.text, start, end) : null;
    if (!trimmed) return setToolbar(null);
    const rect = range.getBoundingClientRect();
    const box = wrap.getBoundingClientRect();
    setToolbar({ range: trimmed, top: rect.top - box.top, left: Math.min(Math.max(rect.left + rect.width / 2 - box.left, 120), box.width - 120) });
  }, [editor, index]);

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
    const ids = idsAt(e.target);
    if (ids.length) onHighlightClick(ids);
  };

  return (
    <div ref={wrapRef} className="article" onClick={onClick} onMouseOver={(e) => onHighlightHover(idsAt(e.target))} onMouseLeave={() => onHighlightHover([])}>
      {editor ? <EditorContent editor={editor} /> : <ArticleSkeleton />}
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
 * Performance marks for scripts/bench (P3): `marginalia:highlights-applied` when decorations for
 * N highlights are in the view, `marginalia:highlights-painted` after the next frame has painted.
 * Each carries `{ count }`; a benchmark waits for the painted mark with the count it seeded.
 */
function markPainted(count: number) {
  if (typeof performance === 'undefined' || !performance.mark) return;
  performance.mark('marginalia:highlights-applied', { detail: { count } });
  requestAnimationFrame(() => setTimeout(() => performance.mark('marginalia:highlights-painted', { detail: { count } }), 0));
}

function ArticleSkeleton() {
  return (
    <div className="article-skeleton" aria-busy="true" aria-label="Loading the article">
      {Array.from({ length: 8 }, (_, i) => (
        <div key={i} className="skeleton-line" style={{ width: `${70 + ((i * 37) % 30)}%` }} />
      ))}
    </div>
  );
}
