/**
 * The CPU-heavy steps of importing and publishing, as plain functions of plain data, so that they
 * can run in the worker thread (./worker.mjs) and, in the same form, in unit tests. Nothing here
 * touches the database or Next: the worker loads this file without `server-only`.
 */
import { MAX_ARTICLE_NODES, tooManyNodes } from '@/lib/domain/article-limits';
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

/**
 * An article as it leaves the worker: the content already serialised. Copying an object graph of
 * hundreds of thousands of nodes back to the request thread cost up to ~1.8 s there (structured
 * clone), a string costs a memcpy; the request thread stores and answers the string as it is.
 */
export interface ArticleJson {
  contentJson: string;
  text: string;
}

/** Counts the nodes of untrusted JSON, stopping as soon as there are too many. */
function countNodes(root: unknown): void {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length) {
    const n = stack.pop();
    if (++count > MAX_ARTICLE_NODES) throw tooManyNodes();
    const content = (n as { content?: unknown } | null)?.content;
    if (Array.isArray(content)) for (const c of content) stack.push(c);
  }
}

export function toArticleJson(a: Article): ArticleJson {
  return { contentJson: JSON.stringify(a.content), text: a.text };
}

/** Untrusted article JSON -> checked content and its plain text (400 if it does not fit, 413 if too long). */
export function checkedArticle(raw: unknown): Article {
  countNodes(raw);
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

export type HeavyResult<T extends HeavyTask> = T extends { kind: 'reanchor' } ? ReanchorResult[] : ArticleJson;

export function runTask(task: HeavyTask): ArticleJson | ReanchorResult[] {
  switch (task.kind) {
    case 'import':
      return toArticleJson(importSource(task.format, task.source));
    case 'content':
      // Untrusted editor JSON (the importers' own output is shallow by construction).
      checkContentDepth(task.content);
      return toArticleJson(checkedArticle(task.content));
    case 'reanchor':
      return reanchorRows(task.rows, task.newText);
  }
}
