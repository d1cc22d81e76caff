import 'server-only';
/**
 * Publishing a new revision of a document (API: POST /api/documents/:id/revisions).
 *
 * The new text is imported (or the editor's JSON checked) in the heavy-work pool first, outside
 * the transaction. Then in one transaction, holding the document row's lock (so a concurrent publish or a highlight
 * being created against the old text waits and then sees the new current revision):
 * 1. the new revision is written with the next number;
 * 2. every live annotation's selectors in the outgoing revision are snapshotted into
 *    AnnotationAnchor, so the old revision keeps showing them as they were;
 * 3. each is re-anchored onto the new text (lib/domain/anchoring/reanchor.ts, in the heavy-work
 *    pool: bounded, off the request thread) and its row updated in one statement: new selectors,
 *    `anchor` anchored/orphaned, `anchorMethod` kept/moved/fuzzy/orphaned, the score, and, as for
 *    every change, `version` + 1 and `updatedAt`. Orphans keep the quote they lost and their thread.
 *    Page notes (scope `document`, about the whole document) have no passage: they are not
 *    re-anchored (nor counted in the summary) but follow the document to the new revision;
 * 4. the document points at the new revision and a `revision.created` event tells every open
 *    reader (who then offers to load it).
 */
import type { TCreateRevision } from '@/lib/domain/api-schemas';
import type { ApiRevisionSummary, ReanchorSummary } from '@/lib/domain/api-types';
import { AppError, conflict, notFound } from '@/lib/domain/errors';
import { authorize, type Actor } from '@/lib/domain/policy';
import { db } from './db';
import { checkedArticle, importSource, insertRevision } from './documents';
import { recordEvent } from './events';
import { runHeavy } from './heavy-work/pool';

export interface CreatedRevision {
  revision: ApiRevisionSummary & { text: string };
  reanchored: ReanchorSummary;
}

export async function createRevision(actor: Actor & { name: string }, documentId: string, input: TCreateRevision): Promise<CreatedRevision> {
  authorize(actor, 'document.read');
  const exists = await db().document.findFirst({ where: { id: documentId, deletedAt: null }, select: { currentRevisionId: true } });
  if (!exists?.currentRevisionId) throw notFound('Document');
  authorize(actor, 'document.revise');
  const article = 'content' in input ? await checkedArticle(input.content) : await importSource(input.format, input.source);
  const { text } = article;

  return db().$transaction(
    async (tx) => {
      const [doc] = await tx.$queryRaw<{ currentRevisionId: string }[]>`
        SELECT "currentRevisionId" FROM "Document" WHERE id = ${documentId} AND "deletedAt" IS NULL FOR UPDATE`;
      if (!doc) throw notFound('Document');
      const old = await tx.documentRevision.findUniqueOrThrow({ where: { id: doc.currentRevisionId }, select: { id: true, number: true, text: true } });
      if (input.baseRevisionId && input.baseRevisionId !== old.id) {
        throw conflict(`Someone published revision ${old.number} meanwhile; reload it and apply your changes again`, { current: { id: old.id, number: old.number } });
      }
      const [same] = await tx.$queryRaw<{ unchanged: boolean }[]>`
        SELECT content = ${article.contentJson}::jsonb AND text = ${article.text} AS unchanged FROM "DocumentRevision" WHERE id = ${old.id}`;
      if (same?.unchanged) {
        throw new AppError('unprocessable', `No changes to publish: this is the same as revision ${old.number}`, { reason: 'unchanged', current: { id: old.id, number: old.number } });
      }
      const rev = await insertRevision(tx, { documentId, number: old.number + 1, article, actorId: actor.id });

      await tx.$executeRaw`
        INSERT INTO "AnnotationAnchor" ("annotationId", "revisionId", exact, prefix, suffix, start, "end", state, method, score)
        SELECT id, "revisionId", exact, prefix, suffix, start, "end", anchor, "anchorMethod", "anchorScore"
        FROM "Annotation" WHERE "documentId" = ${documentId} AND "revisionId" = ${old.id} AND "deletedAt" IS NULL
        ON CONFLICT DO NOTHING`;

      const rows = await tx.annotation.findMany({
        where: { documentId, deletedAt: null, scope: 'passage' },
        select: { id: true, exact: true, prefix: true, suffix: true, start: true, end: true, revisionId: true, anchor: true },
      });
      // Orphans and rows left on older revisions carry positions from another text: no length ratio.
      const results = await runHeavy({
        kind: 'reanchor',
        newText: text,
        rows: rows.map((a) => ({ exact: a.exact, prefix: a.prefix, suffix: a.suffix, start: a.start, end: a.end, oldLength: a.revisionId === old.id && a.anchor === 'anchored' ? old.text.length : undefined })),
      });
      const summary: ReanchorSummary = { kept: 0, moved: 0, fuzzy: 0, orphaned: 0 };
      const u = { id: [] as string[], exact: [] as string[], prefix: [] as string[], suffix: [] as string[], start: [] as number[], end: [] as number[], state: [] as string[], method: [] as string[], score: [] as (number | null)[] };
      for (const [i, a] of rows.entries()) {
        const r = results[i];
        summary[r.status]++;
        const t = r.target;
        u.id.push(a.id);
        u.exact.push(t?.quote.exact ?? a.exact);
        u.prefix.push(t?.quote.prefix ?? a.prefix);
        u.suffix.push(t?.quote.suffix ?? a.suffix);
        u.start.push(t?.position.start ?? a.start);
        u.end.push(t?.position.end ?? a.end);
        u.state.push(t ? 'anchored' : 'orphaned');
        u.method.push(r.status);
        u.score.push(r.score ?? null);
      }
      if (u.id.length) {
        await tx.$executeRaw`
          UPDATE "Annotation" AS a SET "revisionId" = ${rev.id}, version = a.version + 1, "updatedAt" = now(), exact = v.exact, prefix = v.prefix, suffix = v.suffix,
            start = v.start, "end" = v."end", anchor = v.state::"AnchorState", "anchorMethod" = v.method::"AnchorMethod", "anchorScore" = v.score
          FROM unnest(${u.id}::text[], ${u.exact}::text[], ${u.prefix}::text[], ${u.suffix}::text[], ${u.start}::int[], ${u.end}::int[],
                      ${u.state}::text[], ${u.method}::text[], ${u.score}::float8[])
            AS v(id, exact, prefix, suffix, start, "end", state, method, score)
          WHERE a.id = v.id`;
      }
      await tx.$executeRaw`
        UPDATE "Annotation" SET "revisionId" = ${rev.id}, version = version + 1, "updatedAt" = now()
        WHERE "documentId" = ${documentId} AND scope = 'document' AND "deletedAt" IS NULL`;
      await tx.document.update({ where: { id: documentId }, data: { currentRevisionId: rev.id } });
      const revision = { id: rev.id, number: rev.number, createdAt: rev.createdAt.toISOString(), createdBy: { id: actor.id, name: actor.name } };
      await recordEvent(tx, { documentId, type: 'revision.created', actorId: actor.id, resourceId: rev.id, payload: { revision, reanchored: summary } });
      return { revision: { ...revision, text }, reanchored: summary };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}
