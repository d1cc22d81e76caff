import 'server-only';
import { tagCarries, type TCreateAnnotation } from '@/lib/domain/api-schemas';
import type { JsonNode } from '@/lib/domain/document-text';
import { AppError, isAppError, notFound } from '@/lib/domain/errors';
import { authorize, type Actor } from '@/lib/domain/policy';
import { isCredibility } from '@/lib/domain/tradecraft';
import type { TradecraftRead } from '@/lib/domain/w3c/annotation';
import { commentDoc } from '@/lib/domain/w3c/comment-text';
import { importItems, readAnnotation, type ImportComment, type ImportLink, type ReadAnnotation, type W3cAnnotationInput } from '@/lib/domain/w3c/import';
import { createAnnotation, patchAnnotation } from './annotations';
import { createComment } from './comments';
import { db } from './db';
import { runHeavy } from './heavy-work/pool';
import type { ReanchorRow } from './heavy-work/tasks';
import { createLink } from './links';

/**
 * `POST /api/documents/:id/annotations/import` (docs/api.md, "Import"). The posted W3C
 * annotations are read (lib/domain/w3c/import.ts), placed on the current revision by the
 * re-anchoring code in the heavy-work pool under its time budget (quote first, the position as
 * the hint; a passage the re-anchoring would orphan is reported, not guessed), and then stored
 * one by one through the ordinary services, so each highlight, comment, outcome and link is
 * checked, sanitised, budgeted and announced (events) exactly as if it had been made in the page.
 * Bounded: at most MAX_IMPORT_ANNOTATIONS annotations of an 8 MiB body.
 */
export interface ImportAnswer {
  created: string[];
  failed: { index: number; reason: string }[];
}

const reasonOf = (e: unknown) => (isAppError(e) ? e.message : 'could not be stored');

/** Who wrote a comment, when it was not the importer: said in the comment's first line. */
function withAttribution(doc: JsonNode, c: ImportComment, importer: string): JsonNode {
  if (!c.creatorName || c.creatorName === importer) return doc;
  const when = c.created && !Number.isNaN(Date.parse(c.created)) ? `, ${new Date(c.created).toISOString().slice(0, 10)}` : '';
  const line = { type: 'paragraph', content: [{ type: 'text', text: `${c.creatorName}${when}:`, marks: [{ type: 'italic' }] }] };
  return { ...doc, content: [line, ...(doc.content ?? [])] };
}

export function judgmentFor(tag: TCreateAnnotation['tag'], t: TradecraftRead): Partial<TCreateAnnotation> {
  const out: Record<string, unknown> = {};
  const set = (f: 'likelihood' | 'confidence' | 'source' | 'reliability' | 'credibility' | 'needsSource', v: unknown) => {
    if (v !== undefined && tagCarries(tag, f)) out[f] = v;
  };
  set('likelihood', t.likelihood);
  set('confidence', t.confidence);
  set('source', t.source?.slice(0, 2000));
  set('reliability', t.reliability);
  set('credibility', t.credibility !== undefined && isCredibility(t.credibility) ? t.credibility : undefined);
  set('needsSource', t.needsSource);
  return out as Partial<TCreateAnnotation>;
}

type Read = Extract<ReadAnnotation, { kind: 'annotation' }>;
const OUTSIDE = 'its TextPositionSelector is outside the document’s text';
const notPlaced = (reason?: string) => (reason === 'budget' ? 'its passage could not be found within the time budget' : 'its passage is not in this document');

/**
 * What the re-anchoring is asked: a quote (with the position as where to look first), or a
 * position alone taken as the quote it holds in this revision; null for a position outside it.
 */
function reanchorRow(r: Read, text: string): ReanchorRow | null {
  if (r.quote) return { ...r.quote, start: r.position?.start ?? 0, end: r.position?.end ?? r.quote.exact.length };
  if (r.position && r.position.end <= text.length) return { exact: text.slice(r.position.start, r.position.end), prefix: '', suffix: '', start: r.position.start, end: r.position.end };
  return null;
}

/**
 * One W3C annotation (already shape-checked) read and placed on the document's current revision,
 * for the Web Annotation Protocol's PUT; a 422 says why it cannot be.
 */
export async function placeW3cAnnotation(documentId: string, input: W3cAnnotationInput): Promise<{ read: Read; revisionId: string; target: { quote: { exact: string }; position: { start: number; end: number } } }> {
  const r = readAnnotation(input);
  if (r.kind !== 'annotation') throw new AppError('unprocessable', r.kind === 'failed' ? `The annotation cannot be stored: ${r.reason}` : 'A linking annotation cannot replace a highlight');
  const doc = await db().document.findFirst({ where: { id: documentId, deletedAt: null }, select: { currentRevision: { select: { id: true, text: true } } } });
  if (!doc?.currentRevision) throw notFound('Document');
  const row = reanchorRow(r, doc.currentRevision.text);
  if (!row) throw new AppError('unprocessable', `The annotation cannot be placed: ${OUTSIDE}`);
  const [place] = await runHeavy({ kind: 'reanchor', rows: [row], newText: doc.currentRevision.text });
  if (!place.target) throw new AppError('unprocessable', `The annotation cannot be placed: ${notPlaced(place.reason)}`);
  return { read: r, revisionId: doc.currentRevision.id, target: place.target };
}

/**
 * One W3C annotation (already shape-checked) imported as a highlight, for the Web Annotation
 * Protocol's POST: the id of the new annotation, or a 422 with the reason an import would report.
 */
export async function createW3cAnnotation(actor: Actor & { name: string }, documentId: string, input: W3cAnnotationInput): Promise<string> {
  const out = await importAnnotations(actor, documentId, input);
  if (out.failed.length || out.created.length !== 1) throw new AppError('unprocessable', `The annotation cannot be stored: ${out.failed[0]?.reason ?? 'it is not a highlight'}`);
  return out.created[0];
}

export async function importAnnotations(actor: Actor & { name: string }, documentId: string, input: unknown): Promise<ImportAnswer> {
  authorize(actor, 'annotation.create');
  const items = importItems(input);
  const doc = await db().document.findFirst({ where: { id: documentId, deletedAt: null }, select: { currentRevision: { select: { id: true, text: true } } } });
  if (!doc?.currentRevision) throw notFound('Document');
  const rev = doc.currentRevision;
  const answer: ImportAnswer = { created: [], failed: [] };

  // An annotation without selectors is about the whole document (our page notes, Hypothesis' too).
  const read = items.map((item) => readAnnotation(item, { pageNote: true }));
  const asks: { index: number; row: ReanchorRow }[] = [];
  const notes: number[] = [];
  read.forEach((r, index) => {
    if (r.kind === 'failed') return answer.failed.push({ index, reason: r.reason });
    if (r.kind !== 'annotation') return;
    if (!r.quote && !r.position) return notes.push(index);
    const row = reanchorRow(r, rev.text);
    if (row) asks.push({ index, row });
    else answer.failed.push({ index, reason: OUTSIDE });
  });
  const placed = asks.length ? await runHeavy({ kind: 'reanchor', rows: asks.map((a) => a.row), newText: rev.text }) : [];

  const made = new Map<string, string>(); // the input's annotation id -> ours
  let revised = false;
  for (let k = 0; k < asks.length; k++) {
    const { index } = asks[k];
    const r = read[index];
    if (r.kind !== 'annotation') continue;
    const place = placed[k];
    if (!place.target) {
      answer.failed.push({ index, reason: notPlaced(place.reason) });
      continue;
    }
    if (revised) {
      answer.failed.push({ index, reason: 'the document was revised during the import' });
      continue;
    }
    try {
      const id = await storeOne(actor, documentId, rev.id, r, place.target);
      answer.created.push(id);
      if (r.ref) made.set(r.ref, id);
    } catch (e) {
      if (isAppError(e) && e.code === 'conflict') revised = true;
      answer.failed.push({ index, reason: reasonOf(e) });
    }
  }
  for (const index of notes) {
    const r = read[index];
    if (r.kind !== 'annotation') continue;
    try {
      const id = await storeOne(actor, documentId, undefined, r, null);
      answer.created.push(id);
      if (r.ref) made.set(r.ref, id);
    } catch (e) {
      answer.failed.push({ index, reason: reasonOf(e) });
    }
  }
  for (const [index, r] of read.entries()) {
    if (r.kind === 'link') await storeLink(actor, r.link, made, index, answer);
  }
  answer.failed.sort((a, b) => a.index - b.index);
  return answer;
}

/** A page note made from one W3C annotation about the whole document (the protocol's POST). */
export async function createW3cPageNote(actor: Actor & { name: string }, documentId: string, input: W3cAnnotationInput): Promise<string> {
  authorize(actor, 'annotation.create');
  const r = readAnnotation(input, { pageNote: true });
  if (r.kind !== 'annotation') throw new AppError('unprocessable', `The annotation cannot be stored: ${r.kind === 'failed' ? r.reason : 'a linking annotation is not a page note'}`);
  return storeOne(actor, documentId, undefined, r, null);
}

/** Stores one read annotation: a highlight at `target`, or a page note when there is none. */
async function storeOne(
  actor: Actor & { name: string },
  documentId: string,
  revisionId: string | undefined,
  r: Read,
  target: { quote: { exact: string }; position: { start: number; end: number } } | null,
): Promise<string> {
  const docs = r.comments.map((c) => ({ c, body: withAttribution(commentDoc(c.value, c.format), c, actor.name) }));
  const firstTop = docs.findIndex((d) => !d.c.reply);
  const first = firstTop >= 0 ? docs[firstTop] : docs[0];
  const created = await createAnnotation(actor, documentId, {
    tag: r.tag,
    ...(target ? { target: { quote: { exact: target.quote.exact }, position: target.position }, revisionId } : { scope: 'document' as const }),
    ...(first ? { comment: { body: first.body } } : {}),
    ...judgmentFor(r.tag, r.tradecraft),
  });
  const id = created.body.annotation.id;
  let parent = created.body.comment?.id;
  for (const d of docs) {
    if (d === first) continue;
    const out = await createComment(actor, id, { body: d.body, ...(d.c.reply && parent ? { parentId: parent } : {}) });
    if (!d.c.reply) parent = out.body.comment.id;
  }
  const t = r.tradecraft;
  if (t.resolved || t.outcome) {
    const rationale = t.outcomeRationale?.slice(0, 2000);
    const resolved = await patchAnnotation(actor, id, { status: 'resolved', version: 1, ...(t.outcome ? { outcome: t.outcome, ...(rationale ? { outcomeRationale: rationale } : {}) } : {}) });
    // A reopened thread keeps its outcome: resolve with it, then reopen.
    if (!t.resolved) await patchAnnotation(actor, id, { status: 'open', version: resolved.version });
  }
  return id;
}

async function storeLink(actor: Actor, link: ImportLink, made: Map<string, string>, index: number, answer: ImportAnswer): Promise<void> {
  const from = made.get(link.from);
  const to = made.get(link.to);
  if (!from || !to) {
    answer.failed.push({ index, reason: 'a link whose ends are not both annotations of this import' });
    return;
  }
  try {
    await createLink(actor, from, { targetId: to, type: link.type });
  } catch (e) {
    answer.failed.push({ index, reason: reasonOf(e) });
  }
}

