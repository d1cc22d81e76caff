import 'server-only';
import { scanEstimativeLanguage, type Suggestion } from '@/lib/domain/estimative-language';
import { notFound } from '@/lib/domain/errors';
import { authorize, type Actor } from '@/lib/domain/policy';
import { reviewChecks, type CheckAnnotation, type ReviewCheck } from '@/lib/domain/review-checks';
import { sentences } from '@/lib/domain/sentences';
import { db } from './db';

/**
 * `GET /api/documents/:id/checks` and `/suggestions` (docs/api.md, "Tradecraft fields"): the pure
 * review checks and estimative-language scanner over the document's current revision.
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

/** Suggestions per revision (its text never changes), a few documents' worth. */
const suggestionCache = new Map<string, Suggestion[]>();
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

export async function documentSuggestions(actor: Actor, documentId: string): Promise<Suggestion[]> {
  authorize(actor, 'document.read');
  const rev = await currentRevision(documentId);
  let found = suggestionCache.get(rev.id);
  if (!found) {
    found = boundedSuggestions(rev.text);
    if (suggestionCache.size >= MAX_CACHED) suggestionCache.delete(suggestionCache.keys().next().value!);
    suggestionCache.set(rev.id, found);
  }
  return found;
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
      orderBy: [{ start: 'asc' }, { createdAt: 'asc' }],
    }),
    db().annotationLink.findMany({
      where: { documentId, source: { deletedAt: null }, target: { deletedAt: null } },
      select: { id: true, sourceId: true, targetId: true, type: true },
    }),
  ]);
  const annotations: CheckAnnotation[] = rows.map((a) => ({
    id: a.id, tag: a.tag, status: a.status, quote: a.exact,
    position: a.anchor === 'orphaned' || blockLength(rev.text, a.start, a.end) > MAX_SCANNED_SENTENCE * 5 ? null : { start: a.start, end: a.end },
    likelihood: a.likelihood, confidence: a.confidence, reliability: a.reliability, credibility: a.credibility,
    needsSource: a.needsSource, outcome: a.outcome,
  }));
  return reviewChecks({ annotations, links, text: rev.text });
}
