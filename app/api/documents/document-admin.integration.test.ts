/**
 * Renaming, deleting and restoring documents through the real route handlers: who may, what is
 * validated, and that a deleted document is gone from every document route (404) until an admin
 * restores it, with everything on it intact.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as listRoute from '@/app/api/documents/route';
import * as docRoute from '@/app/api/documents/[id]/route';
import * as restoreRoute from '@/app/api/documents/[id]/restore/route';
import * as revisionsRoute from '@/app/api/documents/[id]/revisions/route';
import * as annotationsRoute from '@/app/api/documents/[id]/annotations/route';
import * as eventsRoute from '@/app/api/documents/[id]/events/route';
import * as annotationRoute from '@/app/api/annotations/[id]/route';
import * as annotationCommentsRoute from '@/app/api/annotations/[id]/comments/route';
import * as commentRoute from '@/app/api/comments/[id]/route';
import { describe as describeRange } from '@/lib/domain/anchoring';
import { MAX_TITLE_LENGTH } from '@/lib/domain/document-title';
import type { Role } from '@/lib/domain/tags';
import { createAnnotation } from '@/lib/server/annotations';
import { createComment } from '@/lib/server/comments';
import { db } from '@/lib/server/db';
import { doc, makeDocument, makeUser, resetDb, sessionToken } from '@/scripts/test/db';
import { call } from '@/scripts/test/http';

const as = async (role: Role) => ({ cookie: await sessionToken((await makeUser(role)).id) });

describe('document admin routes', () => {
  let admin: { cookie: string };
  let documentId: string;
  let text: string;
  beforeEach(async () => {
    await resetDb();
    admin = await as('admin');
    const d = await makeDocument();
    documentId = d.id;
    text = d.revision.text;
  });

  const rename = (who: { cookie?: string }, id: string, body: unknown) =>
    call(docRoute.PATCH, 'PATCH', `/api/documents/${id}`, { ...who, body, params: { id } });
  const remove = (who: { cookie?: string }, id: string) => call(docRoute.DELETE, 'DELETE', `/api/documents/${id}`, { ...who, params: { id } });
  const restore = (who: { cookie?: string }, id: string) => call(restoreRoute.POST, 'POST', `/api/documents/${id}/restore`, { ...who, params: { id } });
  const list = (who: { cookie?: string }, query = '') => call(listRoute.GET, 'GET', `/api/documents${query}`, who);

  it('an admin renames a document; the title is trimmed, the list and the event log say so', async () => {
    const r = await rename(admin, documentId, { title: '  Renamed report ' });
    expect(r.status).toBe(200);
    expect(r.json.document).toMatchObject({ id: documentId, title: 'Renamed report', deletedAt: null });
    expect((await list(admin)).json.documents.map((d: { title: string }) => d.title)).toEqual(['Renamed report']);
    const events = await db().event.findMany({ where: { documentId }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['document.created', 'document.renamed']);
    expect(events[1].payload).toEqual({ id: documentId, title: 'Renamed report', previousTitle: 'Sample' });
    // The same title again changes nothing and logs nothing.
    expect((await rename(admin, documentId, { title: 'Renamed report' })).status).toBe(200);
    expect(await db().event.count({ where: { documentId } })).toBe(2);
  });

  it('validates the new title like the create title', async () => {
    const bad: [unknown, string][] = [
      [{}, 'title'],
      [{ title: '' }, 'title'],
      [{ title: '   ' }, 'title'],
      [{ title: 'x'.repeat(MAX_TITLE_LENGTH + 1) }, 'title'],
      [{ title: 'a\u0000b' }, 'title'],
      [{ title: 'lone \ud800' }, 'title'],
      [{ title: 42 }, 'title'],
    ];
    for (const [body, field] of bad) {
      const r = await rename(admin, documentId, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.code).toBe('bad_request');
      expect(r.json.error.details.map((d: { path: string[] }) => d.path[0])).toContain(field);
    }
    expect((await rename(admin, documentId, { title: 'x'.repeat(MAX_TITLE_LENGTH) })).status).toBe(200);
    const badId = await rename(admin, 'bad\u0000id', { title: 'Fine' });
    expect(badId.status).toBe(400);
  });

  it('only admins rename, delete, restore or list deleted documents; anonymous callers get 401', async () => {
    for (const role of ['viewer', 'analyst'] as const) {
      const who = await as(role);
      for (const r of [await rename(who, documentId, { title: 'Mine' }), await remove(who, documentId), await restore(who, documentId), await list(who, '?deleted=true')]) {
        expect(r.status, role).toBe(403);
        expect(r.json.error.code).toBe('forbidden');
      }
      // Role first: a malformed body or an unknown id is still a 403, never a 400 or 404.
      expect((await rename(who, 'cmissing000000000000000000', { title: '' })).status).toBe(403);
    }
    for (const r of [await rename({}, documentId, { title: 'Mine' }), await remove({}, documentId), await restore({}, documentId), await list({}, '?deleted=true')]) {
      expect(r.status).toBe(401);
    }
    expect((await db().document.findUniqueOrThrow({ where: { id: documentId } })).title).toBe('Sample');
  });

  it('a deleted document is 404 on every document route for everyone, until an admin restores it intact', async () => {
    const analyst = await makeUser('analyst');
    const analystWho = { cookie: await sessionToken(analyst.id) };
    const i = text.indexOf('artillery shells');
    const made = await createAnnotation(analyst, documentId, { tag: 'evidence', target: describeRange(text, i, i + 16) });
    const annotationId = made.body.annotation.id;
    const commentId = (await createComment(analyst, annotationId, { body: doc('A comment') })).body.comment.id;

    const del = await remove(admin, documentId);
    expect(del.status).toBe(204);
    expect((await list(admin)).json.documents).toEqual([]);
    const deleted = await list(admin, '?deleted=true');
    expect(deleted.status).toBe(200);
    expect(deleted.json.documents).toHaveLength(1);
    expect(deleted.json.documents[0]).toMatchObject({ id: documentId, title: 'Sample', annotationCount: 1 });
    expect(typeof deleted.json.documents[0].deletedAt).toBe('string');

    const p = { params: { id: documentId } };
    const routes: [string, Promise<{ status: number }>][] = [
      ['GET doc', call(docRoute.GET, 'GET', `/api/documents/${documentId}`, { ...admin, ...p })],
      ['PATCH doc', rename(admin, documentId, { title: 'Again' })],
      ['DELETE doc', remove(admin, documentId)],
      ['GET revisions', call(revisionsRoute.GET, 'GET', `/api/documents/${documentId}/revisions`, { ...analystWho, ...p })],
      ['POST revision', call(revisionsRoute.POST, 'POST', `/api/documents/${documentId}/revisions`, { ...admin, ...p, body: { format: 'markdown', source: '# New' } })],
      ['GET annotations', call(annotationsRoute.GET, 'GET', `/api/documents/${documentId}/annotations`, { ...analystWho, ...p })],
      ['POST annotation', call(annotationsRoute.POST, 'POST', `/api/documents/${documentId}/annotations`, { ...analystWho, ...p, body: { tag: 'evidence', target: describeRange(text, i, i + 16) } })],
      ['GET events', call(eventsRoute.GET, 'GET', `/api/documents/${documentId}/events`, { ...analystWho, ...p })],
      ['GET annotation', call(annotationRoute.GET, 'GET', `/api/annotations/${annotationId}`, { ...analystWho, params: { id: annotationId } })],
      ['PATCH annotation', call(annotationRoute.PATCH, 'PATCH', `/api/annotations/${annotationId}`, { ...analystWho, params: { id: annotationId }, body: { status: 'resolved', version: 1 } })],
      ['DELETE annotation', call(annotationRoute.DELETE, 'DELETE', `/api/annotations/${annotationId}`, { ...admin, params: { id: annotationId } })],
      ['POST comment', call(annotationCommentsRoute.POST, 'POST', `/api/annotations/${annotationId}/comments`, { ...analystWho, params: { id: annotationId }, body: { body: doc('Late') } })],
      ['PATCH comment', call(commentRoute.PATCH, 'PATCH', `/api/comments/${commentId}`, { ...analystWho, params: { id: commentId }, body: { body: doc('Edited'), version: 1 } })],
      ['DELETE comment', call(commentRoute.DELETE, 'DELETE', `/api/comments/${commentId}`, { ...admin, params: { id: commentId } })],
    ];
    for (const [name, r] of routes) expect((await r).status, name).toBe(404);

    const back = await restore(admin, documentId);
    expect(back.status).toBe(200);
    expect(back.json.document).toMatchObject({ id: documentId, title: 'Sample', deletedAt: null });
    // Restoring again is harmless.
    expect((await restore(admin, documentId)).status).toBe(200);
    expect((await list(admin, '?deleted=true')).json.documents).toEqual([]);
    const listed = (await list(analystWho)).json.documents;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: documentId, annotationCount: 1 });
    expect(listed[0].deletedAt).toBeUndefined();
    const a = await call(annotationRoute.GET, 'GET', `/api/annotations/${annotationId}`, { ...analystWho, params: { id: annotationId } });
    expect(a.status).toBe(200);
    expect(a.json.comments.map((c: { id: string }) => c.id)).toEqual([commentId]);
    const types = (await db().event.findMany({ where: { documentId }, orderBy: { id: 'asc' } })).map((e) => e.type);
    expect(types.slice(-2)).toEqual(['document.deleted', 'document.restored']);
  });

  it('unknown documents are 404 to admins', async () => {
    const id = 'cmissing000000000000000000';
    expect((await rename(admin, id, { title: 'X' })).status).toBe(404);
    expect((await remove(admin, id)).status).toBe(404);
    expect((await restore(admin, id)).status).toBe(404);
    expect((await list(admin, '?deleted=maybe')).status).toBe(400);
  });
});
