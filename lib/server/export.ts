import 'server-only';
import { isPageNote, quoteText, type ApiAnnotation, type ApiLink } from '@/lib/domain/api-types';
import type { JsonNode } from '@/lib/domain/document-text';
import { notFound } from '@/lib/domain/errors';
import { annotationCsvRow, CSV_COLUMNS, csvRow, exportFileName } from '@/lib/domain/export/csv';
import { checksReport, openQuestionsReport, reportHeader, sectionReport, type OpenQuestion, type ReportEntry } from '@/lib/domain/export/markdown';
import { documentSections, sectionAt, type Section } from '@/lib/domain/export/sections';
import type { ExportFormat } from '@/lib/domain/export/query';
import type { ExportComment } from '@/lib/domain/export/types';
import { authorize, type Actor } from '@/lib/domain/policy';
import { iris, lastPage, toW3cAnnotation, toW3cLink, W3C_MEDIA_TYPE, W3C_PAGE_SIZE, w3cCollection, w3cPage } from '@/lib/domain/w3c/annotation';
import type { Prisma } from '@/generated/prisma/client';
import { db } from './db';
import { documentChecks } from './review';
import { annotationInclude, toApiAnnotation, toApiLink } from './serialize';

/**
 * `GET /api/documents/:id/export?format=w3c|csv|markdown` (docs/api.md, "Export").
 *
 * CSV and Markdown are streamed: annotations are read in batches of BATCH by keyset (start, id)
 * with their comments and links, serialised and handed to the stream only when the client reads
 * on (a pull stream), so memory stays flat whatever the document holds (measured:
 * scripts/bench/export.ts). W3C JSON-LD is paged (W3C_PAGE_SIZE items a page): the collection
 * embeds its first page, `?page=N` gives the others. Access is decided before any byte is sent.
 */
const BATCH = 500;

export interface ExportAnswer {
  contentType: string;
  fileName?: string;
  body: ReadableStream<Uint8Array> | string;
}

export interface Rev {
  documentId: string;
  id: string;
  number: number;
  current: boolean;
  title: string;
}

/**
 * The revision's article (for section headings). Read only by the formats that need it: a W3C page
 * does not, and reading a large article's JSON for each of fifty pages was most of a page's cost.
 */
async function revisionContent(rev: Rev): Promise<JsonNode> {
  const r = await db().documentRevision.findUniqueOrThrow({ where: { id: rev.id }, select: { content: true } });
  return r.content as unknown as JsonNode;
}

export async function exportRevision(documentId: string, revisionId?: string): Promise<Rev> {
  const doc = await db().document.findFirst({ where: { id: documentId, deletedAt: null }, select: { title: true, currentRevisionId: true } });
  if (!doc?.currentRevisionId) throw notFound('Document');
  const id = revisionId ?? doc.currentRevisionId;
  const rev = await db().documentRevision.findFirst({ where: { id, documentId }, select: { id: true, number: true } });
  if (!rev) throw notFound('Revision');
  return { documentId, id: rev.id, number: rev.number, current: rev.id === doc.currentRevisionId, title: doc.title };
}

/** The revision's live annotations, from `skip`, ordered by (start, id), at most `take`; after the cursor when given. */
export async function annotationRows(rev: Rev, opts: { after?: { start: number; id: string }; skip?: number; take: number }): Promise<ApiAnnotation[]> {
  const { after, skip, take } = opts;
  if (rev.current) {
    const keyset: Prisma.AnnotationWhereInput = after ? { OR: [{ start: { gt: after.start } }, { start: after.start, id: { gt: after.id } }] } : {};
    const rows = await db().annotation.findMany({
      where: { documentId: rev.documentId, revisionId: rev.id, deletedAt: null, ...keyset },
      include: annotationInclude, orderBy: [{ start: 'asc' }, { id: 'asc' }], skip, take,
    });
    return rows.map(toApiAnnotation);
  }
  const keyset: Prisma.AnnotationAnchorWhereInput = after ? { OR: [{ start: { gt: after.start } }, { start: after.start, annotationId: { gt: after.id } }] } : {};
  const anchors = await db().annotationAnchor.findMany({
    where: { revisionId: rev.id, annotation: { deletedAt: null }, ...keyset },
    include: { annotation: { include: annotationInclude } }, orderBy: [{ start: 'asc' }, { annotationId: 'asc' }], skip, take,
  });
  return anchors.map(({ annotation: a, ...at }) =>
    toApiAnnotation({ ...a, revisionId: at.revisionId, exact: at.exact, prefix: at.prefix, suffix: at.suffix, start: at.start, end: at.end, anchor: at.state, anchorMethod: at.method, anchorScore: at.score }),
  );
}

export const onRevision = (rev: Rev): Prisma.AnnotationWhereInput =>
  rev.current ? { revisionId: rev.id, deletedAt: null } : { deletedAt: null, anchors: { some: { revisionId: rev.id } } };

/** The live comments of these annotations, oldest first, grouped by annotation. */
export async function commentsOf(ids: string[]): Promise<Map<string, ExportComment[]>> {
  const rows = ids.length
    ? await db().comment.findMany({
        where: { annotationId: { in: ids }, deletedAt: null },
        select: { id: true, annotationId: true, parentId: true, html: true, text: true, createdAt: true, editedAt: true, author: { select: { id: true, name: true } } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      })
    : [];
  const out = new Map<string, ExportComment[]>();
  for (const r of rows) {
    const c: ExportComment = { id: r.id, parentId: r.parentId, author: r.author, html: r.html, text: r.text, createdAt: r.createdAt.toISOString(), editedAt: r.editedAt?.toISOString() ?? null };
    out.set(r.annotationId, [...(out.get(r.annotationId) ?? []), c]);
  }
  return out;
}

/** Links with an end among these annotations (both ends live). */
async function linksOf(documentId: string, ids: string[]): Promise<ApiLink[]> {
  if (!ids.length) return [];
  const rows = await db().annotationLink.findMany({
    where: { documentId, OR: [{ sourceId: { in: ids } }, { targetId: { in: ids } }], source: { deletedAt: null }, target: { deletedAt: null } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map(toApiLink);
}

interface Batch {
  annotations: ApiAnnotation[];
  comments: Map<string, ExportComment[]>;
  links: ApiLink[];
}

async function* batches(rev: Rev): AsyncGenerator<Batch> {
  let after: { start: number; id: string } | undefined;
  for (;;) {
    const annotations = await annotationRows(rev, { after, take: BATCH });
    if (!annotations.length) return;
    const ids = annotations.map((a) => a.id);
    const [comments, links] = await Promise.all([commentsOf(ids), linksOf(rev.documentId, ids)]);
    yield { annotations, comments, links };
    if (annotations.length < BATCH) return;
    const last = annotations[annotations.length - 1];
    after = { start: last.target.position.start, id: last.id };
  }
}

/** A pull stream of the chunks an async generator makes: the next chunk is made only when the client reads on. */
function pullStream(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  }, { highWaterMark: 0 });
}

const headingOf = (sections: Section[], a: ApiAnnotation) => (a.anchor === 'orphaned' || isPageNote(a) ? '' : sectionAt(sections, a.target.position.start).heading);

async function* csvChunks(rev: Rev): AsyncGenerator<string> {
  const sections = documentSections(await revisionContent(rev));
  yield `\uFEFF${csvRow(CSV_COLUMNS)}`;
  for await (const b of batches(rev)) {
    yield b.annotations.map((a) => annotationCsvRow(a, b.comments.get(a.id) ?? [], b.links, headingOf(sections, a))).join('');
  }
}

async function* markdownChunks(actor: Actor, rev: Rev): AsyncGenerator<string> {
  const sections = documentSections(await revisionContent(rev));
  const count = await db().annotation.count({ where: { documentId: rev.documentId, ...onRevision(rev) } });
  yield reportHeader(rev.title, rev.number, new Date(), count);
  const open: OpenQuestion[] = [];
  const orphans: ReportEntry[] = [];
  let notes: ReportEntry[] = [];
  let section: Section | null = null;
  let pending: ReportEntry[] = [];
  for await (const b of batches(rev)) {
    let out = '';
    for (const a of b.annotations) {
      const entry = { annotation: a, comments: b.comments.get(a.id) ?? [] };
      if (a.status === 'open') open.push({ quote: quoteText(a).slice(0, 200), section: headingOf(sections, a), tag: a.tag, comments: entry.comments.length });
      // Page notes (all at position 0, so in the first batch) open the report in a section of their own.
      if (isPageNote(a)) {
        notes.push(entry);
        continue;
      }
      if (a.anchor === 'orphaned') {
        orphans.push({ annotation: a, comments: entry.comments });
        continue;
      }
      const s = sectionAt(sections, a.target.position.start);
      if (s !== section) {
        if (section) out += sectionReport(section.heading, pending);
        section = s;
        pending = [];
      }
      pending.push(entry);
    }
    if (notes.length) {
      out = sectionReport('The whole document (page notes)', notes) + out;
      notes = [];
    }
    if (out) yield out;
  }
  if (section) yield sectionReport(section.heading, pending);
  if (orphans.length) yield sectionReport('Passages no longer found in this revision', orphans);
  yield openQuestionsReport(open);
  if (!rev.current) return void (yield '## Review checks\n\nThe review checks are computed for the current revision only.\n');
  const checks = await documentChecks(actor, rev.documentId);
  const ids = [...new Set(checks.map((c) => c.annotationId))];
  const quotes = new Map((await db().annotation.findMany({ where: { id: { in: ids } }, select: { id: true, exact: true } })).map((r) => [r.id, r.exact]));
  yield checksReport(checks, (id) => quotes.get(id));
}

/** Items of a W3C page: annotations (start, id order), then the links between them. */
async function w3cItems(i: ReturnType<typeof iris>, rev: Rev, page: number, annotationTotal: number): Promise<Record<string, unknown>[]> {
  const from = page * W3C_PAGE_SIZE;
  const items: Record<string, unknown>[] = [];
  if (from < annotationTotal) {
    const annotations = await annotationRows(rev, { skip: from, take: W3C_PAGE_SIZE });
    const comments = await commentsOf(annotations.map((a) => a.id));
    for (const a of annotations) items.push(toW3cAnnotation(i, a, comments.get(a.id) ?? []));
  }
  const room = W3C_PAGE_SIZE - items.length;
  if (room > 0) {
    const links = await db().annotationLink.findMany({
      where: { documentId: rev.documentId, source: onRevision(rev), target: onRevision(rev) },
      include: { createdBy: { select: { id: true, name: true } } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip: Math.max(0, from - annotationTotal), take: room,
    });
    for (const l of links) items.push(toW3cLink(i, toApiLink(l), l.createdBy));
  }
  return items;
}

/**
 * The whole collection as one file, streamed: the collection with its single page embedded, the
 * annotations read in keyset batches (as for CSV) and the links after them, so memory stays flat
 * however large the document.
 */
async function* w3cAllChunks(rev: Rev, base: string, query: string): AsyncGenerator<string> {
  const i = iris(base);
  const [annotationTotal, linkTotal] = await Promise.all([
    db().annotation.count({ where: { documentId: rev.documentId, ...onRevision(rev) } }),
    db().annotationLink.count({ where: { documentId: rev.documentId, source: onRevision(rev), target: onRevision(rev) } }),
  ]);
  const total = annotationTotal + linkTotal;
  const at = (p?: number) => (p === undefined ? i.exportPage(rev.documentId, query) : `${i.exportPage(rev.documentId, query)}&page=all`);
  const shell = JSON.stringify(w3cCollection({ at, total, size: Math.max(1, total), label: `${rev.title} (revision ${rev.number})` }, []));
  const cut = shell.indexOf('"items":[]') + '"items":['.length;
  yield shell.slice(0, cut);
  let first = true;
  const item = (x: unknown) => {
    const s = `${first ? '' : ','}${JSON.stringify(x)}`;
    first = false;
    return s;
  };
  for await (const b of batches(rev)) yield b.annotations.map((a) => item(toW3cAnnotation(i, a, b.comments.get(a.id) ?? []))).join('');
  const links = await db().annotationLink.findMany({
    where: { documentId: rev.documentId, source: onRevision(rev), target: onRevision(rev) },
    include: { createdBy: { select: { id: true, name: true } } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  if (links.length) yield links.map((l) => item(toW3cLink(i, toApiLink(l), l.createdBy))).join('');
  yield shell.slice(cut);
}

async function w3cExport(rev: Rev, base: string, query: string, page: number | undefined): Promise<string> {
  const i = iris(base);
  const [annotationTotal, linkTotal] = await Promise.all([
    db().annotation.count({ where: { documentId: rev.documentId, ...onRevision(rev) } }),
    db().annotationLink.count({ where: { documentId: rev.documentId, source: onRevision(rev), target: onRevision(rev) } }),
  ]);
  const total = annotationTotal + linkTotal;
  const info = { at: (p?: number) => i.exportPage(rev.documentId, query, p), total };
  if (page === undefined) return JSON.stringify(w3cCollection({ ...info, label: `${rev.title} (revision ${rev.number})` }, await w3cItems(i, rev, 0, annotationTotal)));
  if (page > lastPage(total)) throw notFound('Page');
  return JSON.stringify(w3cPage({ ...info, page }, await w3cItems(i, rev, page, annotationTotal), false));
}

export async function exportDocument(
  actor: Actor,
  documentId: string,
  q: { format: ExportFormat; revision?: string; page?: number | 'all' },
  base: string,
): Promise<ExportAnswer> {
  authorize(actor, 'document.read');
  const rev = await exportRevision(documentId, q.revision);
  switch (q.format) {
    case 'w3c': {
      const query = q.revision ? `&revision=${encodeURIComponent(q.revision)}` : '';
      if (q.page === 'all') return { contentType: W3C_MEDIA_TYPE, fileName: exportFileName(rev.title, 'jsonld'), body: pullStream(w3cAllChunks(rev, base, query)) };
      return { contentType: W3C_MEDIA_TYPE, body: await w3cExport(rev, base, query, q.page) };
    }
    case 'csv':
      return { contentType: 'text/csv; charset=utf-8', fileName: exportFileName(rev.title, 'csv'), body: pullStream(csvChunks(rev)) };
    case 'markdown':
      return { contentType: 'text/markdown; charset=utf-8', fileName: exportFileName(rev.title, 'md'), body: pullStream(markdownChunks(actor, rev)) };
  }
}
