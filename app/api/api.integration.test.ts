/**
 * The HTTP contract end to end through the real route handlers (route wrapper, auth, zod, error
 * envelope) against the real database. Requests are built as the browser or a script sends them.
 */
import { encode } from 'next-auth/jwt';
import { beforeEach, describe, expect, it } from 'vitest';
import { describe as describeRange } from '@/lib/domain/anchoring';
import { db } from '@/lib/server/db';
import { doc, makeDocument, resetDb, sessionToken } from '@/scripts/test/db';
import { call, ORIGIN, signUp, type CallOpts } from '@/scripts/test/http';
import * as annotationsRoute from './documents/[id]/annotations/route';
import * as annotationRoute from './annotations/[id]/route';
import * as commentsRoute from './annotations/[id]/comments/route';
import * as commentRoute from './comments/[id]/route';
import * as documentsRoute from './documents/route';
import * as meRoute from './me/route';
import * as sessionsRoute from './me/sessions/route';
import * as tokensRoute from './tokens/route';
import * as tokenRoute from './tokens/[id]/route';
import * as usersRoute from './users/route';
import * as userRoute from './users/[id]/route';

type Opts = CallOpts;

describe('HTTP API', () => {
  let documentId: string;
  let text: string;
  beforeEach(async () => {
    await resetDb();
    const d = await makeDocument();
    documentId = d.id;
    text = d.revision.text;
  });
  const target = () => {
    const i = text.indexOf('artillery shells');
    return describeRange(text, i, i + 16);
  };

  it('signs up the first account as admin, later ones as analysts; duplicates are 409', async () => {
    const a = await signUp('Ana');
    const b = await signUp('Ben');
    expect([a.role, b.role]).toEqual(['admin', 'analyst']);
    const dup = await call(usersRoute.POST, 'POST', '/api/users', { body: { email: 'ANA@example.test', name: 'Again', password: 'whatever123' } });
    expect(dup.status).toBe(409);
    expect(dup.json.error.code).toBe('conflict');
  });

  it('answers 400 with the offending fields named', async () => {
    const r = await call(usersRoute.POST, 'POST', '/api/users', { body: { email: 'nope', name: 'x', password: 'short' } });
    expect(r.status).toBe(400);
    expect(r.json.error.details.map((d: { path: string[] }) => d.path.join('.'))).toEqual(['email', 'password']);
    const long = await call(usersRoute.POST, 'POST', '/api/users', { body: { email: 'a@b.test', name: 'x', password: 'p'.repeat(129) } });
    expect(long.status).toBe(400);
  });

  it('requires a session (401) and tells who is signed in', async () => {
    expect((await call(meRoute.GET, 'GET', '/api/me')).json).toEqual({ error: { code: 'unauthorized', message: 'Sign in first' } });
    const a = await signUp('Ana');
    const me = await call(meRoute.GET, 'GET', '/api/me', { cookie: a.cookie });
    expect(me.json.user).toMatchObject({ id: a.id, name: 'Ana', role: 'admin' });
    const forged = await encode({ token: { uid: a.id, sv: 0 }, secret: 'another-secret-another-secret-another' });
    expect((await call(meRoute.GET, 'GET', '/api/me', { cookie: forged })).status).toBe(401);
  });

  it('rejects malformed, mistyped, oversized and out-of-range input without writing', async () => {
    const a = await signUp('Ana');
    const post = (o: Opts) => call(annotationsRoute.POST, 'POST', `/api/documents/${documentId}/annotations`, { cookie: a.cookie, params: { id: documentId }, ...o });
    expect((await post({ raw: '{"tag":' })).json.error.code).toBe('bad_request');
    expect((await post({ raw: '{}', headers: { 'content-type': 'text/plain' } })).status).toBe(400);
    expect((await post({ body: { tag: 'rumour', target: target() } })).json.error.details[0].path).toEqual(['tag']);
    expect((await post({ body: { tag: 'evidence', target: { ...target(), position: { start: -1, end: 5 } } } })).status).toBe(400);
    expect((await post({ body: { tag: 'evidence', target: { ...target(), position: { start: 9, end: 3 } } } })).status).toBe(400);
    expect((await post({ body: { tag: 'evidence', target: { ...target(), position: { start: '1', end: 3 } } } })).status).toBe(400);
    expect((await post({ body: { tag: 'evidence', target: { ...target(), position: { start: 0, end: 16 } } } })).status).toBe(422);
    const huge = await post({ raw: JSON.stringify({ tag: 'evidence', target: target(), pad: 'x'.repeat(1024 * 1024) }) });
    expect(huge.status).toBe(413);
    expect(huge.json.error.code).toBe('payload_too_large');
    expect((await post({ body: { tag: 'evidence', target: target(), comment: { body: doc('y'.repeat(20_001)) } } })).status).toBe(413);
    expect(await db().annotation.count()).toBe(0);
  });

  it('refuses cookie-authenticated writes from another origin; tokens are exempt', async () => {
    const a = await signUp('Ana');
    const body = { tag: 'evidence', target: target() };
    const at = (headers: Record<string, string>, auth: Partial<Opts>) =>
      call(annotationsRoute.POST, 'POST', `/api/documents/${documentId}/annotations`, { body, headers, params: { id: documentId }, ...auth });
    expect((await at({ origin: 'https://evil.example' }, { cookie: a.cookie })).status).toBe(403);
    expect((await at({ 'sec-fetch-site': 'cross-site' }, { cookie: a.cookie })).status).toBe(403);
    expect((await at({ origin: ORIGIN, 'sec-fetch-site': 'same-origin' }, { cookie: a.cookie })).status).toBe(201);
    const tok = await call(tokensRoute.POST, 'POST', '/api/tokens', { body: { name: 'script' }, cookie: a.cookie, headers: { origin: ORIGIN } });
    expect(tok.status).toBe(201);
    expect((await at({ origin: 'https://evil.example' }, { token: tok.json.token })).status).toBe(201);
    expect((await call(tokenRoute.DELETE, 'DELETE', `/api/tokens/${tok.json.id}`, { cookie: a.cookie, params: { id: tok.json.id } })).status).toBe(204);
    const revoked = await at({}, { token: tok.json.token });
    expect(revoked.status).toBe(401);
    expect(revoked.json.error.code).toBe('unauthorized');
  });

  it('runs the thread life cycle with the documented statuses', async () => {
    const a = await signUp('Ana');
    const b = await signUp('Ben');
    const created = await call(annotationsRoute.POST, 'POST', `/api/documents/${documentId}/annotations`, {
      cookie: a.cookie, params: { id: documentId }, headers: { 'idempotency-key': 'once' },
      body: { tag: 'speculation', target: target(), comment: { body: doc('Who reports this?') } },
    });
    expect(created.status).toBe(201);
    const again = await call(annotationsRoute.POST, 'POST', `/api/documents/${documentId}/annotations`, {
      cookie: a.cookie, params: { id: documentId }, headers: { 'idempotency-key': 'once' },
      body: { tag: 'speculation', target: target(), comment: { body: doc('Who reports this?') } },
    });
    expect(again.json.annotation.id).toBe(created.json.annotation.id);
    const id = created.json.annotation.id as string;
    const commentId = created.json.comment.id as string;

    const list = await call(annotationsRoute.GET, 'GET', `/api/documents/${documentId}/annotations?include=comments`, { cookie: b.cookie, params: { id: documentId } });
    expect(list.json.annotations).toHaveLength(1);
    expect(list.json.comments).toHaveLength(1);
    expect((await call(annotationsRoute.GET, 'GET', `/api/documents/${documentId}/annotations?tag=bogus`, { cookie: b.cookie, params: { id: documentId } })).status).toBe(400);

    const reply = await call(commentsRoute.POST, 'POST', `/api/annotations/${id}/comments`, { cookie: b.cookie, params: { id }, body: { body: doc('Satellite imagery'), parentId: commentId } });
    expect(reply.status).toBe(201);
    expect((await call(commentRoute.PATCH, 'PATCH', `/api/comments/${commentId}`, { cookie: b.cookie, params: { id: commentId }, body: { body: doc('mine now'), version: 1 } })).status).toBe(403);
    expect((await call(commentRoute.DELETE, 'DELETE', `/api/comments/${commentId}`, { cookie: b.cookie, params: { id: commentId } })).status).toBe(403);
    expect((await call(commentRoute.PATCH, 'PATCH', `/api/comments/nope`, { cookie: b.cookie, params: { id: 'nope' }, body: { body: doc('x'), version: 1 } })).status).toBe(404);

    const resolved = await call(annotationRoute.PATCH, 'PATCH', `/api/annotations/${id}`, { cookie: a.cookie, params: { id }, body: { status: 'resolved', version: 1 } });
    expect(resolved.json.annotation).toMatchObject({ status: 'resolved', version: 2 });
    const stale = await call(annotationRoute.PATCH, 'PATCH', `/api/annotations/${id}`, { cookie: b.cookie, params: { id }, body: { status: 'open', version: 1 } });
    expect(stale.status).toBe(409);
    const got = await call(annotationRoute.GET, 'GET', `/api/annotations/${id}`, { cookie: b.cookie, params: { id } });
    expect(got.json.comments.map((c: { parentId: string | null }) => c.parentId)).toEqual([null, commentId]);
    expect((await call(annotationRoute.DELETE, 'DELETE', `/api/annotations/${id}`, { cookie: b.cookie, params: { id } })).status).toBe(403);
    expect((await call(annotationRoute.DELETE, 'DELETE', `/api/annotations/${id}`, { cookie: a.cookie, params: { id } })).status).toBe(204);
    expect((await call(annotationRoute.GET, 'GET', `/api/annotations/${id}`, { cookie: b.cookie, params: { id } })).status).toBe(404);
  });

  it('applies a role change and a deactivation on the very next request', async () => {
    const a = await signUp('Ana');
    const b = await signUp('Ben');
    const patch = (body: unknown) => call(userRoute.PATCH, 'PATCH', `/api/users/${b.id}`, { cookie: a.cookie, params: { id: b.id }, body });
    expect((await call(userRoute.PATCH, 'PATCH', `/api/users/${a.id}`, { cookie: b.cookie, params: { id: a.id }, body: { role: 'viewer' } })).status).toBe(403);
    expect((await patch({ role: 'viewer' })).status).toBe(200);
    const asViewer = await call(annotationsRoute.POST, 'POST', `/api/documents/${documentId}/annotations`, { cookie: b.cookie, params: { id: documentId }, body: { tag: 'evidence', target: target() } });
    expect(asViewer.status).toBe(403);
    expect((await patch({ active: false })).status).toBe(200);
    expect((await call(meRoute.GET, 'GET', '/api/me', { cookie: b.cookie })).status).toBe(401);
    const users = await call(usersRoute.GET, 'GET', '/api/users', { cookie: a.cookie });
    expect(users.json.users.map((u: { active: boolean }) => u.active)).toEqual([true, false]);
    const lastAdmin = await call(userRoute.PATCH, 'PATCH', `/api/users/${a.id}`, { cookie: a.cookie, params: { id: a.id }, body: { role: 'analyst' } });
    expect(lastAdmin.status).toBe(409);
  });

  it('signs out everywhere: every session of the user ends at once', async () => {
    const a = await signUp('Ana');
    const other = await sessionToken(a.id);
    expect((await call(sessionsRoute.DELETE, 'DELETE', '/api/me/sessions', { cookie: a.cookie })).status).toBe(200);
    expect((await call(meRoute.GET, 'GET', '/api/me', { cookie: a.cookie })).status).toBe(401);
    expect((await call(meRoute.GET, 'GET', '/api/me', { cookie: other })).status).toBe(401);
  });

  it('lists documents for any member and lets only admins add one', async () => {
    const a = await signUp('Ana');
    const b = await signUp('Ben');
    const list = await call(documentsRoute.GET, 'GET', '/api/documents', { cookie: b.cookie });
    expect(list.json.documents).toEqual([expect.objectContaining({ id: documentId, title: 'Sample', revision: expect.objectContaining({ number: 1 }), annotationCount: 0 })]);
    const body = { title: 'Notes', format: 'markdown', source: '# Notes\n\nA *new* document.' };
    expect((await call(documentsRoute.POST, 'POST', '/api/documents', { cookie: b.cookie, body })).status).toBe(403);
    const made = await call(documentsRoute.POST, 'POST', '/api/documents', { cookie: a.cookie, body });
    expect(made.status).toBe(201);
    expect(made.json.document.revision.text).toBe('Notes\nA new document.');
  });

  it('imports documents up to 2 MiB of source (HTML sanitised) and refuses more with 413', async () => {
    const a = await signUp('Ana');
    const para = '<p>' + 'Evidence gathered from open sources. '.repeat(50) + '</p>\n';
    const big = '<h1>Big</h1><script>alert(1)</script>' + para.repeat(Math.floor((1.9 * 1024 * 1024) / para.length));
    const made = await call(documentsRoute.POST, 'POST', '/api/documents', { cookie: a.cookie, body: { title: 'Big', format: 'html', source: big } });
    expect(made.status).toBe(201);
    expect(made.json.document.revision.text.startsWith('Big\nEvidence gathered')).toBe(true);
    expect(made.json.document.revision.text).not.toContain('alert');
    const tooBig = await call(documentsRoute.POST, 'POST', '/api/documents', { cookie: a.cookie, body: { title: 'Big', format: 'text', source: 'x'.repeat(2 * 1024 * 1024 + 1) } });
    expect(tooBig.status).toBe(400); // the schema's 2 MiB limit names the field
    expect(tooBig.json.error.details[0].path).toEqual(['source']);
    const huge = await call(documentsRoute.POST, 'POST', '/api/documents', { cookie: a.cookie, raw: JSON.stringify({ title: 'x', format: 'text', source: 'x'.repeat(9 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);
  });

  it('publishes a revision through the route and lists revisions', async () => {
    const a = await signUp('Ana');
    const revisionsRoute = await import('./documents/[id]/revisions/route');
    const r = await call(revisionsRoute.POST, 'POST', `/api/documents/${documentId}/revisions`, { cookie: a.cookie, params: { id: documentId }, body: { format: 'markdown', source: '# Sample\n\nNew text.' } });
    expect(r.status).toBe(201);
    expect(r.json.revision.number).toBe(2);
    const list = await call(revisionsRoute.GET, 'GET', `/api/documents/${documentId}/revisions`, { cookie: a.cookie, params: { id: documentId } });
    expect(list.json.revisions.map((x: { number: number }) => x.number)).toEqual([2, 1]);
    const both = await call(revisionsRoute.POST, 'POST', `/api/documents/${documentId}/revisions`, { cookie: a.cookie, params: { id: documentId }, body: { format: 'text', source: 'x', content: { type: 'doc' } } });
    expect(both.status).toBe(400);
  });

  it('answers unknown routes and unknown failures in the envelope', async () => {
    const { GET } = await import('./[...rest]/route');
    const r = await call(GET, 'GET', '/api/nowhere');
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('not_found');
  });
});
