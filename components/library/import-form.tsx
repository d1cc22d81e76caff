'use client';

/**
 * Import: a title plus Markdown, HTML or plain text, pasted or read from a .md/.html/.txt file
 * (up to 2 MiB). The server converts and sanitises (lib/domain/*-import.ts); errors come back in
 * the API envelope and are shown next to the field, with everything typed kept. The title comes
 * from the first heading of a file read or of Markdown/HTML pasted into an empty title (or one
 * still holding such a suggestion); it is never cut: its count and limit show under it.
 */
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useHydrated } from '@/lib/client/use-client-value';
import type { ApiDocument } from '@/lib/domain/api-types';
import { api, ApiError } from '@/lib/client/api';
import { guessTitle, titleAfterPaste, type ImportFormat as Format } from './import-title';
import { titleCount, titleOverLimit, titleProblem } from './title-field';

const MAX_BYTES = 2 * 1024 * 1024;
const FORMAT_OF: Record<string, Format> = { md: 'markdown', markdown: 'markdown', html: 'html', htm: 'html', txt: 'text' };

export function ImportForm() {
  const router = useRouter();
  const [title, setTitle] = useState('');
  // The title last filled in from the text (a later paste may replace it, never a typed one).
  const [suggested, setSuggested] = useState<string | null>(null);
  const [format, setFormat] = useState<Format>('markdown');
  const [source, setSource] = useState('');
  const [fileNote, setFileNote] = useState<string | null>(null);
  const [errors, setErrors] = useState<{ title?: string; source?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();

  const readFile = async (file: File | undefined) => {
    if (!file) return;
    const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
    const fmt = FORMAT_OF[ext];
    if (!fmt) return setErrors({ source: `“${file.name}” is not a .md, .html or .txt file.` });
    if (file.size > MAX_BYTES) return setErrors({ source: `“${file.name}” is ${(file.size / 1024 / 1024).toFixed(1)} MiB; the limit is 2 MiB.` });
    const text = await file.text();
    setFormat(fmt);
    setSource(text);
    setErrors({});
    setFileNote(`Read “${file.name}” (${(file.size / 1024).toFixed(0)} KiB) as ${fmt === 'markdown' ? 'Markdown' : fmt === 'html' ? 'HTML' : 'plain text'}.`);
    if (!title.trim() || title === suggested) {
      const guess = guessTitle(text, fmt) ?? file.name.replace(/\.[^.]+$/, '');
      setTitle(guess);
      setSuggested(guess);
    }
  };

  const onPaste = (e: React.ClipboardEvent<HTMLTextAreaElement>) => {
    const next = titleAfterPaste(title, suggested, e.clipboardData.getData('text/plain'), format);
    setTitle(next.title);
    setSuggested(next.suggested);
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const next: typeof errors = {};
    const problem = titleProblem(title);
    if (problem) next.title = problem;
    if (!source.trim()) next.source = 'Paste the text or choose a file.';
    else if (new Blob([source]).size > MAX_BYTES) next.source = 'The text is over 2 MiB.';
    setErrors(next);
    if (next.title || next.source) return;
    setBusy(true);
    try {
      const res = await api<{ document: ApiDocument }>('POST', '/api/documents', { title: title.trim(), format, source });
      router.push(`/documents/${res.document.id}`);
    } catch (err) {
      const details = err instanceof ApiError && Array.isArray(err.details) ? (err.details as { path?: string[]; message: string }[]) : [];
      const byField: typeof errors = {};
      for (const d of details) {
        if (d.path?.[0] === 'title') byField.title = d.message;
        else if (d.path?.[0] === 'source' || d.path?.[0] === 'content') byField.source = d.message;
      }
      setErrors({ ...byField, form: err instanceof ApiError ? err.message : 'Could not add the document; nothing you typed was lost.' });
      setBusy(false);
    }
  };

  const titleError = titleOverLimit(title) ?? errors.title;

  return (
    <form className="import-form" onSubmit={(e) => void submit(e)} noValidate method="post">
      {errors.form && (
        <div className="notice notice-error" role="alert">
          <span>{errors.form}</span>
        </div>
      )}
      <div className="field">
        <label htmlFor="import-title">Title</label>
        <input
          id="import-title"
          value={title}
          onChange={(e) => {
            setTitle(e.target.value);
            if (errors.title) setErrors((all) => ({ ...all, title: undefined }));
          }}
          aria-invalid={!!titleError}
          aria-describedby={titleError ? 'title-count title-error' : 'title-count'}
        />
        <span className="title-count muted" id="title-count">{titleCount(title)}</span>
        {titleError && <span className="field-error" id="title-error" role="alert">{titleError}</span>}
      </div>
      <div className="row">
        <label>
          Format
          <select value={format} onChange={(e) => setFormat(e.target.value as Format)}>
            <option value="markdown">Markdown</option>
            <option value="html">HTML (sanitised)</option>
            <option value="text">Plain text</option>
          </select>
        </label>
        <label>
          Or upload a file
          <input type="file" accept=".md,.markdown,.html,.htm,.txt,text/markdown,text/html,text/plain" onChange={(e) => void readFile(e.target.files?.[0])} />
        </label>
      </div>
      {fileNote && <p className="muted" role="status">{fileNote}</p>}
      <label>
        Text
        <textarea
          value={source}
          onChange={(e) => setSource(e.target.value)}
          onPaste={onPaste}
          placeholder={format === 'html' ? '<h1>Title</h1><p>…</p>' : format === 'markdown' ? '# Title\n\nFirst paragraph…' : 'Paste the text…'}
          aria-invalid={!!errors.source}
          aria-describedby={errors.source ? 'source-error' : undefined}
        />
        {errors.source && <span className="field-error" id="source-error">{errors.source}</span>}
      </label>
      <div className="editor-actions">
        <button type="submit" className="btn-primary" disabled={busy || !hydrated}>{busy ? 'Adding…' : 'Add document'}</button>
      </div>
    </form>
  );
}
