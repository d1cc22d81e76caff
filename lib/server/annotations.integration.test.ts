import { beforeEach, describe, expect, it } from 'vitest';
import { describe as describeRange } from '@/lib/domain/anchoring';
import type { AppError } from '@/lib/domain/errors';
import { doc, makeDocument, makeUser, resetDb } from '@/scripts/test/db';
import { createAnnotation, deleteAnnotation, getAnnotation, listAnnotations, patchAnnotation } from './annotations';
import { db } from './db';

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: AppError) => e.code);

async function setup() {
  await resetDb();
  const document = await makeDocument();
  const analyst = await makeUser('analyst', 'Ana');
  const other = await makeUser('analyst', 'Ben');
  const viewer = await makeUser('viewer', 'Vic');
  const admin = await makeUser('admin', 'Adm');
  const text = document.revision.text;
  const start = text.indexOf('artillery shells');
  const target = describeRange(text, start, start + 'artillery shells'.length);
  return { document, analyst, other, viewer, admin, text, target };
}

describe('annotations service', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    s = await setup();
  });

  it('creates an annotation with its first comment and one event each, in one transaction', async () => {
    const res = await createAnnotation(s.analyst, s.document.id, { tag: 'speculation', target: s.target, comment: { body: doc('Who says?') } });
    expect(res.status).toBe(201);
    expect(res.body.annotation).toMatchObject({ tag: 'speculation', status: 'open', anchor: 'anchored', commentCount: 1, version: 1 });
    expect(res.body.annotation.target.quote.prefix).toBe(s.target.quote.prefix);
    expect(res.body.comment?.html).toBe('<p>Who says?</p>');
    const events = await db().event.findMany({ where: { documentId: s.document.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['document.created', 'annotation.created', 'comment.created']);
    // The events carry exactly the answer, and the rows read back as the answer says.
    expect(events[1].payload).toEqual(res.body.annotation);
    expect(events[2].payload).toEqual(res.body.comment);
    expect((await getAnnotation(s.viewer, res.body.annotation.id)).comments).toEqual([res.body.comment]);
  });

  it('fills prefix and suffix from the text when the client sends none', async () => {
    const { annotation } = (await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: { quote: { exact: s.target.quote.exact }, position: s.target.position } })).body;
    expect(annotation.target.quote).toEqual(s.target.quote);
  });

  it('refuses a quote that is not the text at its position (422) and writes nothing', async () => {
    const bad = { ...s.target, position: { start: s.target.position.start + 1, end: s.target.position.end + 1 } };
    expect(await code(createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: bad }))).toBe('unprocessable');
    const past = { quote: { exact: 'x' }, position: { start: s.text.length, end: s.text.length + 1 } };
    expect(await code(createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: past }))).toBe('unprocessable');
    expect(await db().annotation.count()).toBe(0);
  });

  it('writes nothing when the first comment is invalid', async () => {
    const body = { type: 'doc', content: [{ type: 'heading', content: [{ type: 'text', text: 'x' }] }] };
    expect(await code(createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.target, comment: { body } }))).toBe('bad_request');
    expect(await db().annotation.count()).toBe(0);
    expect(await db().event.count({ where: { type: 'annotation.created' } })).toBe(0);
  });

  it('lets viewers read but not highlight; unknown documents are 404', async () => {
    expect(await code(createAnnotation(s.viewer, s.document.id, { tag: 'evidence', target: s.target }))).toBe('forbidden');
    expect(await code(createAnnotation(s.analyst, 'nope', { tag: 'evidence', target: s.target }))).toBe('not_found');
    expect(await listAnnotations(s.viewer, s.document.id, {})).toEqual([]);
  });

  it('returns the first answer for a repeated Idempotency-Key, also when sent concurrently', async () => {
    const input = { tag: 'evidence' as const, target: s.target };
    const answers = await Promise.all(Array.from({ length: 8 }, () => createAnnotation(s.analyst, s.document.id, input, 'key-1')));
    expect(new Set(answers.map((a) => a.body.annotation.id)).size).toBe(1);
    for (const a of answers) expect(a.body).toEqual(answers[0].body);
    expect(answers.every((a) => a.status === 201)).toBe(true);
    expect(await db().annotation.count()).toBe(1);
    // The same key for a different request is refused rather than silently answered.
    expect(await code(createAnnotation(s.analyst, s.document.id, { ...input, tag: 'assessment' }, 'key-1'))).toBe('unprocessable');
    // Keys are per user.
    await createAnnotation(s.other, s.document.id, input, 'key-1');
    expect(await db().annotation.count()).toBe(2);
  });

  it('replays a create with a first comment once per key: one annotation, one comment, two events', async () => {
    const input = { tag: 'evidence' as const, target: s.target, comment: { body: doc('once') } };
    const answers = await Promise.all(Array.from({ length: 6 }, () => createAnnotation(s.analyst, s.document.id, input, 'key-c')));
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(answers[0].body.comment?.html).toBe('<p>once</p>');
    expect(await db().annotation.count()).toBe(1);
    expect(await db().comment.count()).toBe(1);
    expect(await db().event.count({ where: { type: { in: ['annotation.created', 'comment.created'] } } })).toBe(2);
  });

  it('reads q= as words, never as a pattern: % _ and \\ are ordinary characters, not wildcards', async () => {
    await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.target, comment: { body: doc('100% sure, see file_2 in C:\\tmp') } });
    const i = s.text.indexOf('curly');
    await createAnnotation(s.other, s.document.id, { tag: 'assessment', target: describeRange(s.text, i, i + 5), comment: { body: doc('plain words') } });
    const ids = async (q: string) => (await listAnnotations(s.viewer, s.document.id, { q })).map((x) => x.target.quote.exact);
    // Alone, they are no word at all, so they match nothing (a LIKE pattern would match everything).
    expect(await ids('%')).toEqual([]);
    expect(await ids('_')).toEqual([]);
    expect(await ids('\\')).toEqual([]);
    expect(await ids('%%')).toEqual([]);
    expect(await ids('100%')).toEqual(['artillery shells']);
    expect(await ids('file_2')).toEqual(['artillery shells']);
    expect(await ids('p_ain')).toEqual([]);
    expect(await ids('pl%ds')).toEqual([]);
  });

  it('filters by tag, status, author and text', async () => {
    const a = (await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.target, comment: { body: doc('satellite imagery') } })).body.annotation;
    const i = s.text.indexOf('curly');
    await createAnnotation(s.other, s.document.id, { tag: 'assessment', target: describeRange(s.text, i, i + 5) });
    await patchAnnotation(s.analyst, a.id, { status: 'resolved', version: 1 });
    const ids = async (q: Parameters<typeof listAnnotations>[2]) => (await listAnnotations(s.viewer, s.document.id, q)).map((x) => x.target.quote.exact);
    expect(await ids({})).toEqual(['artillery shells', 'curly']);
    expect(await ids({ tag: ['assessment'] })).toEqual(['curly']);
    expect(await ids({ status: 'resolved' })).toEqual(['artillery shells']);
    expect(await ids({ author: s.other.id })).toEqual(['curly']);
    expect(await ids({ q: 'SATELLITE' })).toEqual(['artillery shells']);
    expect(await ids({ q: 'curl' })).toEqual(['curly']);
  });

  it('patches with optimistic versions: stale -> 409 with the current annotation', async () => {
    const a = (await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.target })).body.annotation;
    const resolved = await patchAnnotation(s.other, a.id, { status: 'resolved', version: 1 });
    expect(resolved).toMatchObject({ status: 'resolved', version: 2 });
    const stale = await patchAnnotation(s.analyst, a.id, { tag: 'speculation', version: 1 }).catch((e: AppError) => e);
    expect(stale).toMatchObject({ code: 'conflict' });
    expect((stale as AppError).details).toMatchObject({ current: { version: 2, status: 'resolved' } });
    expect(await patchAnnotation(s.analyst, a.id, { tag: 'speculation', status: 'open', version: 2 })).toMatchObject({ tag: 'speculation', status: 'open', version: 3 });
  });

  it('only the author retags; viewers cannot resolve', async () => {
    const a = (await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.target })).body.annotation;
    expect(await code(patchAnnotation(s.other, a.id, { tag: 'assessment', version: 1 }))).toBe('forbidden');
    expect(await code(patchAnnotation(s.admin, a.id, { tag: 'assessment', version: 1 }))).toBe('forbidden');
    expect(await code(patchAnnotation(s.viewer, a.id, { status: 'resolved', version: 1 }))).toBe('forbidden');
    // Sending the unchanged tag with a status change is not a retag.
    expect(await code(patchAnnotation(s.other, a.id, { tag: 'evidence', status: 'resolved', version: 1 }))).toBe('ok');
  });

  it('deletes (author or admin) softly: gone from reads, 404 afterwards, event written', async () => {
    const a = (await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.target, comment: { body: doc('x') } })).body.annotation;
    expect(await code(deleteAnnotation(s.other, a.id))).toBe('forbidden');
    await deleteAnnotation(s.admin, a.id);
    expect(await listAnnotations(s.analyst, s.document.id, {})).toEqual([]);
    expect(await code(getAnnotation(s.analyst, a.id))).toBe('not_found');
    expect(await code(patchAnnotation(s.analyst, a.id, { status: 'resolved', version: 2 }))).toBe('not_found');
    expect(await code(deleteAnnotation(s.analyst, a.id))).toBe('not_found');
    expect(await db().annotation.count()).toBe(1); // kept for the audit trail
    expect(await db().event.count({ where: { type: 'annotation.deleted', resourceId: a.id } })).toBe(1);
  });
});

describe('annotation edge cases', () => {
  it('a no-op patch writes nothing, and viewers cannot send status at all', async () => {
    const s = await setup();
    const a = (await createAnnotation(s.analyst, s.document.id, { tag: 'evidence', target: s.target })).body.annotation;
    expect(await code(patchAnnotation(s.viewer, a.id, { status: 'open', version: 1 }))).toBe('forbidden');
    expect(await patchAnnotation(s.analyst, a.id, { tag: 'evidence', status: 'open', version: 1 })).toMatchObject({ version: 1 });
    expect(await db().event.count({ where: { type: 'annotation.updated' } })).toBe(0);
    expect(await code(patchAnnotation(s.analyst, a.id, { status: 'open', version: 7 }))).toBe('conflict');
  });

  it('a missing document is 404 for everyone, viewers included', async () => {
    const s = await setup();
    expect(await code(createAnnotation(s.viewer, 'missing', { tag: 'evidence', target: s.target }))).toBe('not_found');
  });
});
