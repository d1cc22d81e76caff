/**
 * The CPU-heavy steps of importing and publishing, as plain functions of plain data, so that they
 * can run in the worker thread (./worker.mjs) and, in the same form, in unit tests. Nothing here
 * touches the database or Next: the worker loads this file without `server-only`.
 */
import { checkContentDepth, MAX_ARTICLE_CHARS, parseArticleContent } from '@/lib/domain/article-schema';
import { Budget, PUBLISH_BUDGET, reanchor, type ReanchorResult } from '@/lib/domain/anchoring/reanchor';
import { buildTextIndex, type JsonNode } from '@/lib/domain/document-text';
import { AppError } from '@/lib/domain/errors';
import { htmlToDoc } from '@/lib/domain/html-import';
import { markdownToDoc, plainTextToDoc } from '@/lib/domain/markdown-import';

export type SourceFormat = 'markdown' | 'html' | 'text';

export interface Article {
  content: JsonNode;
  text: string;
}

/** Untrusted article JSON -> checked content and its plain text (400 if it does not fit, 413 if too long). */
export function checkedArticle(raw: unknown): Article {
  const { content } = parseArticleContent(raw);
  const { text } = buildTextIndex(content);
  if (text.length > MAX_ARTICLE_CHARS) {
    throw new AppError('payload_too_large', 'A document may have at most 2 MiB of text', { limit: MAX_ARTICLE_CHARS, length: text.length });
  }
  return { content, text };
}

/** Markdown, HTML (sanitised) or plain text -> validated article JSON and its plain text. */
export function importSource(format: SourceFormat, source: string): Article {
  const raw = format === 'markdown' ? markdownToDoc(source) : format === 'html' ? htmlToDoc(source) : plainTextToDoc(source);
  return checkedArticle(raw);
}

/** One annotation as publishing reads it: its selectors and whether its position is in the outgoing text. */
export interface ReanchorRow {
  exact: string;
  prefix: string;
  suffix: string;
  start: number;
  end: number;
  /** The outgoing revision's text length when the position is in it (else no length ratio is used). */
  oldLength?: number;
}

/** Every annotation's place in `newText`, in the order given, sharing one publish budget. */
export function reanchorRows(rows: readonly ReanchorRow[], newText: string): ReanchorResult[] {
  const budget = new Budget(PUBLISH_BUDGET);
  return rows.map((a) => reanchor({ quote: { exact: a.exact, prefix: a.prefix, suffix: a.suffix }, position: { start: a.start, end: a.end } }, newText, a.oldLength, budget));
}

/** What the worker is asked to do. */
export type HeavyTask =
  | { kind: 'import'; format: SourceFormat; source: string }
  | { kind: 'content'; content: unknown }
  | { kind: 'reanchor'; rows: ReanchorRow[]; newText: string };

export type HeavyResult<T extends HeavyTask> = T extends { kind: 'reanchor' } ? ReanchorResult[] : Article;

export function runTask(task: HeavyTask): Article | ReanchorResult[] {
  switch (task.kind) {
    case 'import':
      return importSource(task.format, task.source);
    case 'content':
      // Untrusted editor JSON (the importers' own output is shallow by construction).
      checkContentDepth(task.content);
      return checkedArticle(task.content);
    case 'reanchor':
      return reanchorRows(task.rows, task.newText);
  }
}
