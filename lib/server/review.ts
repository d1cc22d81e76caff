import 'server-only';
import { createHash } from 'node:crypto';
import type { ApiSuggestion, ApiSuggestionDismissal } from '@/lib/domain/api-types';
import { scanEstimativeLanguage, type Suggestion } from '@/lib/domain/estimative-language';
import { AppError, notFound } from '@/lib/domain/errors';
import { authorize, authorizeRole, type Actor } from '@/lib/domain/policy';
import { reviewChecks, type CheckAnnotation, type ReviewCheck } from '@/lib/domain/review-checks';
import { sentences } from '@/lib/domain/sentences';
import { db } from './db';
import { recordEvent } from './events';

/**
 * `GET /api/documents/:id/checks` and `/suggestions` (docs/api.md, "Tradecraft fields"): the pure
 * review checks and estimative-language scanner over the document's current revision; and the
 * team's dismissals of suggestions (`SuggestionDismissal`, by suggestion key).
 *
 * Bounds, so that no input can make one request's work superlinear: the scanner is run sentence by
 * sentence and a sentence over MAX_SCANNED_SENTENCE characters is not scanned (no real sentence is
 * that long; a block with no full stop can be), and a highlight inside a block over five times that
 * is checked against its quote alone. (A version of the scanner was quadratic in a sentence's
 * length: 2 MB of one "sentence" took minutes; the scanner is now linear, measured ~11 ms for an
 * 80,000-character one, and these bounds stay as a guard.) A 2 MiB article of ordinary sentences
 * scans in about 0.8 s, once per revision (cached).
 */
export const MAX_SCANNED_SENTENCE = 2000;

async function currentRevision(documentId: string): Promise<{ id: string; text: string }> {
  const doc = await db().document.findFirst({
    where: { id: documentId, deletedAt: null },
    select: { currentRevision: { select: { id: true, text: true } } },
  });
  if (!doc?.currentRevision) throw notFound('Document');
  return doc.currentRevision;
}

/**
 * A suggestion's key: the first 32 hex digits of the sha256 of its sentence and term. The same
 * sentence with the same term has the same key in every revision (and twice in one document, the
 * same key twice: one dismissal covers both), so a dismissal survives revisions that keep it.
 */
export function suggestionKey(s: Pick<Suggestion, 'quote' | 'term'>): string {
  return createHash('sha256').update(`${s.quote}\u0000${s.term}`).digest('hex').slice(0, 32);
}

/** Suggestions per revision (its text never changes), a few documents' worth. */
const suggestionCache = new Map<string, ApiSuggestion[]>();
const MAX_CACHED = 32;

/** The scanner's suggestions, sentence by sentence, skipping over-long sentences. */
export function boundedSuggestions(text: string): Suggestion[] {
  const out: Suggestion[] = [];
  for (const [start, end] of sentences(text)) {
    if (end - start > MAX_SCANNED_SENTENCE) continue;
    for (const s of scanEstimativeLanguage(text.slice(start, end))) {
      out.push({ ...s, position: { start: s.position.start + start, end: s.position.end + start } });
    }
  }
  return out;
}

/** The current revision's suggestions with their keys (cached per revision). */
async function currentSuggestions(documentId: string): Promise<ApiSuggestion[]> {
  const rev = await currentRevision(documentId);
  let found = suggestionCache.get(rev.id);
  if (!found) {
    found = boundedSuggestions(rev.text).map((s) => ({ key: suggestionKey(s), ...s }));
    if (suggestionCache.size >= MAX_CACHED) suggestionCache.delete(suggestionCache.keys().next().value!);
    suggestionCache.set(rev.id, found);
  }
  return found;
}

/**
 * The current revision's suggestions, without those the team dismissed; with `includeDismissed`,
 * all of them, each saying whether it is dismissed.
 */
export async function documentSuggestions(actor: Actor, documentId: string, opts: { includeDismissed?: boolean } = {}): Promise<ApiSuggestion[]> {
  authorize(actor, 'document.read');
  const [found, rows] = await Promise.all([
    currentSuggestions(documentId),
    db().suggestionDismissal.findMany({ where: { documentId }, select: { key: true } }),
  ]);
  const dismissed = new Set(rows.map((r) => r.key));
  if (opts.includeDismissed) return found.map((s) => ({ ...s, dismissed: dismissed.has(s.key) }));
  return dismissed.size ? found.filter((s) => !dismissed.has(s.key)) : found;
}

/** Before the body or the id is read: viewers may not dismiss or restore (403 whatever they send). */
export const precheckDismissal = (actor: Actor) => authorizeRole(actor, 'suggestion.dismiss');

const toApiDismissal = (r: { documentId: string; key: string; dismissedById: string; createdAt: Date }): ApiSuggestionDismissal => ({
  documentId: r.documentId, key: r.key, dismissed: true, dismissedById: r.dismissedById, createdAt: r.createdAt.toISOString(),
});

/**
 * Dismisses the suggestion `key` of the document's current revision for everyone, with a
 * `suggestion.dismissed` event. Idempotent: dismissed already, 200 with the existing dismissal and
 * nothing written. A key that is not a current suggestion is a 422 (so the table holds only keys
 * the scanner made). 404: unknown or deleted document.
 */
export async function dismissSuggestion(actor: Actor, documentId: string, key: string): Promise<{ status: 200 | 201; body: { dismissal: ApiSuggestionDismissal } }> {
  precheckDismissal(actor);
  authorize(actor, 'document.read');
  const found = await currentSuggestions(documentId);
  if (!found.some((s) => s.key === key)) {
    throw new AppError('unprocessable', 'No suggestion of the current revision has this key', [{ path: ['key'], message: 'must be the key of a current suggestion' }]);
  }
  return db().$transaction(async (tx) => {
    const { count } = await tx.suggestionDismissal.createMany({ data: [{ documentId, key, dismissedById: actor.id }], skipDuplicates: true });
    const dismissal = toApiDismissal(await tx.suggestionDismissal.findUniqueOrThrow({ where: { documentId_key: { documentId, key } } }));
    if (count === 0) return { status: 200 as const, body: { dismissal } };
    await recordEvent(tx, { documentId, type: 'suggestion.dismissed', actorId: actor.id, resourceId: key, payload: dismissal });
    return { status: 201 as const, body: { dismissal } };
  });
}

/** Restores a dismissed suggestion (the undo), with a `suggestion.restored` event; 404 when it is not dismissed. */
export async function restoreSuggestion(actor: Actor, documentId: string, key: string): Promise<void> {
  precheckDismissal(actor);
  authorize(actor, 'document.read');
  const doc = await db().document.findFirst({ where: { id: documentId, deletedAt: null }, select: { id: true } });
  if (!doc) throw notFound('Document');
  await db().$transaction(async (tx) => {
    const { count } = await tx.suggestionDismissal.deleteMany({ where: { documentId, key } });
    if (count === 0) throw notFound('Dismissal');
    const payload: ApiSuggestionDismissal = { documentId, key, dismissed: false };
    await recordEvent(tx, { documentId, type: 'suggestion.restored', actorId: actor.id, resourceId: key, payload });
  });
}

/** The length of the text block ("\n" to "\n") around [start, end). */
function blockLength(text: string, start: number, end: number): number {
  const from = text.lastIndexOf('\n', start - 1) + 1;
  const nl = text.indexOf('\n', end);
  return (nl < 0 ? text.length : nl) - from;
}

export async function documentChecks(actor: Actor, documentId: string): Promise<ReviewCheck[]> {
  authorize(actor, 'document.read');
  const rev = await currentRevision(documentId);
  const [rows, links] = await Promise.all([
    db().annotation.findMany({
      where: { documentId, revisionId: rev.id, deletedAt: null },
      orderBy: [{ start: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
    }),
    db().annotationLink.findMany({
      where: { documentId, source: { deletedAt: null }, target: { deletedAt: null } },
      select: { id: true, sourceId: true, targetId: true, type: true },
    }),
  ]);
  const annotations: CheckAnnotation[] = rows.map((a) => ({
    id: a.id, tag: a.tag, status: a.status, quote: a.exact, pageNote: a.scope === 'document',
    position: a.scope === 'document' || a.anchor === 'orphaned' || blockLength(rev.text, a.start, a.end) > MAX_SCANNED_SENTENCE * 5 ? null : { start: a.start, end: a.end },
    likelihood: a.likelihood, confidence: a.confidence, reliability: a.reliability, credibility: a.credibility,
    needsSource: a.needsSource, outcome: a.outcome,
  }));
  return reviewChecks({ annotations, links, text: rev.text });
}
