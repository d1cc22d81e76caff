import { beforeEach, describe, expect, it } from 'vitest';
import { describe as describeRange } from '@/lib/domain/anchoring';
import type { AppError } from '@/lib/domain/errors';
import { doc, makeDocument, makeUser, resetDb } from '@/scripts/test/db';
import { createAnnotation, deleteAnnotation, getAnnotation } from './annotations';
import { createComment, deleteComment, patchComment } from './comments';
import { MAX_COMMENTS_PER_THREAD, MAX_DOCUMENT_COMMENT_HTML } from './comment-budget';
import { db } from './db';

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: AppError) => e.code);

describe('comments service', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  async function setup() {
    await resetDb();
    const document = await makeDocument();
    const ana = await makeUser('analyst', 'Ana');
    const ben = await makeUser('viewer', 'Ben');
    const admin = await makeUser('admin', 'Adm');
    const i = document.revision.text.indexOf('artillery');
    const annotation = (await createAnnotation(ana, document.id, { tag: 'speculation', target: describeRange(document.revision.text, i, i + 9) })).body.annotation;
    return { document, ana, ben, admin, annotation };
  }
  beforeEach(async () => {
    ctx = await setup();
  });

  it('bounds a thread\'s comments and a document\'s discussion (a viewer could make the page crash the server)', async () => {
    const { ana, ben, annotation, document } = ctx;
    await db().comment.createMany({
      data: Array.from({ length: MAX_COMMENTS_PER_THREAD }, (_, i) => ({ annotationId: annotation.id, authorId: ben.id, body: doc(`c${i}`), html: `<p>c${i}</p>`, text: `c${i}` })),
    });
    const full = await createComment(ben, annotation.id, { body: doc('one more') }).catch((e: AppError) => e);
    expect(full).toMatchObject({ code: 'unprocessable', details: { reason: 'thread_full' } });

    // Another thread of the same document: fine, until the document's comment HTML is at its limit.
    const i = document.revision.text.indexOf('measurable');
    const other = (await createAnnotation(ana, document.id, { tag: 'evidence', target: describeRange(document.revision.text, i, i + 10) })).body.annotation;
    const mine = (await createComment(ben, other.id, { body: doc('short') })).body.comment;
    const big = '&lt;'.repeat(MAX_DOCUMENT_COMMENT_HTML / 4 / 8);
    await db().comment.createMany({ data: Array.from({ length: 8 }, () => ({ annotationId: other.id, authorId: ana.id, body: doc('x'), html: big, text: 'x' })) });
    expect(await createComment(ben, other.id, { body: doc('and more') }).catch((e: AppError) => e.details)).toMatchObject({ reason: 'document_full' });
    // Growing a comment counts too; shrinking one or deleting is always allowed.
    expect(await patchComment(ben, mine.id, { body: doc('short but longer now'), version: mine.version }).catch((e: AppError) => e.details)).toMatchObject({ reason: 'document_full' });
    expect(await code(patchComment(ben, mine.id, { body: doc('s'), version: mine.version }))).toBe('ok');
    // A new highlight's first comment is counted as well.
    const j = document.revision.text.indexOf('second paragraph');
    const withComment = createAnnotation(ana, document.id, { tag: 'evidence', target: describeRange(document.revision.text, j, j + 6), comment: { body: doc('first') } });
    expect(await withComment.catch((e: AppError) => e.details)).toMatchObject({ reason: 'document_full' });
  });

  it('viewers comment and reply; replies nest three levels and more', async () => {
    const c1 = (await createComment(ctx.ana, ctx.annotation.id, { body: doc('one') })).body.comment;
    const c2 = (await createComment(ctx.ben, ctx.annotation.id, { body: doc('two'), parentId: c1.id })).body.comment;
    const c3 = (await createComment(ctx.ana, ctx.annotation.id, { body: doc('three'), parentId: c2.id })).body.comment;
    const c4 = (await createComment(ctx.ben, ctx.annotation.id, { body: doc('four'), parentId: c3.id })).body.comment;
    const { annotation, comments } = await getAnnotation(ctx.ben, ctx.annotation.id);
    expect(annotation.commentCount).toBe(4);
    expect(comments.map((c) => [c.id, c.parentId])).toEqual([[c1.id, null], [c2.id, c1.id], [c3.id, c2.id], [c4.id, c3.id]]);
  });

  it('keeps a thread in the order its comments were made when two share a millisecond', async () => {
    const made = [];
    for (const t of ['one', 'two', 'three']) made.push((await createComment(ctx.ana, ctx.annotation.id, { body: doc(t) })).body.comment.id);
    // The same createdAt for all, and the rows rewritten newest first, away and back (an indexed
    // column changes, so the index sees them anew): the table's own order is now the reverse.
    const i = ctx.document.revision.text.indexOf('curly');
    const away = (await createAnnotation(ctx.ana, ctx.document.id, { tag: 'evidence', target: describeRange(ctx.document.revision.text, i, i + 5) })).body.annotation;
    const at = new Date('2026-02-01T09:00:00Z');
    for (const id of [...made].reverse()) await db().comment.update({ where: { id }, data: { createdAt: at, annotationId: away.id } });
    for (const id of [...made].reverse()) await db().comment.update({ where: { id }, data: { annotationId: ctx.annotation.id } });
    expect((await getAnnotation(ctx.ben, ctx.annotation.id)).comments.map((c) => c.id)).toEqual(made);
  });

  it('refuses a parent from another thread or a deleted parent', async () => {
    const i = ctx.document.revision.text.indexOf('curly');
    const other = (await createAnnotation(ctx.ana, ctx.document.id, { tag: 'evidence', target: describeRange(ctx.document.revision.text, i, i + 5) })).body.annotation;
    const c = (await createComment(ctx.ana, other.id, { body: doc('elsewhere') })).body.comment;
    expect(await code(createComment(ctx.ana, ctx.annotation.id, { body: doc('x'), parentId: c.id }))).toBe('unprocessable');
    await deleteComment(ctx.ana, c.id);
    expect(await code(createComment(ctx.ana, other.id, { body: doc('x'), parentId: c.id }))).toBe('unprocessable');
  });

  it('stores sanitised HTML and refuses bodies outside the editor schema', async () => {
    const body = {
      type: 'doc',
      content: [{ type: 'paragraph', content: [
        { type: 'text', text: '<img src=x onerror=alert(1)>' },
        { type: 'text', text: 'click', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] },
      ] }],
    };
    const c = (await createComment(ctx.ana, ctx.annotation.id, { body })).body.comment;
    expect(c.html).toBe('<p>&lt;img src=x onerror=alert(1)&gt;click</p>');
    const row = await db().comment.findUniqueOrThrow({ where: { id: c.id } });
    expect(JSON.stringify(row.body)).not.toContain('javascript:');
    expect(await code(createComment(ctx.ana, ctx.annotation.id, { body: { type: 'doc', content: [{ type: 'image', attrs: { src: 'x' } }] } }))).toBe('bad_request');
    expect(await code(createComment(ctx.ana, ctx.annotation.id, { body: doc('x'.repeat(20_001)) }))).toBe('payload_too_large');
  });

  it('only the author edits; a stale version is 409 with the current text', async () => {
    const c = (await createComment(ctx.ana, ctx.annotation.id, { body: doc('first') })).body.comment;
    expect(await code(patchComment(ctx.ben, c.id, { body: doc('hijack'), version: 1 }))).toBe('forbidden');
    expect(await code(patchComment(ctx.admin, c.id, { body: doc('hijack'), version: 1 }))).toBe('forbidden');
    const edited = await patchComment(ctx.ana, c.id, { body: doc('second'), version: 1 });
    expect(edited).toMatchObject({ version: 2, html: '<p>second</p>' });
    expect(edited.editedAt).not.toBeNull();
    const stale = await patchComment(ctx.ana, c.id, { body: doc('third'), version: 1 }).catch((e: AppError) => e);
    expect(stale).toMatchObject({ code: 'conflict', details: { current: { html: '<p>second</p>', version: 2 } } });
  });

  it('deleting a replied-to comment keeps a tombstone so the replies stay', async () => {
    const parent = (await createComment(ctx.ana, ctx.annotation.id, { body: doc('parent') })).body.comment;
    const child = (await createComment(ctx.ben, ctx.annotation.id, { body: doc('child'), parentId: parent.id })).body.comment;
    const lone = (await createComment(ctx.ben, ctx.annotation.id, { body: doc('lone') })).body.comment;
    expect(await code(deleteComment(ctx.ben, parent.id))).toBe('forbidden');
    await deleteComment(ctx.ana, parent.id);
    await deleteComment(ctx.admin, lone.id);
    const { annotation, comments } = await getAnnotation(ctx.ana, ctx.annotation.id);
    expect(comments.map((c) => ({ id: c.id, deleted: c.deleted, body: c.body === null ? null : 'x' }))).toEqual([
      { id: parent.id, deleted: true, body: null },
      { id: child.id, deleted: false, body: 'x' },
    ]);
    expect(annotation.commentCount).toBe(1);
    expect(await code(patchComment(ctx.ana, parent.id, { body: doc('back'), version: 2 }))).toBe('not_found');
  });

  it('comments on a deleted annotation are gone', async () => {
    const c = (await createComment(ctx.ana, ctx.annotation.id, { body: doc('x') })).body.comment;
    await deleteAnnotation(ctx.ana, ctx.annotation.id);
    expect(await code(createComment(ctx.ana, ctx.annotation.id, { body: doc('y') }))).toBe('not_found');
    expect(await code(patchComment(ctx.ana, c.id, { body: doc('y'), version: 1 }))).toBe('not_found');
  });

  it('an Idempotency-Key makes a retried comment one comment', async () => {
    const [a, b] = await Promise.all([
      createComment(ctx.ben, ctx.annotation.id, { body: doc('once') }, 'k'),
      createComment(ctx.ben, ctx.annotation.id, { body: doc('once') }, 'k'),
    ]);
    expect(a.body).toEqual(b.body);
    expect(await db().comment.count()).toBe(1);
  });
});
