/**
 * The CSV export (RFC 4180): CRLF line ends, every field quoted when it holds a quote, comma, CR
 * or LF, quotes doubled. A cell that a spreadsheet would read as a formula (starting with `=`,
 * `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'`, so opening the file never runs
 * one (OWASP's advice against CSV injection).
 */
import { isPageNote, quoteText, type ApiAnnotation, type ApiLink } from '../api-types';
import { grade, LINK_TYPE_LABEL } from '../tradecraft';
import type { ExportComment } from './types';

export const CSV_COLUMNS = [
  'id', 'tag', 'status', 'quote', 'position', 'author', 'created', 'modified', 'likelihood', 'confidence', 'source', 'grade',
  'needs source', 'outcome', 'rationale', 'comments', 'links', 'section',
] as const;

/** A cell that could start a formula, neutralised. */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvField(value: string): string {
  const v = neutralise(value);
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export const csvRow = (cells: readonly string[]): string => `${cells.map(csvField).join(',')}\r\n`;

/** "supports <id>" / "supported by <id>" (read from this annotation's side), one per line. */
export function linkSummary(annotationId: string, links: readonly ApiLink[]): string {
  return links
    .filter((l) => l.sourceId === annotationId || l.targetId === annotationId)
    .map((l) => (l.sourceId === annotationId ? `${LINK_TYPE_LABEL[l.type]} ${l.targetId}` : `${LINK_TYPE_LABEL[l.type]} (from) ${l.sourceId}`))
    .join('\n');
}

export function annotationCsvRow(a: ApiAnnotation, comments: readonly ExportComment[], links: readonly ApiLink[], section: string): string {
  return csvRow([
    a.id, a.tag, a.status, quoteText(a),
    a.anchor === 'orphaned' || isPageNote(a) ? '' : `${a.target.position.start}-${a.target.position.end}`,
    a.author.name, a.createdAt, a.updatedAt, a.likelihood ?? '', a.confidence ?? '', a.source ?? '', grade(a.reliability, a.credibility),
    a.needsSource ? 'yes' : '', a.outcome ?? '', a.outcomeRationale ?? '',
    comments.map((c) => `${c.author.name}: ${c.text}`).join('\n'),
    linkSummary(a.id, links), section,
  ]);
}

/** A file name from the title: letters, digits, dashes; never empty. */
export function exportFileName(title: string, ext: string): string {
  const base = title.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/[\s_]+/g, '-').replace(/-+/g, '-').slice(0, 80).replace(/^-|-$/g, '');
  return `${base || 'document'}.${ext}`;
}
