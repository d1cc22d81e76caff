import 'server-only';
import { checkTarget, describe, type Target } from '@/lib/domain/anchoring';
import {
  JUDGMENT_FIELDS, judgmentProblems, tagCarries,
  type TCreateAnnotation, type TListAnnotationsQuery, type TPatchAnnotation,
} from '@/lib/domain/api-schemas';
import type { ApiAnnotationLink, ApiLink, ApiTradecraft } from '@/lib/domain/api-types';
import { checkCommentBudget } from './comment-budget';
import { AppError, notFound } from '@/lib/domain/errors';
import { authorize, type Actor } from '@/lib/domain/policy';
import type { Prisma } from '@/generated/prisma/client';
import { db } from './db';
import { insertAnnotation } from './annotation-insert';
import { recordEvent } from './events';
import { storedAnswer, type StoredResult } from './idempotency';
import { annotationLinks, deleteLinksOf, linksAmong } from './links';
import { afterCommentCommitted, parseCommentWithMentions } from './notifications';
import { holdCurrentRevision } from './revision-guard';
import { matchingAnnotationIds } from './search';
import { currentSnapshot, documentHead, heldSnapshot, paintPlanOf, snapshotLists, threadComments, type DocumentHead, type PaintPlan } from './snapshots';
import {
  annotationInclude, commentInclude, toApiAnnotation, visibleComments,
  type ApiAnnotation, type ApiComment,
} from './serialize';

/**
 * A revision's text never changes once written, so it is cached per revision id (a few
 * documents' worth); only the document's current revision id is read on every call.
 */
const revisionTexts = new Map<string, { documentId: string; text: string }>();
const MAX_CACHED_REVISIONS = 64;

/**
 * Each document's current revision id as last seen by this process. Only creating a highlight
 * trusts it (its insert re-checks the revision under a lock and retries once with a fresh read
 * when it moved on); every read path asks the database.
 */
const currentRevisions = new Map<string, string>();

async function revisionFor(documentId: string, revisionId?: string, opts: { cached?: boolean } = {}): Promise<{ id: string; text: string; current: boolean }> {
  let currentId = opts.cached ? currentRevisions.get(documentId) : undefined;
  if (!currentId || (revisionId && revisionId !== currentId)) {
    const doc = await db().document.findFirst({ where: { id: documentId, deletedAt: null }, select: { currentRevisionId: true } });
    if (!doc?.currentRevisionId) throw notFound('Document');
    currentId = doc.currentRevisionId;
    currentRevisions.set(documentId, currentId);
  }
  const id = revisionId ?? currentId;
  const current = id === currentId;
  const cached = revisionTexts.get(id);
  if (cached) {
    if (cached.documentId !== documentId) throw notFound('Revision');
    return { id, text: cached.text, current };
  }
  const rev = await db().documentRevision.findFirst({ where: { id, documentId }, select: { id: true, text: true } });
  if (!rev) throw notFound('Revision');
  if (revisionTexts.size >= MAX_CACHED_REVISIONS) revisionTexts.delete(revisionTexts.keys().next().value!);
  revisionTexts.set(id, { documentId, text: rev.text });
  return { ...rev, current };
}

/**
 * The list filters (docs/api.md, "Annotations"); `q` is full-text (lib/server/search.ts), turned
 * into the ids it matches in this document before the rows are read.
 */
/** A document's live annotations with replies: comments after the opening one (two or more visible). */
async function idsWithReplies(documentId: string): Promise<string[]> {
  const rows = await db().$queryRaw<{ id: string }[]>`
    SELECT c."annotationId" AS id FROM "Comment" c JOIN "Annotation" a ON a.id = c."annotationId"
    WHERE a."documentId" = ${documentId} AND a."deletedAt" IS NULL AND c."deletedAt" IS NULL
    GROUP BY c."annotationId" HAVING count(*) >= 2`;
  return rows.map((r) => r.id);
}

async function annotationFilter(actor: Actor, documentId: string, q: TListAnnotationsQuery): Promise<Prisma.AnnotationWhereInput> {
  const where: Prisma.AnnotationWhereInput = { deletedAt: null };
  const and: Prisma.AnnotationWhereInput[] = [];
  if (q.tag) where.tag = { in: q.tag };
  if (q.status) where.status = q.status;
  if (q.author) and.push({ authorId: q.author });
  if (q.mine) and.push({ authorId: actor.id });
  if (q.outcome) and.push({ status: 'resolved', outcome: q.outcome === 'none' ? null : q.outcome });
  if (q.from || q.to) where.createdAt = { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lte: q.to } : {}) };
  if (q.hasReplies !== undefined) {
    const ids = await idsWithReplies(documentId);
    and.push({ id: q.hasReplies ? { in: ids } : { notIn: ids } });
  }
  if (q.q) and.push({ id: { in: await matchingAnnotationIds(documentId, q.q) } });
  if (and.length) where.AND = and;
  return where;
}

/**
 * The annotations of the current revision (rows of Annotation), or of an older one as they were
 * then (their AnnotationAnchor snapshot; annotations made later are not there).
 */
export async function listAnnotations(actor: Actor, documentId: string, q: TListAnnotationsQuery): Promise<ApiAnnotation[]> {
  return (await listAnnotationsAndLinks(actor, documentId, q, false)).annotations;
}

/**
 * The annotations as listAnnotations gives them and, when `withLinks`, every link with at least
 * one end among them (one more query: the document's links, filtered here).
 */
export async function listAnnotationsAndLinks(
  actor: Actor, documentId: string, q: TListAnnotationsQuery, withLinks = true,
): Promise<{ annotations: ApiAnnotation[]; links: ApiLink[] }> {
  const shared = await sharedSnapshot(actor, documentId, q);
  if (shared) {
    const { annotations, links } = snapshotLists(shared);
    return { annotations, links: withLinks ? links : [] };
  }
  const annotations = await listRows(actor, documentId, q);
  return { annotations, links: withLinks ? await linksAmong(documentId, annotations.map((a) => a.id)) : [] };
}

async function listRows(actor: Actor, documentId: string, q: TListAnnotationsQuery): Promise<ApiAnnotation[]> {
  authorize(actor, 'document.read');
  const rev = await revisionFor(documentId, q.revision);
  if (rev.current) {
    const rows = await db().annotation.findMany({
      where: { ...(await annotationFilter(actor, documentId, q)), documentId, revisionId: rev.id },
      include: annotationInclude,
      // Page notes first: the enum's order is passage, document.
      orderBy: [{ scope: 'desc' }, { start: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toApiAnnotation);
  }
  const anchors = await db().annotationAnchor.findMany({
    where: { revisionId: rev.id, annotation: await annotationFilter(actor, documentId, q) },
    include: { annotation: { include: annotationInclude } },
    orderBy: [{ annotation: { scope: 'desc' } }, { start: 'asc' }, { annotation: { createdAt: 'asc' } }, { annotationId: 'asc' }],
  });
  return anchors.map(({ annotation: a, ...at }) =>
    toApiAnnotation({
      ...a, revisionId: at.revisionId, exact: at.exact, prefix: at.prefix, suffix: at.suffix, start: at.start, end: at.end,
      anchor: at.state, anchorMethod: at.method, anchorScore: at.score,
    }),
  );
}

/**
 * The document's shared snapshot (lib/server/snapshots.ts) when it answers this query: the
 * current revision, no filter. Null otherwise (the rows are read from the database).
 */
export async function sharedSnapshot(actor: Actor, documentId: string, q: TListAnnotationsQuery, head?: DocumentHead) {
  authorize(actor, 'document.read');
  const filtered = Object.entries(q).some(([k, v]) => k !== 'revision' && v !== undefined);
  if (filtered) return null;
  const s = await currentSnapshot(documentId, head);
  return !q.revision || q.revision === s.revisionId ? s : null;
}

/**
 * What the document page needs besides the document: the newest event id (the live stream resumes
 * after it) and, when the page shows the current revision, its paint plan (snapshots.ts,
 * paintPlanOf) from the snapshot this process holds, even a few events behind (the reader
 * repaints from the list it loads). The page never waits for a snapshot to be built or brought up
 * to date: with none held (a process just started, an evicted document, a new revision), no plan,
 * and the list's request builds it meanwhile.
 */
export async function pageState(actor: Actor, documentId: string, revisionId: string): Promise<{ lastEventId: bigint; plan: PaintPlan | null }> {
  authorize(actor, 'document.read');
  const head = await documentHead(documentId);
  if (!head) return { lastEventId: 0n, plan: null }; // deleted since: the reader's list says so
  const held = heldSnapshot(documentId);
  const plan = held && held.revisionId === revisionId && head.revisionId === revisionId ? paintPlanOf(held) : null;
  return { lastEventId: head.eventId, plan };
}

/** Every visible comment on the live annotations of a revision, oldest first (one query). */
export async function listRevisionComments(actor: Actor, documentId: string, revisionId?: string): Promise<ApiComment[]> {
  const shared = await sharedSnapshot(actor, documentId, { revision: revisionId });
  if (shared) return snapshotLists(shared).comments;
  const rev = await revisionFor(documentId, revisionId);
  const onRevision: Prisma.AnnotationWhereInput = rev.current ? { revisionId: rev.id } : { anchors: { some: { revisionId: rev.id } } };
  const rows = await db().comment.findMany({
    where: { annotation: { documentId, deletedAt: null, ...onRevision } },
    include: commentInclude,
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return visibleComments(rows);
}

/**
 * The visible comments of some of the document's threads, oldest first (the page loads them as
 * threads come into view): from the shared snapshot, and from the database for threads it does
 * not hold (on an older revision). Threads of other documents, or deleted ones, give nothing.
 */
export async function listThreadComments(actor: Actor, documentId: string, annotationIds: string[]): Promise<ApiComment[]> {
  authorize(actor, 'document.read');
  const { comments, missing } = threadComments(await currentSnapshot(documentId), annotationIds);
  if (!missing.length) return comments;
  const rows = await db().comment.findMany({
    where: { annotationId: { in: missing }, annotation: { documentId, deletedAt: null } },
    include: commentInclude,
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return [...comments, ...visibleComments(rows)];
}

async function liveAnnotation(id: string) {
  const row = await db().annotation.findFirst({ where: { id, deletedAt: null, document: { deletedAt: null } }, include: annotationInclude });
  if (!row) throw notFound('Annotation');
  return row;
}

export async function getAnnotation(actor: Actor, id: string): Promise<{ annotation: ApiAnnotation; comments: ApiComment[]; links: ApiAnnotationLink[] }> {
  authorize(actor, 'document.read');
  const row = await liveAnnotation(id);
  const [comments, links] = await Promise.all([
    db().comment.findMany({ where: { annotationId: id }, include: commentInclude, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    annotationLinks(id),
  ]);
  return { annotation: toApiAnnotation(row), comments: visibleComments(comments), links };
}

export interface CreatedAnnotation {
  annotation: ApiAnnotation;
  comment?: ApiComment;
}

export async function createAnnotation(
  actor: Actor & { name: string },
  documentId: string,
  input: TCreateAnnotation,
  idempotencyKey: string | null = null,
): Promise<StoredResult<CreatedAnnotation>> {
  // A page note is about the document in whichever revision: a revisionId sent with it is ignored.
  if (input.scope === 'document') input = { ...input, revisionId: undefined };
  for (let attempt = 0; ; attempt++) {
    const out = await createOnce(actor, documentId, input, idempotencyKey, attempt === 0);
    if (out !== 'revised') return out;
    // The cached revision was stale: read the current one and try once more, unless the client
    // said which revision its selection came from.
    currentRevisions.delete(documentId);
    if (input.revisionId || attempt > 0) throw revisedMeanwhile();
  }
}

async function createOnce(
  actor: Actor & { name: string },
  documentId: string,
  input: TCreateAnnotation,
  idempotencyKey: string | null,
  cached: boolean,
): Promise<StoredResult<CreatedAnnotation> | 'revised'> {
  const rev = await revisionFor(documentId, input.revisionId, { cached });
  authorize(actor, 'annotation.create');
  if (input.revisionId && !rev.current) throw revisedMeanwhile();
  const problem = input.target ? checkTarget(rev.text, input.target) : null;
  // Against a remembered revision a mismatch may only mean it is out of date: ask the database.
  if (problem && cached && !input.revisionId) return 'revised';
  if (problem) throw new AppError('unprocessable', `The selection does not match the document: ${problem.message}`, { reason: problem.kind });
  const comment = input.comment ? await parseCommentWithMentions(input.comment.body) : null;
  if (comment) await checkCommentBudget({ documentId, annotationId: null }, comment.html.length, false);
  // Context is always taken from the text itself, whatever length the client sent.
  // A page note (no target) has no passage: insertAnnotation stores it with scope `document`.
  const target = input.target ? describe(rev.text, input.target.position.start, input.target.position.end) : null;

  const scope = `annotation.create:${documentId}`;
  const judgment = {
    likelihood: input.likelihood ?? null, confidence: input.confidence ?? null, source: input.source ?? null,
    reliability: input.reliability ?? null, credibility: input.credibility ?? null, needsSource: input.needsSource ?? false,
  };
  const out = await insertAnnotation(actor, { documentId, revisionId: rev.id }, input.tag, target, comment, idempotencyKey ? { key: idempotencyKey, scope, request: input } : null, judgment);
  if (out.kind === 'revised') return 'revised';
  if (out.kind === 'replay') return storedAnswer(actor.id, idempotencyKey!, scope, out.hash);
  if (out.comment) afterCommentCommitted(out.comment.id, out.notified, null);
  return { status: 201, body: out.comment ? { annotation: out.annotation, comment: out.comment } : { annotation: out.annotation } };
}

const revisedMeanwhile = () =>
  new AppError('conflict', 'The document was revised meanwhile; load the new revision and select the passage again', { reason: 'revised' });

const staleAnnotation = (current: Parameters<typeof toApiAnnotation>[0]) =>
  new AppError('conflict', 'Someone changed this highlight meanwhile; here is the current version', { current: toApiAnnotation(current) });

type Tradecraft = ApiTradecraft;
const badField = (path: string, message: string) => new AppError('bad_request', `Invalid body: ${path}`, [{ path: [path], message }]);

/**
 * The tradecraft fields after a PATCH: the sent ones replace the stored ones (null clears), then
 * whatever the (new) tag cannot carry is cleared, so a retag never leaves a stale likelihood on
 * evidence. The outcome is set only on a resolved thread and kept when it is reopened.
 */
function nextTradecraft(current: Tradecraft & { tag: TCreateAnnotation['tag']; status: string }, input: TPatchAnnotation): Tradecraft {
  const tag = input.tag ?? current.tag;
  const problems = judgmentProblems(tag, input);
  if (problems.length) throw new AppError('bad_request', `Invalid body: ${problems.map((p) => p.path[0]).join(', ')}`, problems);
  const status = input.status ?? current.status;
  for (const f of ['outcome', 'outcomeRationale'] as const) {
    if (input[f] != null && status !== 'resolved') throw badField(f, 'set only when resolving (status: "resolved") or on a resolved thread');
  }
  const next: Tradecraft = { ...current };
  for (const f of JUDGMENT_FIELDS) {
    if (input[f] !== undefined) (next as unknown as Record<string, unknown>)[f] = input[f];
    if (!tagCarries(tag, f)) (next as unknown as Record<string, unknown>)[f] = f === 'needsSource' ? false : null;
  }
  if (input.outcome !== undefined) next.outcome = input.outcome;
  if (input.outcomeRationale !== undefined) next.outcomeRationale = input.outcomeRationale;
  if (next.outcome === null) next.outcomeRationale = null;
  return {
    likelihood: next.likelihood, confidence: next.confidence, source: next.source, reliability: next.reliability,
    credibility: next.credibility, needsSource: next.needsSource, outcome: next.outcome, outcomeRationale: next.outcomeRationale,
  };
}

export async function patchAnnotation(actor: Actor, id: string, input: TPatchAnnotation): Promise<ApiAnnotation> {
  const current = await liveAnnotation(id);
  // Resending the current tag is not a retag (a resolver may echo it); any status needs the right.
  if (input.tag !== undefined && input.tag !== current.tag) authorize(actor, 'annotation.retag', current);
  if (input.status !== undefined) authorize(actor, 'annotation.resolve', current);
  const before = toApiAnnotation(current);
  const fields = nextTradecraft({ ...before, tag: current.tag, status: current.status }, input);
  // Like the tag, a judgment field resent unchanged needs no right; a changed one is the author's
  // (or an admin's); an outcome goes with resolving.
  if (JUDGMENT_FIELDS.some((f) => input[f] !== undefined && fields[f] !== before[f])) authorize(actor, 'annotation.judge', current);
  if (input.outcome !== undefined || input.outcomeRationale !== undefined) authorize(actor, 'annotation.resolve', current);
  if (input.target && current.scope === 'document') throw badField('target', 'a page note is about the whole document and has no passage to re-attach');
  const place = input.target ? await reattachTarget(actor, current, input.target) : null;
  const moves = place !== null && (current.anchor === 'orphaned' || place.position.start !== current.start || place.position.end !== current.end);
  const fieldsChange = (Object.keys(fields) as (keyof Tradecraft)[]).some((f) => fields[f] !== before[f]);
  const changes = moves || fieldsChange || (input.tag ?? current.tag) !== current.tag || (input.status ?? current.status) !== current.status;
  if (!changes) {
    if (input.version !== current.version) {
      throw staleAnnotation(current);
    }
    return toApiAnnotation(current); // nothing to write, no event
  }
  return db().$transaction(async (tx) => {
    if (place) {
      if (!(await holdCurrentRevision(tx, current.documentId, current.revisionId))) throw revisedMeanwhile();
    }
    const { count } = await tx.annotation.updateMany({
      where: { id, version: input.version, deletedAt: null },
      data: {
        tag: input.tag,
        status: input.status,
        ...fields,
        ...(moves && place
          ? {
              exact: place.quote.exact, prefix: place.quote.prefix, suffix: place.quote.suffix,
              start: place.position.start, end: place.position.end, anchor: 'anchored', anchorMethod: 'reattached', anchorScore: null,
            }
          : {}),
        version: { increment: 1 },
      },
    });
    if (count === 0) {
      throw staleAnnotation(await liveAnnotation(id));
    }
    const annotation = toApiAnnotation(await tx.annotation.findUniqueOrThrow({ where: { id }, include: annotationInclude }));
    await recordEvent(tx, { documentId: annotation.documentId, type: 'annotation.updated', actorId: actor.id, resourceId: id, payload: annotation });
    return annotation;
  });
}

/** Checks a re-attach target against the current revision's text; returns its full selectors. */
async function reattachTarget(actor: Actor, current: { documentId: string; revisionId: string; authorId: string }, target: TPatchAnnotation['target'] & object): Promise<Target> {
  authorize(actor, 'annotation.reattach', current);
  const rev = await revisionFor(current.documentId);
  if (rev.id !== current.revisionId) throw revisedMeanwhile();
  const problem = checkTarget(rev.text, target);
  if (problem) throw new AppError('unprocessable', `The selection does not match the document: ${problem.message}`, { reason: problem.kind });
  return describe(rev.text, target.position.start, target.position.end);
}

export async function deleteAnnotation(actor: Actor, id: string): Promise<void> {
  const current = await liveAnnotation(id);
  authorize(actor, 'annotation.delete', current);
  await db().$transaction(async (tx) => {
    const { count } = await tx.annotation.updateMany({ where: { id, deletedAt: null }, data: { deletedAt: new Date(), version: { increment: 1 } } });
    if (count === 0) throw notFound('Annotation');
    // The row stays (soft delete), so ON DELETE CASCADE does not fire: its links go here, each
    // with its link.deleted event, before the annotation.deleted event.
    await deleteLinksOf(tx, actor, current.documentId, id);
    await recordEvent(tx, { documentId: current.documentId, type: 'annotation.deleted', actorId: actor.id, resourceId: id, payload: { id } });
  });
}
