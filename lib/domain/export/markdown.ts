/**
 * The Markdown review report, in pieces so the server can stream it section by section:
 * `reportHeader`, then `sectionReport` for each section of the article that has passages (the
 * passages grouped by tag with their judgment, grade, source, discussion and outcome), then
 * `openQuestionsReport` (the threads still open) and `checksReport` (the review checks). User
 * text is escaped so that it cannot become Markdown structure, links or HTML.
 */
import { isPageNote, PAGE_NOTE_QUOTE, type ApiAnnotation } from '../api-types';
import type { ReviewCheck } from '../review-checks';
import { TAG_META, TAGS } from '../tags';
import { grade, gradeMeaning, judgmentText, OUTCOME_LABEL } from '../tradecraft';
import type { ExportComment } from './types';

/**
 * Markdown's inline punctuation escaped, so user text stays text (no emphasis, code, links, HTML
 * or tables). User text never starts a line here, so list and heading markers need no escape.
 */
export const mdText = (s: string) => s.replace(/[\\`*_[\]<>#|~&]/g, (c) => `\\${c}`);
/** Several lines made one (a list item's or a quote's). */
const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export interface ReportEntry {
  annotation: ApiAnnotation;
  comments: readonly ExportComment[];
}

export function reportHeader(title: string, revision: number, exportedAt: Date, count: number): string {
  return `# Review: ${mdText(title)}\n\nRevision ${revision}, exported ${exportedAt.toISOString()}; ${count} passage${count === 1 ? '' : 's'}.\n\n`;
}

function judgment(a: ApiAnnotation): string[] {
  const parts: string[] = [];
  const j = judgmentText(a.likelihood, a.confidence);
  if (j) parts.push(j);
  const g = grade(a.reliability, a.credibility);
  if (g) parts.push(`grade ${g} (${gradeMeaning(a.reliability, a.credibility)})`);
  if (a.source) parts.push(`source: ${oneLine(a.source)}`);
  if (a.needsSource) parts.push('needs a source');
  return parts;
}

function entry(e: ReportEntry): string {
  const a = e.annotation;
  const head = [`${a.status}`, `by ${a.author.name}`, ...judgment(a)].map(mdText).join(' · ');
  const quote = isPageNote(a) ? mdText(PAGE_NOTE_QUOTE) : `“${mdText(oneLine(a.target.quote.exact))}”`;
  let out = `- ${quote} — ${head}\n`;
  for (const c of e.comments) {
    const who = c.parentId === null ? mdText(c.author.name) : `↳ ${mdText(c.author.name)}`;
    out += `  - **${who}:** ${mdText(oneLine(c.text))}\n`;
  }
  if (a.outcome) {
    out += `  - **Outcome:** ${OUTCOME_LABEL[a.outcome]}${a.outcomeRationale ? ` — ${mdText(oneLine(a.outcomeRationale))}` : ''}\n`;
  }
  return out;
}

/** One section: its heading, then its passages grouped by tag (in document order within a tag). */
export function sectionReport(heading: string, entries: readonly ReportEntry[]): string {
  if (!entries.length) return '';
  let out = `## ${heading ? mdText(oneLine(heading)) : 'Before the first heading'}\n\n`;
  for (const tag of TAGS) {
    const mine = entries.filter((e) => e.annotation.tag === tag);
    if (!mine.length) continue;
    out += `### ${TAG_META[tag].label}\n\n${mine.map(entry).join('')}\n`;
  }
  return out;
}

export interface OpenQuestion {
  quote: string;
  section: string;
  tag: ApiAnnotation['tag'];
  comments: number;
}

export function openQuestionsReport(open: readonly OpenQuestion[]): string {
  if (!open.length) return '## Open questions\n\nNone: every thread is resolved.\n\n';
  const items = open.map((q) => `- ${TAG_META[q.tag].label}: “${mdText(cut(oneLine(q.quote), 120))}”${q.section ? ` (${mdText(oneLine(q.section))})` : ''}, ${q.comments} comment${q.comments === 1 ? '' : 's'}\n`);
  return `## Open questions\n\n${items.join('')}\n`;
}

export function checksReport(checks: readonly ReviewCheck[], quoteOf: (id: string) => string | undefined): string {
  if (!checks.length) return '## Review checks\n\nNo review checks.\n';
  const items = checks.map((c) => {
    const q = c.annotationId ? quoteOf(c.annotationId) : undefined;
    return `- ${mdText(c.message)}${q ? ` — “${mdText(cut(oneLine(q), 80))}”` : ''}\n`;
  });
  return `## Review checks\n\n${items.join('')}`;
}
