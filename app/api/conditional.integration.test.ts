/**
 * Conditional reads (lib/server/conditional.ts): the document, its annotations and its exports
 * answer an ETag, and 304 without a body while nothing of the document changed; any change, another
 * reader, another query or a deleted document answers in full (or 404).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { describe as describeRange } from '@/lib/domain/anchoring';
import { createAnnotation } from '@/lib/server/annotations';
import { createComment } from '@/lib/server/comments';
import { documentStampSql } from '@/lib/server/conditional';
import { db } from '@/lib/server/db';
import { deleteDocument } from '@/lib/server/document-admin';
import { doc, makeDocument, makeUser, resetDb, sessionToken } from '@/scripts/test/db';
import { call } from '@/scripts/test/http';
import * as documentRoute from '@/app/api/documents/[id]/route';
import * as annotationsRoute from '@/app/api/documents/[id]/annotations/route';
import * as exportRoute from '@/app/api/documents/[id]/export/route';

let ana = '';
let ben = '';
let documentId = '';
let annotationId = '';
let analyst: Awaited<ReturnType<typeof makeUser>>;
let admin: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  await resetDb();
  analyst = await makeUser('analyst', 'Ana');
  admin = await makeUser('admin', 'Ben');
  [ana, ben] = [await sessionToken(analyst.id), await sessionToken(admin.id)];
  const d = await makeDocument('# Sample\n\nReports indicate artillery shells were shipped.\n');
  documentId = d.id;
  const i = d.revision.text.indexOf('artillery');
  annotationId = (await createAnnotation(analyst, d.id, { tag: 'evidence', target: describeRange(d.revision.text, i, i + 9) })).body.annotation.id;
});

const get = (handler: unknown, path: string, cookie: string, etag?: string) =>
  call(handler, 'GET', path, { cookie, params: { id: documentId }, headers: etag ? { 'if-none-match': etag } : {} });

describe('conditional reads', () => {
  const reads: [string, unknown, string][] = [
    ['the annotations', annotationsRoute.GET, '/annotations?include=comments'],
    ['the document', documentRoute.GET, ''],
    ['the CSV export', exportRoute.GET, '/export?format=csv'],
  ];
  for (const [what, handler, suffix] of reads) {
    it(`${what}: ETag, then 304 without a body until something changes`, async () => {
      const path = `/api/documents/${documentId}${suffix}`;
      const first = await get(handler, path, ana);
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^W\/".+"$/);
      expect(first.headers.get('cache-control')).toBe('no-store');

      const again = await get(handler, path, ana, etag);
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      expect((await get(handler, path, ana, `"other", ${etag.slice(2)}`)).status).toBe(304); // a list, strong or weak
      expect((await get(handler, path, ana, '*')).status).toBe(304);

      // Another reader, or another query, has its own tag.
      expect((await get(handler, path, ben, etag)).status).toBe(200);
      const other = await get(handler, `${path}${path.includes('?') ? '&' : '?'}x=1`, ana, etag);
      expect(other.status).toBe(200);

      // A change to the document (a comment) makes the old tag stale.
      await createComment(analyst, annotationId, { body: doc(`About ${what}`) });
      const changed = await get(handler, path, ana, etag);
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
    });
  }

  it('a deleted document is 404, not 304, whatever tag is sent', async () => {
    const path = `/api/documents/${documentId}/annotations`;
    const first = await get(annotationsRoute.GET, path, ana);
    await deleteDocument(admin, documentId);
    const after = await get(annotationsRoute.GET, path, ana, first.headers.get('etag')!);
    expect(after.status).toBe(404);
    expect((await get(annotationsRoute.GET, path, ana, '*')).status).toBe(404);
  });

  it("a tag's cost does not grow with the document's events (read on every request, 304 or not)", async () => {
    const d = await makeDocument('# Busy\n\nMany changes.\n');
    const blocks = async () => {
      const q = documentStampSql(d.id);
      const [row] = await db().$queryRawUnsafe<{ 'QUERY PLAN': [{ Plan: Record<string, number> }] }[]>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${q.text}`, ...q.values);
      const plan = row['QUERY PLAN'][0].Plan;
      return plan['Shared Hit Blocks'] + plan['Shared Read Blocks'];
    };
    const few = await blocks();
    // A heavily annotated document: an event for every highlight and comment ever made.
    await db().$executeRaw`INSERT INTO "Event" ("documentId", type, "actorId", "resourceId", payload)
      SELECT ${d.id}, 'comment.created', NULL, 'c' || n, '{}'::jsonb FROM generate_series(1, 5000) AS n`;
    expect(await blocks()).toBeLessThanOrEqual(few + 10);
  });

  it('event ids are drawn one at a time (no per-session cache of the sequence), which their commit order and the stamp rely on', async () => {
    const [row] = await db().$queryRaw<{ cache: bigint }[]>`SELECT seqcache AS cache FROM pg_sequence WHERE seqrelid = pg_get_serial_sequence('"Event"', 'id')::regclass`;
    expect(Number(row.cache)).toBe(1);
  });
});
