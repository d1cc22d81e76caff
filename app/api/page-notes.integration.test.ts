/**
 * Page notes through the HTTP API (docs/api.md, "Page notes"): threads about the whole document,
 * created with `scope: "document"` and no target, listed first, discussed and resolved like any
 * thread, and never re-anchored: they follow the document to each new revision.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { describe as describeRange } from '@/lib/domain/anchoring';
import { db } from '@/lib/server/db';
import { doc, makeDocument, makeUser, resetDb, SAMPLE_MD, sessionToken } from '@/scripts/test/db';
import { call } from '@/scripts/test/http';
import * as annotationsRoute from './documents/[id]/annotations/route';
import * as annotationRoute from './annotations/[id]/route';
import * as commentsRoute from './annotations/[id]/comments/route';
import * as revisionsRoute from './documents/[id]/revisions/route';
import * as checksRoute from './documents/[id]/checks/route';

describe('page notes', () => {
  let documentId: string;
  let revisionId: string;
  let text: string;
  let ana: string; // analyst cookie
  let ben: string; // another analyst
  let vic: string; // viewer
  let adm: string; // admin
  beforeEach(async () => {
    await resetDb();
    const d = await makeDocument();
    [documentId, revisionId, text] = [d.id, d.revision.id, d.revision.text];
    const [a, b, v, m] = [await makeUser('analyst', 'Ana'), await makeUser('analyst', 'Ben'), await makeUser('viewer', 'Vic'), await makeUser('admin', 'Adm')];
    [ana, ben, vic, adm] = [await sessionToken(a.id), await sessionToken(b.id), await sessionToken(v.id), await sessionToken(m.id)];
  });

  const create = (cookie: string, body: unknown) =>
    call(annotationsRoute.POST, 'POST', `/api/documents/${documentId}/annotations`, { cookie, params: { id: documentId }, body });
  const list = (cookie: string, query = '') =>
    call(annotationsRoute.GET, 'GET', `/api/documents/${documentId}/annotations${query}`, { cookie, params: { id: documentId } });
  const patch = (cookie: string, id: string, body: unknown) => call(annotationRoute.PATCH, 'PATCH', `/api/annotations/${id}`, { cookie, params: { id }, body });
  const comment = (cookie: string, id: string, body: unknown) => call(commentsRoute.POST, 'POST', `/api/annotations/${id}/comments`, { cookie, params: { id }, body });
  const at = (s: string) => describeRange(text, text.indexOf(s), text.indexOf(s) + s.length);

  it('creates one with its first comment and events; it has no passage', async () => {
    const r = await create(ana, { tag: 'assessment', scope: 'document', comment: { body: doc('The piece overstates the alliance.') } });
    expect(r.status).toBe(201);
    expect(r.json.annotation).toMatchObject({
      scope: 'document', tag: 'assessment', status: 'open', revisionId, anchor: 'anchored', anchorMethod: 'created', commentCount: 1,
      target: { quote: { exact: '', prefix: '', suffix: '' }, position: { start: 0, end: 0 } },
    });
    expect(r.json.comment.html).toBe('<p>The piece overstates the alliance.</p>');
    const events = await db().event.findMany({ where: { documentId, type: { not: 'document.created' } }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['annotation.created', 'comment.created']);
    expect(events[0].payload).toEqual(r.json.annotation);
    // A highlight still says `passage`.
    expect((await create(ana, { tag: 'evidence', target: at('artillery shells') })).json.annotation.scope).toBe('passage');
  });

  it('lists page notes first (oldest first), and filters apply to them', async () => {
    const h = (await create(ana, { tag: 'evidence', target: describeRange(text, 0, 6) })).json.annotation;
    const n1 = (await create(ana, { tag: 'assessment', scope: 'document' })).json.annotation;
    const n2 = (await create(ben, { tag: 'speculation', scope: 'document' })).json.annotation;
    expect((await list(vic)).json.annotations.map((a: { id: string }) => a.id)).toEqual([n1.id, n2.id, h.id]);
    expect((await list(vic, '?tag=speculation')).json.annotations.map((a: { id: string }) => a.id)).toEqual([n2.id]);
    expect((await list(ana, '?mine=true')).json.annotations.map((a: { id: string }) => a.id)).toEqual([n1.id, h.id]);
  });

  it('validates: target required for a highlight, forbidden on a page note, 400 naming the field', async () => {
    const noTarget = await create(ana, { tag: 'evidence' });
    expect(noTarget.status).toBe(400);
    expect(noTarget.json.error.details.map((d: { path: string[] }) => d.path.join('.'))).toEqual(['target']);
    const both = await create(ana, { tag: 'assessment', scope: 'document', target: at('artillery shells') });
    expect(both.status).toBe(400);
    expect(both.json.error.details.map((d: { path: string[] }) => d.path.join('.'))).toEqual(['target']);
    const badScope = await create(ana, { tag: 'assessment', scope: 'everything' });
    expect(badScope.status).toBe(400);
    expect(badScope.json.error.details.map((d: { path: string[] }) => d.path.join('.'))).toEqual(['scope']);
    // Judgment fields follow the tag as on a highlight.
    const wrongField = await create(ana, { tag: 'evidence', scope: 'document', likelihood: 'likely' });
    expect(wrongField.status).toBe(400);
    expect(wrongField.json.error.details.map((d: { path: string[] }) => d.path.join('.'))).toEqual(['likelihood']);
    // The same roles as highlights.
    expect((await create(vic, { tag: 'assessment', scope: 'document' })).status).toBe(403);
    expect((await create(adm, { tag: 'assessment', scope: 'document' })).status).toBe(201);
  });

  it('is discussed, judged and resolved with an outcome like any thread; it cannot be re-attached', async () => {
    const n = (await create(ana, { tag: 'assessment', scope: 'document', comment: { body: doc('Overall: likely.') } })).json;
    const id = n.annotation.id;
    const reply = await comment(vic, id, { body: doc('Which part?'), parentId: n.comment.id });
    expect(reply.status).toBe(201);
    const judged = await patch(ana, id, { likelihood: 'likely', confidence: 'moderate', version: 1 });
    expect(judged.json.annotation).toMatchObject({ likelihood: 'likely', confidence: 'moderate', version: 2 });
    const resolved = await patch(ben, id, { status: 'resolved', outcome: 'accepted', outcomeRationale: 'Agreed', version: 2 });
    expect(resolved.json.annotation).toMatchObject({ status: 'resolved', outcome: 'accepted', scope: 'document' });
    const reattach = await patch(ana, id, { target: at('artillery shells'), version: 3 });
    expect(reattach.status).toBe(400);
    expect(reattach.json.error.details.map((d: { path: string[] }) => d.path.join('.'))).toEqual(['target']);
    const thread = await call(annotationRoute.GET, 'GET', `/api/annotations/${id}`, { cookie: vic, params: { id } });
    expect(thread.json.comments.map((c: { html: string }) => c.html)).toEqual(['<p>Overall: likely.</p>', '<p>Which part?</p>']);
  });

  it('gets the judgment checks but no wording check', async () => {
    const n = (await create(ana, { tag: 'assessment', scope: 'document' })).json.annotation;
    const checks = await call(checksRoute.GET, 'GET', `/api/documents/${documentId}/checks`, { cookie: vic, params: { id: documentId } });
    expect(checks.json.checks.filter((c: { annotationId: string }) => c.annotationId === n.id).map((c: { kind: string }) => c.kind))
      .toEqual(['missing_likelihood', 'missing_confidence', 'unsupported']);
  });

  it('is never re-anchored: it follows the document to each new revision, with its thread, and stays on the old one as it was', async () => {
    const note = (await create(ana, { tag: 'assessment', scope: 'document', comment: { body: doc('Whole piece') } })).json.annotation;
    const h = (await create(ana, { tag: 'evidence', target: at('artillery shells') })).json.annotation;
    const publish = (source: string) =>
      call(revisionsRoute.POST, 'POST', `/api/documents/${documentId}/revisions`, { cookie: adm, params: { id: documentId }, body: { format: 'markdown', source } });
    // Everything the note could have been "anchored" to is gone from the new text.
    const r2 = await publish('# Something else\n\nA wholly different text.\n');
    expect(r2.status).toBe(201);
    expect(r2.json.reanchored).toEqual({ kept: 0, moved: 0, fuzzy: 0, orphaned: 1 });
    const after = (await list(vic, '?include=comments')).json;
    expect(after.annotations.map((a: { id: string }) => a.id)).toEqual([note.id, h.id]);
    expect(after.annotations[0]).toMatchObject({
      scope: 'document', anchor: 'anchored', anchorMethod: 'created', revisionId: r2.json.revision.id, version: 2, commentCount: 1,
      target: { quote: { exact: '' }, position: { start: 0, end: 0 } },
    });
    expect(after.annotations[1]).toMatchObject({ anchor: 'orphaned' });
    expect(after.comments.map((c: { annotationId: string }) => c.annotationId)).toEqual([note.id]);
    // Twice over, and still discussable and resolvable on the newest revision.
    expect((await publish(SAMPLE_MD)).status).toBe(201);
    const [again] = (await list(vic)).json.annotations;
    expect(again).toMatchObject({ id: note.id, scope: 'document', anchor: 'anchored', version: 3 });
    expect((await comment(ben, note.id, { body: doc('Still stands') })).status).toBe(201);
    expect((await patch(ben, note.id, { status: 'resolved', outcome: 'accepted', version: 3 })).status).toBe(200);
    // The first revision shows it as it was then.
    const old = (await list(vic, `?revision=${revisionId}`)).json.annotations;
    expect(old.map((a: { id: string; scope: string }) => [a.id, a.scope])).toEqual([[note.id, 'document'], [h.id, 'passage']]);
  });
});
