'use client';

/**
 * The comment composer: a Tiptap editor on the comment schema (lib/domain/comment-schema.ts,
 * the same one the server validates against). Drafts are kept in sessionStorage per thread, so
 * typed text survives a failed request, a reload or a closed thread. Ctrl/Cmd+Enter posts.
 * Near the length limit a counter appears (lib/domain/comment-draft.ts); past it Post is off.
 * A URL typed at the very end is linked when posting (autolink waits for a following space).
 * `@` suggests team members to mention (mention-list.tsx); a chosen one is a mention node.
 * Loaded lazily (next/dynamic) so the reader's first load does not carry the editor.
 */
import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import { Placeholder } from '@tiptap/extensions';
import { Bold, Italic, Link2, List, ListOrdered } from 'lucide-react';
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { commentCounter, commentLength, linkTrailingUrl } from '@/lib/domain/comment-draft';
import { commentExtensions } from '@/lib/domain/comment-schema';
import type { JsonNode } from '@/lib/domain/document-text';
import { MentionList, mentionController, type MentionState } from './mention-list';

export interface ComposerProps {
  /** sessionStorage key of the draft. */
  draftKey: string;
  initial?: JsonNode | null;
  submitLabel: string;
  placeholder?: string;
  autoFocus?: boolean;
  /** Resolves when saved; throws to keep the text (the caller shows the error). */
  onSubmit(body: JsonNode): Promise<void>;
  onCancel?(): void;
}

function loadDraft(key: string): JsonNode | null {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as JsonNode) : null;
  } catch {
    return null;
  }
}

export default function Composer({ draftKey, initial, submitLabel, placeholder, autoFocus, onSubmit, onCancel }: ComposerProps) {
  const [busy, setBusy] = useState(false);
  const [linkOpen, setLinkOpen] = useState(false);
  const [href, setHref] = useState('');
  const submitRef = useRef<() => void>(() => {});
  const [mention, setMention] = useState<MentionState | null>(null);
  const [mentions] = useState(() => mentionController(setMention));
  const listId = `mentions-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;

  const editor = useEditor({
    extensions: [
      ...commentExtensions({ mention: mentions.options }),
      Placeholder.configure({ placeholder: placeholder ?? 'Write a comment…' }),
    ],
    content: loadDraft(draftKey) ?? initial ?? '',
    immediatelyRender: false,
    autofocus: autoFocus ? 'end' : false,
    editorProps: {
      attributes: { 'aria-label': 'Comment', role: 'textbox', 'aria-multiline': 'true', 'aria-autocomplete': 'list', class: 'composer-input' },
      handleKeyDown: (_view, e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          submitRef.current();
          return true;
        }
        return false;
      },
    },
    onUpdate: ({ editor: ed }) => {
      try {
        if (ed.isEmpty) sessionStorage.removeItem(draftKey);
        else sessionStorage.setItem(draftKey, JSON.stringify(ed.getJSON()));
      } catch {
        /* storage full or disabled: the text is still in the editor */
      }
    },
  });

  const state = useEditorState({
    editor,
    selector: ({ editor: ed }) => ({
      // Blank counts as empty: the server refuses a comment of only spaces and line breaks.
      empty: !ed?.getText().trim(),
      bold: ed?.isActive('bold') ?? false,
      italic: ed?.isActive('italic') ?? false,
      link: ed?.isActive('link') ?? false,
      bullet: ed?.isActive('bulletList') ?? false,
      ordered: ed?.isActive('orderedList') ?? false,
      length: ed ? commentLength(ed.state.doc) : 0,
    }),
  });
  const counter = commentCounter(state?.length ?? 0);

  // The editor names the open list and its highlighted option (it keeps the focus throughout).
  const active = mention && mention.items.length ? `${listId}-${mention.index}` : null;
  useEffect(() => {
    const dom = editor?.view.dom;
    if (!dom) return;
    if (mention) dom.setAttribute('aria-controls', listId);
    else dom.removeAttribute('aria-controls');
    if (active) dom.setAttribute('aria-activedescendant', active);
    else dom.removeAttribute('aria-activedescendant');
  }, [editor, mention, active, listId]);

  const submit = async () => {
    if (!editor || !editor.getText().trim() || busy || commentCounter(commentLength(editor.state.doc)).over) return;
    setBusy(true);
    try {
      await onSubmit(linkTrailingUrl(editor.getJSON() as JsonNode));
      try {
        sessionStorage.removeItem(draftKey);
      } catch {}
      editor.commands.clearContent(true);
    } catch {
      /* the caller reported it; the text stays */
    } finally {
      setBusy(false);
    }
  };

  // The editor's key handler lives outside React and calls the latest submit through the ref.
  useLayoutEffect(() => {
    submitRef.current = submit;
  });

  const toggleLink = () => {
    if (!linkOpen) setHref(editor?.getAttributes('link').href ?? '');
    setLinkOpen(!linkOpen);
  };

  const applyLink = () => {
    if (!editor) return;
    const url = href.trim();
    const chain = editor.chain().focus().extendMarkRange('link');
    if (!url) chain.unsetLink().run();
    else chain.setLink({ href: /^(https?:|mailto:)/i.test(url) ? url : `https://${url}` }).run();
    setLinkOpen(false);
  };

  const tool = (label: string, active: boolean, onClick: () => void, icon: React.ReactNode, keys?: string) => (
    <button type="button" className="fmt" aria-label={label} aria-pressed={active} title={keys ? `${label} (${keys})` : label} onClick={onClick} disabled={!editor}>
      {icon}
    </button>
  );

  return (
    <div className="composer" aria-busy={busy}>
      <div className="composer-tools" role="toolbar" aria-label="Formatting">
        {tool('Bold', state?.bold ?? false, () => editor?.chain().focus().toggleBold().run(), <Bold size={14} />, 'Ctrl+B')}
        {tool('Italic', state?.italic ?? false, () => editor?.chain().focus().toggleItalic().run(), <Italic size={14} />, 'Ctrl+I')}
        {tool('Link', state?.link ?? false, toggleLink, <Link2 size={14} />)}
        {tool('Bulleted list', state?.bullet ?? false, () => editor?.chain().focus().toggleBulletList().run(), <List size={14} />)}
        {tool('Numbered list', state?.ordered ?? false, () => editor?.chain().focus().toggleOrderedList().run(), <ListOrdered size={14} />)}
      </div>
      {linkOpen && (
        <div className="link-row">
          <input
            type="url"
            aria-label="Link address"
            placeholder="https://…"
            value={href}
            autoFocus
            onChange={(e) => setHref(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                applyLink();
              } else if (e.key === 'Escape') setLinkOpen(false);
            }}
          />
          <button type="button" onClick={applyLink}>Apply</button>
        </div>
      )}
      {editor ? <EditorContent editor={editor} /> : <div className="composer-input composer-skeleton" aria-hidden="true" />}
      {mention && (
        <MentionList id={listId} state={mention} onHover={mentions.hover} onChoose={mentions.choose} />
      )}
      <div className="composer-actions">
        <span className="hint" aria-hidden="true">Ctrl+Enter to send</span>
        {counter.show && (
          <span className={`composer-counter${counter.over ? ' is-over' : ''}`} data-testid="composer-counter">
            {counter.label}
          </span>
        )}
        <span className="sr-only" role="status" aria-live="polite">
          {counter.announcement}
        </span>
        {onCancel && (
          <button type="button" className="btn-ghost" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
        <button type="button" className="btn-primary" onClick={() => submitRef.current()} disabled={busy || (state?.empty ?? true) || counter.over}>
          {submitLabel}
        </button>
      </div>
    </div>
  );
}
