import { beforeEach, describe, expect, it } from 'vitest';
import { describe as describeRange } from '@/lib/domain/anchoring';
import type { AppError } from '@/lib/domain/errors';
import { doc, makeDocument, makeUser, resetDb, SAMPLE_MD } from '@/scripts/test/db';
import { createAnnotation, listAnnotations, listRevisionComments, patchAnnotation } from './annotations';
import { createComment } from './comments';
import { db } from './db';
import { getDocument, listDocuments, listRevisions } from './documents';
import { createRevision } from './revisions';

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: AppError) => e.code);

async function setup() {
  await resetDb();
  const document = await makeDocument();
  const admin = await makeUser('admin', 'Adm');
  const analyst = await makeUser('analyst', 'Ana');
  const other = await makeUser('analyst', 'Ben');
  const text = document.revision.text;
  const at = (quote: string) => describeRange(text, text.indexOf(quote), text.indexOf(quote) + quote.length);
  const create = async (quote: string, tag: 'evidence' | 'speculation' = 'evidence') =>
    (await createAnnotation(analyst, document.id, { tag, target: at(quote) })).body.annotation;
  return { document, admin, analyst, other, text, at, create };
}

describe('revisions', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    s = await setup();
  });

  it('re-anchors every annotation onto the new revision: kept, moved, fuzzy and orphaned, threads intact', async () => {
    const kept = await s.create('Section');
    const fuzzy = await s.create('says something measurable about artillery shells');
    const orphan = await s.create('“curly quotes” – and an en dash', 'speculation');
    await createComment(s.other, orphan.id, { body: doc('Is this sourced?') });
    const edited = SAMPLE_MD.replace('# Sample\n', '# Sample\n\nA new opening paragraph pushes everything down.\n')
      .replace('says something measurable', 'says something measureable')
      .replace('A second paragraph with “curly quotes” – and an en dash.', 'A rewritten closing line.');
    const res = await createRevision(s.admin, s.document.id, { format: 'markdown', source: edited, baseRevisionId: s.document.revision.id });
    expect(res.revision.number).toBe(2);
    expect(res.reanchored).toEqual({ kept: 0, moved: 1, fuzzy: 1, orphaned: 1 });

    const now = await listAnnotations(s.analyst, s.document.id, {});
    const byId = new Map(now.map((a) => [a.id, a]));
    expect(now.every((a) => a.revisionId === res.revision.id)).toBe(true);
    expect(byId.get(kept.id)).toMatchObject({ anchor: 'anchored', anchorMethod: 'moved' });
    const f = byId.get(fuzzy.id)!;
    expect(f).toMatchObject({ anchor: 'anchored', anchorMethod: 'fuzzy' });
    expect(res.revision.text.slice(f.target.position.start, f.target.position.end)).toBe('says something measureable about artillery shells');
    expect(f.target.quote.exact).toBe('says something measureable about artillery shells');
    const o = byId.get(orphan.id)!;
    expect(o).toMatchObject({ anchor: 'orphaned', anchorMethod: 'orphaned', commentCount: 1 });
    expect(o.target.quote.exact).toBe('“curly quotes” – and an en dash');
    const comments = await listRevisionComments(s.analyst, s.document.id);
    expect(comments.map((c) => c.annotationId)).toEqual([orphan.id]);

    // The old revision still shows its annotations as they were.
    const before = await listAnnotations(s.analyst, s.document.id, { revision: s.document.revision.id });
    expect(before.map((a) => [a.id, a.anchor, a.anchorMethod, a.target.position])).toEqual(
      [kept, fuzzy, orphan].sort((a, b) => a.target.position.start - b.target.position.start).map((a) => [a.id, 'anchored', 'created', a.target.position]),
    );
    const old = await getDocument(s.analyst, s.document.id, s.document.revision.id);
    expect(old.revision.number).toBe(1);
    expect(old.currentRevision.number).toBe(2);
    expect((await listRevisionComments(s.analyst, s.document.id, s.document.revision.id)).length).toBe(1);
    expect((await listRevisions(s.analyst, s.document.id)).map((r) => [r.number, r.createdBy?.name ?? null])).toEqual([[2, 'Adm'], [1, null]]);
  });

  it('writes one revision.created event and keeps the list summary true', async () => {
    await s.create('Section');
    const edited = SAMPLE_MD.replace('## Section', '## Other heading');
    await createRevision(s.admin, s.document.id, { format: 'markdown', source: edited });
    const types = (await db().event.findMany({ where: { documentId: s.document.id }, orderBy: { id: 'asc' } })).map((e) => e.type);
    expect(types).toEqual(['document.created', 'annotation.created', 'revision.created']);
    const [summary] = await listDocuments(s.analyst);
    expect(summary).toMatchObject({ revision: { number: 2 }, annotationCount: 1, counts: { evidence: 1, speculation: 0, assessment: 0, orphaned: 1 } });
  });

  it('refuses to publish a revision identical to the current one (422 unchanged), however it was sent', async () => {
    const unchanged = await createRevision(s.admin, s.document.id, { format: 'markdown', source: SAMPLE_MD }).catch((e: AppError) => e);
    expect(unchanged).toMatchObject({ code: 'unprocessable', message: 'No changes to publish: this is the same as revision 1', details: { reason: 'unchanged' } });
    // The editor's JSON with its keys in another order is the same document too.
    const current = (await getDocument(s.admin, s.document.id)).revision.content;
    const reordered = { content: current.content, type: current.type };
    expect(await createRevision(s.admin, s.document.id, { content: reordered }).catch((e: AppError) => e.code)).toBe('unprocessable');
    expect((await getDocument(s.admin, s.document.id)).revision.number).toBe(1);
    // A real change still publishes.
    await createRevision(s.admin, s.document.id, { format: 'markdown', source: `${SAMPLE_MD}\nOne more line.\n` });
    expect((await getDocument(s.admin, s.document.id)).revision.number).toBe(2);
  });

  it('a second publish carries orphans along and finds them again when their text comes back', async () => {
    const a = await s.create('artillery shells');
    const gone = SAMPLE_MD.replace('about artillery shells', 'about drones');
    const r2 = await createRevision(s.admin, s.document.id, { format: 'markdown', source: gone });
    expect(r2.reanchored.orphaned).toBe(1);
    const r3 = await createRevision(s.admin, s.document.id, { format: 'markdown', source: SAMPLE_MD });
    expect(r3.reanchored).toEqual({ kept: 1, moved: 0, fuzzy: 0, orphaned: 0 }); // back at its old place
    const [back] = await listAnnotations(s.analyst, s.document.id, {});
    expect(back).toMatchObject({ id: a.id, anchor: 'anchored', target: a.target });
    const atTwo = await listAnnotations(s.analyst, s.document.id, { revision: r2.revision.id });
    expect(atTwo).toMatchObject([{ id: a.id, anchor: 'orphaned' }]);
  });

  it('only admins publish; a stale base revision is 409; bad content is 400; unknown documents 404', async () => {
    expect(await code(createRevision(s.analyst, s.document.id, { format: 'text', source: 'x' }))).toBe('forbidden');
    expect(await code(createRevision(s.admin, 'nope', { format: 'text', source: 'x' }))).toBe('not_found');
    await createRevision(s.admin, s.document.id, { format: 'text', source: 'Once' });
    expect(await code(createRevision(s.admin, s.document.id, { format: 'text', source: 'Twice', baseRevisionId: s.document.revision.id }))).toBe('conflict');
    expect(await code(createRevision(s.admin, s.document.id, { content: { type: 'doc', content: [{ type: 'image' }] } }))).toBe('bad_request');
    expect(await code(createRevision(s.admin, s.document.id, { content: { type: 'doc', content: [{ type: 'paragraph' }] } }))).toBe('bad_request');
    // Editor JSON nested 100,000 deep: a clear 400, not a stack overflow.
    let deep: object = { type: 'paragraph', content: [{ type: 'text', text: 'x' }] };
    for (let i = 0; i < 100_000; i++) deep = { type: 'blockquote', content: [deep] };
    expect(await code(createRevision(s.admin, s.document.id, { content: { type: 'doc', content: [deep] } }))).toBe('bad_request');
    expect(await db().documentRevision.count({ where: { documentId: s.document.id } })).toBe(2);
  });

  it('counts re-anchoring as a change of every annotation: version + 1 and a new updatedAt', async () => {
    const a = await s.create('Section');
    const b = await s.create('artillery shells');
    const before = await db().annotation.findMany({ where: { id: { in: [a.id, b.id] } }, select: { id: true, version: true, updatedAt: true } });
    await createRevision(s.admin, s.document.id, { format: 'markdown', source: SAMPLE_MD.replace('# Sample\n', '# Sample\n\nA new first paragraph.\n') });
    const now = await listAnnotations(s.analyst, s.document.id, {});
    for (const old of before) {
      const after = now.find((x) => x.id === old.id)!;
      expect(after.version).toBe(old.version + 1);
      expect(new Date(after.updatedAt).getTime()).toBeGreaterThan(old.updatedAt.getTime());
    }
    // A PATCH based on the version from before the publish is stale.
    expect(await code(patchAnnotation(s.analyst, a.id, { status: 'resolved', version: a.version }))).toBe('conflict');
  });

  it('accepts Tiptap JSON and strips unsafe links from it', async () => {
    const content = {
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'click', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }],
    };
    const res = await createRevision(s.admin, s.document.id, { content });
    const d = await getDocument(s.analyst, s.document.id, res.revision.id);
    expect(JSON.stringify(d.revision.content)).not.toContain('javascript');
    expect(d.revision.text).toBe('click');
  });

  it('refuses a highlight taken from a revision that is no longer current (409), and re-attaches an orphan', async () => {
    const a = await s.create('artillery shells');
    await createRevision(s.admin, s.document.id, { format: 'markdown', source: SAMPLE_MD.replace('artillery shells', 'drones') });
    expect(await code(createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.at('Section'), revisionId: s.document.revision.id }))).toBe('conflict');
    const current = await getDocument(s.analyst, s.document.id);
    const start = current.revision.text.indexOf('drones');
    const target = describeRange(current.revision.text, start, start + 'drones'.length);
    const [orphan] = await listAnnotations(s.analyst, s.document.id, {});
    expect(await code(patchAnnotation(s.other, a.id, { target, version: orphan.version }))).toBe('forbidden');
    const wrong = { ...target, position: { start: start + 1, end: start + 7 } };
    expect(await code(patchAnnotation(s.analyst, a.id, { target: wrong, version: orphan.version }))).toBe('unprocessable');
    const fixed = await patchAnnotation(s.analyst, a.id, { target, version: orphan.version });
    expect(fixed).toMatchObject({ anchor: 'anchored', anchorMethod: 'reattached', target, version: orphan.version + 1 });
    expect(await code(patchAnnotation(s.admin, a.id, { target, version: fixed.version }))).toBe('ok'); // same place: a no-op
  });

  it('a highlight created while a revision is being published waits and then is refused, never left behind', async () => {
    const bigger = SAMPLE_MD + '\n' + 'More text. '.repeat(2000);
    const [rev, created] = await Promise.all([
      createRevision(s.admin, s.document.id, { format: 'markdown', source: bigger }),
      code(createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.at('Section') })),
    ]);
    const all = await db().annotation.findMany({ where: { documentId: s.document.id } });
    expect(all.every((a) => a.revisionId === rev.revision.id)).toBe(true);
    expect(['ok', 'conflict']).toContain(created);
  });

  it('a process that last saw an older revision creates on the current one (its cached revision is re-checked)', async () => {
    await s.create('Section'); // this process now remembers revision 1 as current
    const r2 = await createRevision(s.admin, s.document.id, { format: 'markdown', source: SAMPLE_MD.replace('# Sample', '# Sample, revised') });
    const t2 = r2.revision.text;
    const at2 = (q: string) => describeRange(t2, t2.indexOf(q), t2.indexOf(q) + q.length);
    const made = await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: at2('artillery shells') });
    expect(made.body.annotation.revisionId).toBe(r2.revision.id);
    expect(t2.slice(made.body.annotation.target.position.start, made.body.annotation.target.position.end)).toBe('artillery shells');
    const r3 = await createRevision(s.admin, s.document.id, { format: 'markdown', source: SAMPLE_MD.replace('# Sample', '# Sample, again') });
    const t3 = r3.revision.text;
    const pinned = await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: describeRange(t3, t3.indexOf('Section'), t3.indexOf('Section') + 7), revisionId: r3.revision.id });
    expect(pinned.body.annotation.revisionId).toBe(r3.revision.id);
    // An old-revision offset that no longer matches the text is refused, not misplaced.
    expect(await code(createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: at2('Sample, revised') }))).toBe('unprocessable');
  });
});
