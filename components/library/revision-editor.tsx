'use client';

/**
 * The admin's revision editor: the article in an editable Tiptap with the reader's own schema
 * (lib/domain/article-schema.ts), a formatting toolbar, and Publish. Publishing sends the JSON with
 * the revision it started from; if someone published meanwhile the server answers 409 and the
 * edits stay here. Unpublished edits are kept in localStorage per document and base revision,
 * so a crash or a closed tab loses nothing. Tables (imported, or inserted here) are edited with
 * prosemirror-tables: Tab moves between cells, the toolbar adds rows and columns.
 */
import { EditorContent, useEditor, type Editor } from '@tiptap/react';
import { addColumnAfter, addRowAfter, deleteTable, isInTable } from '@tiptap/pm/tables';
import { BetweenHorizontalEnd, BetweenVerticalEnd, Bold, Grid2x2X, Heading2, Heading3, Italic, Link2, List, ListOrdered, Pilcrow, Quote, Redo2, Table2, Undo2 } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useHydrated } from '@/lib/client/use-client-value';
import { articleExtensions } from '@/lib/domain/article-schema';
import type { ReanchorSummary } from '@/lib/domain/api-types';
import type { JsonNode } from '@/lib/domain/document-text';
import { api, ApiError } from '@/lib/client/api';

interface Props {
  documentId: string;
  title: string;
  base: { id: string; number: number };
  content: JsonNode;
}

export function RevisionEditor({ documentId, title, base, content }: Props) {
  const router = useRouter();
  const draftKey = `marginalia:revision-draft:${documentId}:${base.id}`;
  // The draft notice appears once hydrated: the server cannot know about the browser's draft.
  const hydrated = useHydrated();
  const [discarded, setDiscarded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const saveTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const initial = useMemo(() => {
    try {
      const saved = typeof window !== 'undefined' ? localStorage.getItem(draftKey) : null;
      if (saved) return { content: JSON.parse(saved) as JsonNode, restored: true };
    } catch {}
    return { content, restored: false };
  }, [draftKey, content]);

  const editor = useEditor({
    extensions: articleExtensions({ editable: true }),
    content: initial.content,
    immediatelyRender: false,
    editorProps: { attributes: { class: 'article-body editor-body', 'aria-label': 'Document text', role: 'textbox', 'aria-multiline': 'true' } },
    onUpdate({ editor: e }) {
      setDirty(true);
      clearTimeout(saveTimer.current);
      saveTimer.current = setTimeout(() => {
        try {
          localStorage.setItem(draftKey, JSON.stringify(e.getJSON()));
        } catch {}
      }, 400);
    },
  });

  const restored = hydrated && initial.restored && !discarded;
  useEffect(() => () => clearTimeout(saveTimer.current), []);

  // Leaving with unpublished edits asks first (the draft is kept either way).
  useEffect(() => {
    if (!dirty) return;
    const onLeave = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onLeave);
    return () => window.removeEventListener('beforeunload', onLeave);
  }, [dirty]);

  const discard = () => {
    try {
      localStorage.removeItem(draftKey);
    } catch {}
    editor?.commands.setContent(content);
    setDiscarded(true);
    setDirty(false);
  };

  const publish = async () => {
    if (!editor) return;
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ revision: { number: number }; reanchored: ReanchorSummary }>('POST', `/api/documents/${documentId}/revisions`, {
        content: editor.getJSON(),
        baseRevisionId: base.id,
      });
      clearTimeout(saveTimer.current);
      try {
        localStorage.removeItem(draftKey);
        sessionStorage.setItem('marginalia:flash', publishedMessage(res.revision.number, res.reanchored));
      } catch {}
      setDirty(false);
      router.push(`/documents/${documentId}`);
      router.refresh();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Could not publish; your edits are kept here.');
      setBusy(false);
    }
  };

  return (
    <div className="revision-editor">
      <div className="editor-head">
        <h1>Edit “{title}”</h1>
        <p className="muted">
          Publishing makes revision {base.number + 1}. Every highlight is carried over to the new text; threads whose passage is gone are kept
          under “Orphaned”. Revision {base.number} stays readable as it is.
        </p>
      </div>
      {restored && (
        <div className="notice notice-info" role="status">
          <span>Your unpublished edits from earlier were restored.</span>
          <button type="button" className="link-btn" onClick={discard}>Discard them</button>
        </div>
      )}
      {error && (
        <div className="notice notice-error" role="alert">
          <span>{error}</span>
        </div>
      )}
      <EditorToolbar editor={editor} />
      <div className="editor-frame">{editor ? <EditorContent editor={editor} /> : <p className="muted" aria-busy="true">Loading the editor…</p>}</div>
      <div className="editor-actions">
        <button type="button" className="btn-primary" disabled={!editor || busy} onClick={() => void publish()}>
          {busy ? 'Publishing…' : `Publish revision ${base.number + 1}`}
        </button>
        <Link href={`/documents/${documentId}`} className="btn-ghost">Cancel</Link>
        {dirty && <span className="muted">Unpublished edits are saved in this browser.</span>}
      </div>
    </div>
  );
}

function publishedMessage(n: number, r: ReanchorSummary): string {
  const carried = r.kept + r.moved + r.fuzzy;
  const parts = [`${carried} ${carried === 1 ? 'highlight' : 'highlights'} carried over`];
  if (r.fuzzy) parts.push(`${r.fuzzy} matched approximately (marked “approximate”)`);
  if (r.orphaned) parts.push(`${r.orphaned} orphaned (see “Orphaned” in the margin)`);
  return `Revision ${n} published: ${parts.join(', ')}.`;
}

const cell = (type: string) => ({ type, content: [{ type: 'paragraph' }] });
/** A new table: a header row and two rows of three cells. */
const NEW_TABLE = {
  type: 'table',
  content: [
    { type: 'tableRow', content: [cell('tableHeader'), cell('tableHeader'), cell('tableHeader')] },
    { type: 'tableRow', content: [cell('tableCell'), cell('tableCell'), cell('tableCell')] },
    { type: 'tableRow', content: [cell('tableCell'), cell('tableCell'), cell('tableCell')] },
  ],
};

function EditorToolbar({ editor }: { editor: Editor | null }) {
  // Re-render on every transaction so the buttons show the formatting at the cursor.
  const [, repaint] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (!editor) return;
    editor.on('transaction', repaint);
    return () => {
      editor.off('transaction', repaint);
    };
  }, [editor]);
  const state = editor
    ? {
        h2: editor.isActive('heading', { level: 2 }),
        h3: editor.isActive('heading', { level: 3 }),
        p: editor.isActive('paragraph'),
        bold: editor.isActive('bold'),
        italic: editor.isActive('italic'),
        bullet: editor.isActive('bulletList'),
        ordered: editor.isActive('orderedList'),
        quote: editor.isActive('blockquote'),
        table: isInTable(editor.state),
        link: editor.isActive('link'),
        undo: editor.can().undo(),
        redo: editor.can().redo(),
      }
    : null;
  if (!editor || !state) return <div className="editor-toolbar" aria-hidden="true" />;
  const chain = () => editor.chain().focus();
  const tool = (label: string, icon: React.ReactNode, active: boolean, run: () => void, keys?: string, disabled = false) => (
    <button type="button" className={`tool${active ? ' is-on' : ''}`} aria-label={label} aria-pressed={active} title={keys ? `${label} (${keys})` : label} disabled={disabled} onClick={run}>
      {icon}
    </button>
  );
  return (
    <div className="editor-toolbar" role="toolbar" aria-label="Formatting">
      {tool('Paragraph', <Pilcrow size={16} />, state.p, () => chain().setParagraph().run())}
      {tool('Heading', <Heading2 size={16} />, state.h2, () => chain().toggleHeading({ level: 2 }).run(), 'Ctrl+Alt+2')}
      {tool('Subheading', <Heading3 size={16} />, state.h3, () => chain().toggleHeading({ level: 3 }).run(), 'Ctrl+Alt+3')}
      <span className="toolbar-sep" aria-hidden="true" />
      {tool('Bold', <Bold size={16} />, state.bold, () => chain().toggleBold().run(), 'Ctrl+B')}
      {tool('Italic', <Italic size={16} />, state.italic, () => chain().toggleItalic().run(), 'Ctrl+I')}
      {tool('Link', <Link2 size={16} />, state.link, () => {
        if (state.link) return void chain().unsetLink().run();
        const href = window.prompt('Link address (https://…)');
        if (href) chain().extendMarkRange('link').setLink({ href }).run();
      })}
      <span className="toolbar-sep" aria-hidden="true" />
      {tool('Bulleted list', <List size={16} />, state.bullet, () => chain().toggleBulletList().run(), 'Ctrl+Shift+8')}
      {tool('Numbered list', <ListOrdered size={16} />, state.ordered, () => chain().toggleOrderedList().run(), 'Ctrl+Shift+7')}
      {tool('Quote', <Quote size={16} />, state.quote, () => chain().toggleBlockquote().run(), 'Ctrl+Shift+B')}
      {tool('Insert table', <Table2 size={16} />, false, () => chain().insertContent(NEW_TABLE).run(), undefined, state.table)}
      {state.table && (
        <>
          {tool('Add row', <BetweenHorizontalEnd size={16} />, false, () => chain().command(({ state: s, dispatch }) => addRowAfter(s, dispatch)).run())}
          {tool('Add column', <BetweenVerticalEnd size={16} />, false, () => chain().command(({ state: s, dispatch }) => addColumnAfter(s, dispatch)).run())}
          {tool('Delete table', <Grid2x2X size={16} />, false, () => chain().command(({ state: s, dispatch }) => deleteTable(s, dispatch)).run())}
        </>
      )}
      <span className="toolbar-sep" aria-hidden="true" />
      {tool('Undo', <Undo2 size={16} />, false, () => chain().undo().run(), 'Ctrl+Z', !state.undo)}
      {tool('Redo', <Redo2 size={16} />, false, () => chain().redo().run(), 'Ctrl+Shift+Z', !state.redo)}
    </div>
  );
}
