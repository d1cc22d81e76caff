import 'server-only';
import { createHash } from 'node:crypto';
import type { NextRequest } from 'next/server';
import { JUDGMENT_FIELDS, tagCarries, type TPatchAnnotation } from '@/lib/domain/api-schemas';
import { AppError, notFound } from '@/lib/domain/errors';
import { authorize, type Actor } from '@/lib/domain/policy';
import { ANNO_CONTEXT, iris, lastPage, toW3cAnnotation, W3C_PAGE_SIZE, w3cCollection, w3cPage, type Iris } from '@/lib/domain/w3c/annotation';
import { annotationItem, readAnnotation as readW3c, type W3cAnnotationInput } from '@/lib/domain/w3c/import';
import {
  annotationHeaders, CONTENT_TYPES, containerHeaders, documentSource, negotiate, POSTABLE, preferenceApplied, protocolIris,
  type ContainerPreference, type Representation,
} from '@/lib/domain/w3c/protocol';
import { createW3cAnnotation, createW3cPageNote, judgmentFor, placeW3cAnnotation } from './annotation-import';
import { deleteAnnotation, patchAnnotation } from './annotations';
import { mediaType, readText } from './body';
import { exportBase } from './export-base';
import { db } from './db';
import { annotationRows, commentsOf, exportRevision, onRevision } from './export';
import { MAX_BODY_BYTES } from './http';
import { annotationInclude, toApiAnnotation } from './serialize';

/**
 * The W3C Web Annotation Protocol over a document's annotations (docs/api.md, "Web Annotation
 * Protocol"). Each document is an LDP BasicContainer and AnnotationCollection at
 * `/api/w3c/documents/:id/`; each of its live annotations is `…/:id/:annotationId`.
 *
 * Representations are the export's (lib/domain/w3c/annotation.ts) with the protocol's IRIs as
 * ids, plus `canonical` and `via` when a client posted them. ETags are strong: a hash of the
 * answer's bytes and media type, so any change to what a client would read (a comment, a retag,
 * a move) changes them. Writes go through the ordinary services (policy, events, budgets); a
 * posted annotation is read and placed exactly as an import item (lib/server/annotation-import.ts).
 */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

export interface Where {
  /** The base of the IRIs (lib/server/export-base.ts). */
  base: string;
  /** Origins a posted target may name the document under: the base and the request's own. */
  origins: string[];
  rep: Representation;
}

/** Where the IRIs point and what the client accepts (406 when neither JSON-LD nor JSON). */
export function whereOf(req: NextRequest): Where {
  const rep = negotiate(req.headers.get('accept'));
  if (!rep) throw new AppError('not_acceptable', `This resource is ${CONTENT_TYPES.ld} or ${CONTENT_TYPES.json}`, { available: Object.values(CONTENT_TYPES) });
  const base = exportBase(req);
  return { base, origins: [...new Set([base, req.nextUrl.origin])], rep };
}

/** The answer as a Response (no body for HEAD). */
export function toResponse(a: Answer, head = false): Response {
  return new Response(head ? null : a.body, { status: a.status, headers: { 'Cache-Control': 'no-store', ...a.headers } });
}

/**
 * The container's IRI ends in a slash and an annotation's does not: the other spelling is
 * answered with a 308 to this one (query kept), which clients follow with the same method.
 */
export function canonicalPath(req: NextRequest, slash: boolean): Response | null {
  const path = req.nextUrl.pathname;
  if (path.endsWith('/') === slash) return null;
  const to = (slash ? `${path}/` : path.replace(/\/+$/, '')) + req.nextUrl.search;
  return new Response(null, { status: 308, headers: { Location: to, 'Cache-Control': 'no-store' } });
}

export const etagOf = (body: string, rep: Representation) => `"${createHash('sha256').update(`${rep}\n${body}`).digest('base64url').slice(0, 32)}"`;

/** `If-Match` against the current state: `*` or any listed strong tag equal to one of `etags`; 412 otherwise. */
function checkIfMatch(header: string | null, etags: string[]): void {
  if (header === null) return;
  const tags = header.split(',').map((t) => t.trim());
  if (tags.includes('*') || tags.some((t) => etags.includes(t))) return;
  throw new AppError('precondition_failed', 'The annotation changed since that ETag: GET it again and retry with the new one', { etag: etags[0] });
}

export { notModified } from './conditional';

const protocolIrisFor = (base: string, documentId: string): Iris => {
  const p = protocolIris(base);
  return { ...iris(base), annotation: (id) => p.annotation(documentId, id) };
};

type Extra = { id: string; w3cCanonical: string | null; w3cVia: string | null };
const withExtras = (json: Record<string, unknown>, x: Extra | undefined) => ({
  ...json,
  ...(x?.w3cCanonical ? { canonical: x.w3cCanonical } : {}),
  ...(x?.w3cVia ? { via: x.w3cVia } : {}),
});

async function extrasOf(ids: string[]): Promise<Map<string, Extra>> {
  const rows = ids.length
    ? await db().annotation.findMany({ where: { id: { in: ids }, OR: [{ w3cCanonical: { not: null } }, { w3cVia: { not: null } }] }, select: { id: true, w3cCanonical: true, w3cVia: true } })
    : [];
  return new Map(rows.map((r) => [r.id, r]));
}

// ---------------------------------------------------------------------------------------------
// The container

export interface ContainerQuery {
  iris?: boolean;
  page?: number;
}

/** GET (and HEAD) on the container, a view of it (`?iris=`) or one page (`&page=`). */
export async function readContainer(actor: Actor, documentId: string, q: ContainerQuery, prefer: ContainerPreference, w: Where): Promise<Answer> {
  authorize(actor, 'document.read');
  const rev = await exportRevision(documentId);
  const total = await db().annotation.count({ where: { documentId, ...onRevision(rev) } });
  const p = protocolIris(w.base);
  const i = protocolIrisFor(w.base, documentId);
  // The query names a view and wins; else the preference; else descriptions.
  const applied: ContainerPreference = { minimal: q.page === undefined && prefer.minimal, iris: q.iris === undefined ? prefer.iris : undefined };
  const wantIris = q.iris ?? applied.iris ?? false;
  const at = (page?: number) => p.view(documentId, wantIris, page);
  const items = async (page: number): Promise<unknown[]> => {
    const rows = await annotationRows(rev, { skip: page * W3C_PAGE_SIZE, take: W3C_PAGE_SIZE });
    if (wantIris) return rows.map((a) => p.annotation(documentId, a.id));
    const ids = rows.map((a) => a.id);
    const [comments, extras] = await Promise.all([commentsOf(ids), extrasOf(ids)]);
    return rows.map((a) => withExtras(toW3cAnnotation(i, a, comments.get(a.id) ?? []), extras.get(a.id)));
  };
  let json: Record<string, unknown>;
  if (q.page === undefined) {
    json = w3cCollection({ at, total, label: rev.title, container: true, minimal: applied.minimal }, applied.minimal ? [] : await items(0));
  } else {
    if (q.page > lastPage(total)) throw notFound('Page');
    json = w3cPage({ at, total, page: q.page }, await items(q.page), false);
  }
  const body = JSON.stringify(json);
  const pa = preferenceApplied(applied);
  return {
    status: 200,
    headers: {
      ...containerHeaders(),
      'Content-Type': CONTENT_TYPES[w.rep],
      ETag: etagOf(body, w.rep),
      'Content-Location': at(q.page),
      ...(pa ? { 'Preference-Applied': pa } : {}),
    },
    body,
  };
}

/** OPTIONS on the container: its headers, once the document is known to be readable. */
export async function containerOptions(actor: Actor, documentId: string): Promise<Answer> {
  authorize(actor, 'document.read');
  await exportRevision(documentId);
  return { status: 204, headers: containerHeaders(), body: null };
}

/** The one annotation a POST or PUT sends: JSON or JSON-LD (415 otherwise), at most 1 MiB. */
export async function readAnnotationBody(req: Request): Promise<W3cAnnotationInput> {
  if (!POSTABLE.includes(mediaType(req))) {
    throw new AppError('unsupported_media_type', `Send the annotation as ${POSTABLE.join(' or ')}`, { accept: POSTABLE });
  }
  const text = await readText(req, MAX_BODY_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'Request body is not valid JSON');
  }
  return annotationItem(json);
}

/**
 * The target must be this document (as the export names it, or its revision, page or
 * container); true when some target has selectors (a passage), false for the whole document.
 */
async function checkTarget(documentId: string, a: W3cAnnotationInput, origins: string[]): Promise<boolean> {
  const targets = Array.isArray(a.target) ? a.target : [a.target];
  let passage = false;
  for (const [k, t] of targets.entries()) {
    const source = typeof t === 'string' ? t : (t.source ?? t.id);
    const field = Array.isArray(a.target) ? `target.${k}` : 'target';
    const named = source ? documentSource(source, origins, documentId) : null;
    if (!named) {
      throw new AppError('unprocessable', `The ${field} is not this document: give its IRI (${origins[0]}/api/documents/${documentId}) as the target's source`, { reason: 'other_target', field });
    }
    if (named.revisionId && !(await db().documentRevision.findFirst({ where: { id: named.revisionId, documentId }, select: { id: true } }))) {
      throw new AppError('unprocessable', `The ${field} names a revision this document does not have`, { reason: 'other_target', field });
    }
    if (typeof t !== 'string' && t.selector !== undefined) passage = true;
  }
  return passage;
}

/** POST on the container: a new highlight from one W3C annotation; 201 with its representation. */
export async function createInContainer(actor: Actor & { name: string }, documentId: string, body: () => Promise<W3cAnnotationInput>, w: Where): Promise<Answer> {
  authorize(actor, 'annotation.create');
  const input = await body();
  await exportRevision(documentId);
  const passage = await checkTarget(documentId, input, w.origins);
  const id = passage ? await createW3cAnnotation(actor, documentId, input) : await createW3cPageNote(actor, documentId, input);
  if (input.canonical || input.id) await db().annotation.update({ where: { id }, data: { w3cCanonical: input.canonical ?? null, w3cVia: input.id ?? null } });
  const answer = await annotationAnswer(documentId, id, w);
  return { ...answer, status: 201, headers: { ...answer.headers, Location: answer.headers['Content-Location'] } };
}

// ---------------------------------------------------------------------------------------------
// One annotation

/** The live annotation of this document (404), or 410 for one that was deleted. */
async function inDocument(actor: Actor, documentId: string, annotationId: string) {
  authorize(actor, 'document.read');
  const row = await db().annotation.findFirst({ where: { id: annotationId, documentId, document: { deletedAt: null } }, include: annotationInclude });
  if (!row) throw notFound('Annotation');
  if (row.deletedAt) throw new AppError('gone', 'This annotation was deleted');
  return row;
}

async function annotationAnswer(documentId: string, annotationId: string, w: Where): Promise<Answer & { etags: string[] }> {
  const row = await db().annotation.findFirstOrThrow({ where: { id: annotationId }, include: annotationInclude });
  const comments = await commentsOf([row.id]);
  const json = withExtras(toW3cAnnotation(protocolIrisFor(w.base, documentId), toApiAnnotation(row), comments.get(row.id) ?? []), row);
  const body = JSON.stringify({ '@context': ANNO_CONTEXT, ...json });
  return {
    status: 200,
    headers: { ...annotationHeaders(), 'Content-Type': CONTENT_TYPES[w.rep], ETag: etagOf(body, w.rep), 'Content-Location': protocolIris(w.base).annotation(documentId, annotationId) },
    body,
    etags: [etagOf(body, 'ld'), etagOf(body, 'json')],
  };
}

export async function readAnnotation(actor: Actor, documentId: string, annotationId: string, w: Where): Promise<Answer> {
  await inDocument(actor, documentId, annotationId);
  return annotationAnswer(documentId, annotationId, w);
}

export async function annotationOptions(actor: Actor, documentId: string, annotationId: string): Promise<Answer> {
  await inDocument(actor, documentId, annotationId);
  return { status: 204, headers: annotationHeaders(), body: null };
}

/**
 * PUT: the annotation as sent replaces the highlight's tag, its judgment fields (those the tag
 * carries; a field not sent is cleared) and its place (re-anchored like an import), under
 * PATCH's rules; comments, status and outcome stay (they have their own endpoints). A page note
 * stays one (its target the document alone) and a highlight stays a highlight.
 */
export async function replaceAnnotation(actor: Actor, documentId: string, annotationId: string, body: () => Promise<W3cAnnotationInput>, ifMatch: string | null, w: Where): Promise<Answer> {
  const current = await inDocument(actor, documentId, annotationId);
  authorize(actor, 'annotation.replace', current);
  const input = await body();
  checkIfMatch(ifMatch, (await annotationAnswer(documentId, annotationId, w)).etags);
  if ((await checkTarget(documentId, input, w.origins)) !== (current.scope === 'passage')) {
    throw new AppError('unprocessable', current.scope === 'document' ? 'A page note has no passage: its target is the document alone' : 'A highlight needs a passage: give the target a TextQuoteSelector or TextPositionSelector', { reason: 'scope' });
  }
  const place = current.scope === 'passage' ? await placeW3cAnnotation(documentId, input) : null;
  const read = place?.read ?? readPageNote(input);
  const judgment = judgmentFor(read.tag, read.tradecraft) as Record<string, unknown>;
  const patch: Record<string, unknown> = { version: current.version, tag: read.tag };
  for (const f of JUDGMENT_FIELDS) if (tagCarries(read.tag, f)) patch[f] = judgment[f] ?? (f === 'needsSource' ? false : null);
  if (place) {
    const { target, revisionId } = place;
    const moves = current.anchor === 'orphaned' || revisionId !== current.revisionId || target.position.start !== current.start || target.position.end !== current.end;
    if (moves) patch.target = { quote: { exact: target.quote.exact }, position: target.position };
  }
  try {
    await patchAnnotation(actor, annotationId, patch as TPatchAnnotation);
  } catch (e) {
    if (e instanceof AppError && e.code === 'conflict' && (e.details as { reason?: string } | undefined)?.reason !== 'revised') {
      throw new AppError('precondition_failed', 'The annotation changed meanwhile: GET it again and retry', e.details);
    }
    throw e;
  }
  if (input.canonical && !current.w3cCanonical) await db().annotation.update({ where: { id: annotationId }, data: { w3cCanonical: input.canonical } });
  return annotationAnswer(documentId, annotationId, w);
}

function readPageNote(input: W3cAnnotationInput) {
  const r = readW3c(input, { pageNote: true });
  if (r.kind !== 'annotation') throw new AppError('unprocessable', r.kind === 'failed' ? `The annotation cannot be stored: ${r.reason}` : 'A linking annotation cannot replace a page note');
  return r;
}

export async function removeAnnotation(actor: Actor, documentId: string, annotationId: string, ifMatch: string | null, base: string): Promise<void> {
  authorize(actor, 'annotation.delete', await inDocument(actor, documentId, annotationId));
  if (ifMatch !== null) checkIfMatch(ifMatch, (await annotationAnswer(documentId, annotationId, { base, origins: [base], rep: 'ld' })).etags);
  await deleteAnnotation(actor, annotationId);
}
