import { beforeEach, describe, expect, it, vi } from 'vitest';
import { describe as describeRange } from '@/lib/domain/anchoring';
import { doc, makeDocument, makeUser, resetDb } from '@/scripts/test/db';
import { createAnnotation, deleteAnnotation, listAnnotationsAndLinks, listRevisionComments, pageState, listThreadComments, patchAnnotation } from './annotations';
import { createComment, deleteComment, patchComment } from './comments';
import { db } from './db';
import { createLink } from './links';
import { createRevision } from './revisions';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { decodePaintPlan } from '@/lib/domain/highlight';
import { clearSnapshots, currentSnapshot, snapshotBody, snapshotResponse, snapshotsStored, snapshotStats } from './snapshots';

async function setup() {
  await resetDb();
  clearSnapshots();
  const document = await makeDocument();
  const analyst = await makeUser('analyst', 'Ana');
  const other = await makeUser('analyst', 'Ben');
  const text = document.revision.text;
  const at = (words: string) => {
    const start = text.indexOf(words);
    return describeRange(text, start, start + words.length);
  };
  return { document, analyst, other, text, at };
}

describe('per-document snapshots', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    s = await setup();
  });

  /** A second document of 800 highlights: its snapshot alone is over 1 MiB (its JSON counted three times, for the objects). */
  async function bigDocument() {
    const big = await makeDocument();
    const quote = s.at('artillery shells');
    await db().annotation.createMany({
      data: Array.from({ length: 800 }, () => ({
        documentId: big.id, revisionId: big.revision.id, authorId: s.analyst.id, tag: 'evidence' as const,
        exact: quote.quote.exact, prefix: quote.quote.prefix, suffix: quote.quote.suffix, start: quote.position.start, end: quote.position.end,
      })),
    });
    return big;
  }

  /** The snapshot's lists against the same lists read from the database (a no-op filter forces that path). */
  async function expectSameAsDatabase() {
    const viaSnapshot = await listAnnotationsAndLinks(s.analyst, s.document.id, {});
    const viaDb = await listAnnotationsAndLinks(s.analyst, s.document.id, { from: new Date(0) });
    expect(viaSnapshot.annotations).toEqual(viaDb.annotations);
    expect(viaSnapshot.links).toEqual(viaDb.links);
    const comments = await listRevisionComments(s.analyst, s.document.id);
    const fromDb = await db().comment.count({ where: { annotation: { documentId: s.document.id, deletedAt: null } } });
    expect(comments.filter((c) => !c.deleted).length).toBeLessThanOrEqual(fromDb);
    const body = JSON.parse((await snapshotBody(await currentSnapshot(s.document.id), 'annotations+comments')).json.toString());
    expect(body).toEqual({ ...viaSnapshot, comments });
  }

  it('answers what the database answers after every kind of change, applying events rather than rebuilding', async () => {
    await expectSameAsDatabase();
    const builds = snapshotStats.builds;
    const a = (await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.at('artillery shells'), comment: { body: doc('First') } })).body;
    const b = (await createAnnotation(s.other, s.document.id, { tag: 'assessment', target: s.at('second paragraph'), likelihood: 'likely' })).body;
    await expectSameAsDatabase();
    const reply = (await createComment(s.other, a.annotation.id, { body: doc('A reply'), parentId: a.comment!.id })).body.comment;
    await patchComment(s.other, reply.id, { body: doc('An edited reply'), version: reply.version });
    await patchAnnotation(s.other, b.annotation.id, { status: 'resolved', version: 1, outcome: 'accepted' });
    await createLink(s.analyst, a.annotation.id, { targetId: b.annotation.id, type: 'supports' });
    await expectSameAsDatabase();
    const note = (await createAnnotation(s.other, s.document.id, { tag: 'speculation', scope: 'document', comment: { body: doc('About all of it') } })).body;
    const [first] = (await listAnnotationsAndLinks(s.analyst, s.document.id, {})).annotations;
    expect(first.id).toBe(note.annotation.id); // page notes first
    await deleteAnnotation(s.other, b.annotation.id); // takes its link with it
    await expectSameAsDatabase();
    expect(snapshotStats.builds).toBe(builds); // every change so far was applied, none rebuilt
    expect((await listAnnotationsAndLinks(s.analyst, s.document.id, {})).links).toEqual([]);
  });

  it('rebuilds where applying is not simple: a deleted comment with a live reply stays as a tombstone', async () => {
    const a = (await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.at('artillery shells'), comment: { body: doc('First') } })).body;
    await createComment(s.other, a.annotation.id, { body: doc('A reply'), parentId: a.comment!.id });
    await expectSameAsDatabase();
    await deleteComment(s.analyst, a.comment!.id);
    const comments = await listRevisionComments(s.analyst, s.document.id);
    expect(comments.map((c) => c.deleted)).toEqual([true, false]);
    expect((await listAnnotationsAndLinks(s.analyst, s.document.id, {})).annotations[0].commentCount).toBe(1);
    await expectSameAsDatabase();
  });

  it('follows a new revision and a deleted document', async () => {
    await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.at('artillery shells') });
    const before = await currentSnapshot(s.document.id);
    const admin = await makeUser('admin', 'Adm');
    await createRevision(admin, s.document.id, { format: 'markdown', source: `${s.text}\n\nOne more paragraph.` });
    const after = await currentSnapshot(s.document.id);
    expect(after.revisionId).not.toBe(before.revisionId);
    expect([...after.annotations.values()].map((x) => x.revisionId)).toEqual([after.revisionId]);
    await expectSameAsDatabase();
    await db().document.update({ where: { id: s.document.id }, data: { deletedAt: new Date() } });
    await expect(currentSnapshot(s.document.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it("gives the page its newest event id and, from the snapshot it holds, a paint plan of the highlights merged per tag and status: only above SPAN_LIMIT, only for the current revision, never waiting for a build", async () => {
    await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.at('artillery shells') });
    await listAnnotationsAndLinks(s.analyst, s.document.id, {});
    const few = await pageState(s.analyst, s.document.id, s.document.revision.id);
    expect(few.plan).toBeNull(); // drawn as elements
    expect(few.lastEventId).toBe((await db().event.findFirst({ where: { documentId: s.document.id }, orderBy: { id: 'desc' } }))!.id);

    const big = await bigDocument(); // 800 on one passage: one interval
    const quote = s.at('artillery shells').position;
    const builds = snapshotStats.builds;
    expect((await pageState(s.analyst, big.id, big.revision.id)).plan).toBeNull(); // none held: the page does not build one
    expect(snapshotStats.builds).toBe(builds);
    const [first] = (await listAnnotationsAndLinks(s.analyst, big.id, {})).annotations; // the list's request builds it
    const { plan } = await pageState(s.analyst, big.id, big.revision.id);
    expect(plan?.count).toBe(800);
    expect(decodePaintPlan(plan!.plan)).toEqual(new Map([['mg-evidence', [[quote.start, quote.end]]]]));

    // Changes: the held snapshot's plan until a read brings the snapshot up to date, then the new one.
    await patchAnnotation(s.analyst, first.id, { status: 'resolved', version: first.version, outcome: 'accepted' });
    const later = s.at('second paragraph').position;
    await createAnnotation(s.other, big.id, { tag: 'speculation', target: s.at('second paragraph') });
    expect((await pageState(s.analyst, big.id, big.revision.id)).plan).toEqual(plan);
    await listAnnotationsAndLinks(s.analyst, big.id, {});
    const { plan: next } = await pageState(s.analyst, big.id, big.revision.id);
    expect(next?.count).toBe(801);
    expect(decodePaintPlan(next!.plan)).toEqual(new Map([
      ['mg-evidence', [[quote.start, quote.end]]],
      ['mg-evidence-resolved', [[quote.start, quote.end]]],
      ['mg-speculation', [[later.start, later.end]]],
    ]));

    // A new revision: the held snapshot is of the old one; neither page gets a plan from it.
    const admin = await makeUser('admin', 'Adm');
    const { revision } = await createRevision(admin, big.id, { format: 'markdown', source: `${s.text}\n\nOne more paragraph.` });
    expect((await pageState(s.analyst, big.id, big.revision.id)).plan).toBeNull();
    expect((await pageState(s.analyst, big.id, revision.id)).plan).toBeNull();
  });

  it('serves concurrent readers one state, never applying the same events twice', async () => {
    const a = (await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.at('artillery shells') })).body;
    await currentSnapshot(s.document.id);
    await createComment(s.other, a.annotation.id, { body: doc('One') });
    const all = await Promise.all(Array.from({ length: 8 }, () => listAnnotationsAndLinks(s.analyst, s.document.id, {})));
    for (const r of all) expect(r.annotations[0].commentCount).toBe(1);
    await expectSameAsDatabase();
  });

  it('drops the least recently used snapshots beyond SNAPSHOT_CACHE_MB, and starts them again from their stored row when read', async () => {
    await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.at('artillery shells') });
    await snapshotBody(await currentSnapshot(s.document.id), 'annotations+comments');
    const big = await bigDocument();
    await snapshotsStored();
    const before = { ...snapshotStats };
    process.env.SNAPSHOT_CACHE_MB = '1';
    try {
      await snapshotBody(await currentSnapshot(big.id), 'annotations+comments');
      expect(snapshotStats.evicted).toBe(before.evicted + 1); // the first document's, not the one being read
      expect((await listAnnotationsAndLinks(s.analyst, big.id, {})).annotations).toHaveLength(800);
      expect(snapshotStats.builds).toBe(before.builds + 1);
      expect((await listAnnotationsAndLinks(s.analyst, s.document.id, {})).annotations).toHaveLength(1);
      // Not built again: it starts from the row stored when it was built.
      expect(snapshotStats.builds).toBe(before.builds + 1);
      expect(snapshotStats.loaded).toBe(before.loaded + 1);
    } finally {
      delete process.env.SNAPSHOT_CACHE_MB;
    }
  });

  it('another process starts from the stored snapshot and applies what happened since, instead of building', async () => {
    const a = (await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.at('artillery shells'), comment: { body: doc('First') } })).body;
    await expectSameAsDatabase();
    await snapshotsStored();
    const stored = await db().documentSnapshot.findUniqueOrThrow({ where: { documentId: s.document.id } });
    expect(stored.revisionId).toBe(s.document.revision.id);
    clearSnapshots(); // what another process (or this one after a restart) has: nothing in memory
    // Unchanged since it was stored: the stored bytes are its answer as they are.
    const same = await currentSnapshot(s.document.id);
    expect(same.eventId).toBe(stored.eventId);
    expect((await snapshotBody(same, 'annotations+comments')).gzip).toEqual(Buffer.from(stored.data));
    clearSnapshots();
    await createComment(s.other, a.annotation.id, { body: doc('Meanwhile') });
    await patchAnnotation(s.other, a.annotation.id, { status: 'resolved', version: 1, outcome: 'accepted' });
    const before = { ...snapshotStats };
    await expectSameAsDatabase();
    expect(snapshotStats.loaded).toBe(before.loaded + 1);
    expect(snapshotStats.builds).toBe(before.builds);
    expect(snapshotStats.applied - before.applied).toBe(2);
  });

  it('never starts from a stored snapshot of another revision, or one newer than the document', async () => {
    await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.at('artillery shells') });
    await currentSnapshot(s.document.id);
    await snapshotsStored();
    const admin = await makeUser('admin', 'Adm');
    await createRevision(admin, s.document.id, { format: 'markdown', source: `${s.text}\n\nOne more paragraph.` });
    await db().$executeRaw`UPDATE "DocumentSnapshot" SET "revisionId" = ${s.document.revision.id}`; // a slow process's late write
    clearSnapshots();
    let before = { ...snapshotStats };
    await expectSameAsDatabase();
    expect([snapshotStats.loaded - before.loaded, snapshotStats.builds - before.builds]).toEqual([0, 1]);
    // A row claiming events the document does not have (written against a restored backup, say).
    await snapshotsStored();
    await db().$executeRaw`UPDATE "DocumentSnapshot" SET "eventId" = "eventId" + 1000`;
    clearSnapshots();
    before = { ...snapshotStats };
    await expectSameAsDatabase();
    expect([snapshotStats.loaded - before.loaded, snapshotStats.builds - before.builds]).toEqual([0, 1]);
  });

  it('builds instead of failing when the stored row cannot be read (bad gzip, bad JSON, another shape), and stores a good one over it', async () => {
    await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.at('artillery shells') });
    await currentSnapshot(s.document.id);
    await snapshotsStored();
    const { gzipSync } = await import('node:zlib');
    for (const bad of [Buffer.from('not gzip'), gzipSync('{"annotations":'), gzipSync('{}')]) {
      await db().$executeRaw`UPDATE "DocumentSnapshot" SET data = ${bad}`;
      clearSnapshots();
      const before = { ...snapshotStats };
      await expectSameAsDatabase();
      expect([snapshotStats.loaded - before.loaded, snapshotStats.builds - before.builds]).toEqual([0, 1]);
      // The build replaced the row: the next process starts from it again.
      await snapshotsStored();
      clearSnapshots();
      await expectSameAsDatabase();
      expect([snapshotStats.loaded - before.loaded, snapshotStats.builds - before.builds]).toEqual([1, 1]);
    }
  });

  it('counts a snapshot started from its stored row against SNAPSHOT_CACHE_MB', async () => {
    await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.at('artillery shells') });
    await currentSnapshot(s.document.id);
    const big = await bigDocument();
    await currentSnapshot(big.id);
    await snapshotsStored();
    clearSnapshots(); // a process started afresh: both come from their stored rows
    const before = { ...snapshotStats };
    process.env.SNAPSHOT_CACHE_MB = '1';
    try {
      await snapshotBody(await currentSnapshot(s.document.id), 'annotations+comments');
      await snapshotBody(await currentSnapshot(big.id), 'annotations+comments');
      expect(snapshotStats.loaded).toBe(before.loaded + 2);
      // The big one alone is over the bound: the other one is dropped, not both kept uncounted.
      await expect.poll(() => snapshotStats.evicted).toBe(before.evicted + 1);
    } finally {
      delete process.env.SNAPSHOT_CACHE_MB;
    }
  });

  it("answers some threads' comments from the snapshot, older revisions' from the database, and nothing for other documents' threads", async () => {
    const a = (await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.at('artillery shells'), comment: { body: doc('On a') } })).body;
    const b = (await createAnnotation(s.other, s.document.id, { tag: 'speculation', target: s.at('second paragraph'), comment: { body: doc('On b') } })).body;
    await createComment(s.other, a.annotation.id, { body: doc('Reply on a'), parentId: a.comment!.id });
    const builds = snapshotStats.builds;
    const got = await listThreadComments(s.analyst, s.document.id, [a.annotation.id, b.annotation.id, a.annotation.id]);
    expect(got.map((c) => c.html)).toEqual(['<p>On a</p>', '<p>Reply on a</p>', '<p>On b</p>']);
    expect(snapshotStats.builds - builds).toBeLessThanOrEqual(1);
    // Another document's thread, asked for through this one: nothing.
    const other = await makeDocument();
    const foreign = (await createAnnotation(s.analyst, other.id, { tag: 'evidence', target: s.at('artillery shells'), comment: { body: doc('Elsewhere') } })).body;
    expect(await listThreadComments(s.analyst, s.document.id, [foreign.annotation.id])).toEqual([]);
    // A thread whose passage a new revision dropped (orphaned) still answers.
    const admin = await makeUser('admin', 'Adm');
    await createRevision(admin, s.document.id, { format: 'markdown', source: '# Sample\n\nAll new words.' });
    const after = await listThreadComments(s.analyst, s.document.id, [a.annotation.id]);
    expect(after.map((c) => c.html)).toEqual(['<p>On a</p>', '<p>Reply on a</p>']);
  });

  it("answers in the coding the client prefers (brotli, gzip or none), each the same JSON; none unless the server in front passes it on", async () => {
    await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.at('artillery shells'), comment: { body: doc('Seen in the images.') } });
    const snap = await currentSnapshot(s.document.id);
    const json = (await snapshotBody(snap, 'annotations+comments')).json;
    const read = async (accept: string | null) => {
      const res = await snapshotResponse(accept, snap, 'annotations+comments');
      const coding = res.headers.get('x-marginalia-content-encoding');
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(res.headers.get('content-length')).toBe(String(bytes.length));
      expect(res.headers.get('vary')).toBe('Accept-Encoding');
      return { coding, body: coding === 'br' ? brotliDecompressSync(bytes) : coding === 'gzip' ? gunzipSync(bytes) : bytes };
    };
    const before = process.env.MARGINALIA_PASSES_ENCODING;
    try {
      process.env.MARGINALIA_PASSES_ENCODING = '1';
      for (const [accept, coding] of [['gzip, deflate, br, zstd', 'br'], ['gzip', 'gzip'], ['br;q=0, gzip', 'gzip'], ['gzip;q=0', null], [null, null]] as const) {
        const r = await read(accept);
        expect(r.coding).toBe(coding);
        expect(r.body.equals(json)).toBe(true);
      }
      delete process.env.MARGINALIA_PASSES_ENCODING;
      expect((await read('gzip, br')).coding).toBeNull(); // e.g. under `next dev`, which would drop the header
    } finally {
      if (before === undefined) delete process.env.MARGINALIA_PASSES_ENCODING;
      else process.env.MARGINALIA_PASSES_ENCODING = before;
    }
  });

  it('is one cache per process, shared by both copies of this module (Next compiles instrumentation.ts\'s imports apart from the routes\')', async () => {
    await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.at('artillery shells') });
    const mine = await currentSnapshot(s.document.id);
    vi.resetModules();
    const other = await import('./snapshots');
    expect(other.currentSnapshot).not.toBe(currentSnapshot); // a second copy indeed
    const hits = other.snapshotStats.hits;
    expect(await other.currentSnapshot(s.document.id)).toBe(mine);
    expect(other.snapshotStats.hits).toBe(hits + 1);
    expect(other.snapshotStats).toBe(snapshotStats);
  });
});
