/**
 * The W3C Web Annotation Protocol (docs/api.md, "Web Annotation Protocol") through the real
 * route handlers and PostgreSQL: the container's headers, negotiation, each Prefer, paging,
 * POST → 201 → GET, ETags with If-Match, PUT, DELETE, a Hypothesis-style post, access and the
 * trailing slash.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { describe as describeRange } from '@/lib/domain/anchoring';
import { createAnnotation } from '@/lib/server/annotations';
import { createComment } from '@/lib/server/comments';
import { db } from '@/lib/server/db';
import { createToken } from '@/lib/server/tokens';
import { doc, makeDocument, makeUser, resetDb, sessionToken } from '@/scripts/test/db';
import { call, ORIGIN, type CallOpts } from '@/scripts/test/http';
import * as containerRoute from '@/app/api/w3c/documents/[id]/route';
import * as annotationRoute from '@/app/api/w3c/documents/[id]/[annotationId]/route';

const LD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"';
const MD = '# Report\n\nReports indicate artillery shells were shipped in May. A second sentence names the port of Odesa.\n';
const IRIS = 'http://www.w3.org/ns/oa#PreferContainedIRIs';
const DESCRIPTIONS = 'http://www.w3.org/ns/oa#PreferContainedDescriptions';
const MINIMAL = 'http://www.w3.org/ns/ldp#PreferMinimalContainer';
const prefer = (...iris: string[]) => ({ prefer: `return=representation; include="${iris.join(' ')}"` });

let admin: Awaited<ReturnType<typeof makeUser>>;
let analyst: Awaited<ReturnType<typeof makeUser>>;
let other: Awaited<ReturnType<typeof makeUser>>;
let cookies: Record<'admin' | 'analyst' | 'other' | 'viewer', string>;
let documentId = '';
let text = '';
let existingId = '';

const container = (id = documentId) => `/api/w3c/documents/${id}/`;
const getC = (query = '', o: CallOpts = {}, method = 'GET') =>
  call(containerRoute[method as 'GET'], method, `${container()}${query}`, { cookie: cookies.analyst, params: { id: documentId }, ...o });
const one = (method: 'GET' | 'HEAD' | 'OPTIONS' | 'PUT' | 'DELETE', annotationId: string, o: CallOpts = {}) =>
  call(annotationRoute[method], method, `${container()}${annotationId}`, { cookie: cookies.analyst, params: { id: documentId, annotationId }, ...o });
const post = (body: unknown, o: CallOpts = {}) =>
  call(containerRoute.POST, 'POST', container(), { cookie: cookies.analyst, params: { id: documentId }, body, headers: { 'content-type': LD }, ...o });

/** A W3C annotation on the document, as another tool would post it. */
function posted(exact: string, extra: Record<string, unknown> = {}) {
  const start = text.indexOf(exact);
  return {
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    type: 'Annotation',
    body: [
      { type: 'TextualBody', purpose: 'commenting', value: 'Which shipment?', format: 'text/plain' },
      { type: 'TextualBody', purpose: 'classifying', value: 'evidence' },
    ],
    target: {
      source: `${ORIGIN}/api/documents/${documentId}`,
      selector: [{ type: 'TextQuoteSelector', exact }, { type: 'TextPositionSelector', start, end: start + exact.length }],
    },
    ...extra,
  };
}

beforeAll(async () => {
  await resetDb();
  admin = await makeUser('admin', 'Ada Admin');
  analyst = await makeUser('analyst', 'Ana Analyst');
  other = await makeUser('analyst', 'Otto Other');
  const viewer = await makeUser('viewer');
  cookies = { admin: await sessionToken(admin.id), analyst: await sessionToken(analyst.id), other: await sessionToken(other.id), viewer: await sessionToken(viewer.id) };
  const d = await makeDocument(MD);
  documentId = d.id;
  text = d.revision.text;
  const i = text.indexOf('Odesa');
  existingId = (await createAnnotation(analyst, documentId, { tag: 'assessment', target: describeRange(text, i, i + 5), comment: { body: doc('A port') } })).body.annotation.id;
});

describe('the container', () => {
  it('answers GET with the LDP and protocol headers, JSON-LD by default, the annotations described', async () => {
    const r = await getC();
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(LD);
    expect(r.headers.get('link')).toContain('<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"');
    expect(r.headers.get('link')).toContain('<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"');
    expect(r.headers.get('allow')).toBe('GET, HEAD, OPTIONS, POST');
    expect(r.headers.get('accept-post')).toContain('application/ld+json');
    expect(r.headers.get('vary')).toBe('Accept, Prefer');
    expect(r.headers.get('etag')).toMatch(/^"[\w-]+"$/);
    expect(r.headers.get('content-location')).toBe(`${ORIGIN}${container()}?iris=0`);
    expect(r.headers.get('preference-applied')).toBeNull();
    expect(r.json['@context']).toEqual(['http://www.w3.org/ns/anno.jsonld', 'http://www.w3.org/ns/ldp.jsonld']);
    expect(r.json.type).toEqual(['BasicContainer', 'AnnotationCollection']);
    expect(r.json).toMatchObject({ total: 1, label: 'Sample', last: `${ORIGIN}${container()}?iris=0&page=0` });
    expect(r.json.first.items).toHaveLength(1);
    expect(r.json.first.items[0]).toMatchObject({ id: `${ORIGIN}${container()}${existingId}`, type: 'Annotation' });
  });

  it('HEAD has the same headers and no body; OPTIONS says what is allowed', async () => {
    const g = await getC();
    const h = await getC('', {}, 'HEAD');
    expect(h.status).toBe(200);
    expect(h.text).toBe('');
    expect(h.headers.get('etag')).toBe(g.headers.get('etag'));
    expect(h.headers.get('link')).toBe(g.headers.get('link'));
    const o = await getC('', {}, 'OPTIONS');
    expect(o.status).toBe(204);
    expect(o.headers.get('allow')).toBe('GET, HEAD, OPTIONS, POST');
    expect(o.headers.get('accept-post')).toContain('application/ld+json');
  });

  it('negotiates: JSON when preferred, 406 for what it cannot give; If-None-Match gives 304', async () => {
    const json = await getC('', { headers: { accept: 'application/json' } });
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(json.headers.get('etag')).not.toBe((await getC()).headers.get('etag'));
    expect((await getC('', { headers: { accept: 'application/ld+json;q=0.5, application/json' } })).headers.get('content-type')).toBe('application/json');
    expect((await getC('', { headers: { accept: 'application/ld+json' } })).headers.get('content-type')).toBe(LD);
    expect((await getC('', { headers: { accept: '*/*' } })).headers.get('content-type')).toBe(LD);
    const no = await getC('', { headers: { accept: 'text/turtle' } });
    expect(no.status).toBe(406);
    expect(no.json.error.code).toBe('not_acceptable');
    expect((await getC('', { headers: { accept: 'application/ld+json; profile="http://example.org/other"' } })).status).toBe(406);
    const etag = (await getC()).headers.get('etag')!;
    const again = await getC('', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('honours each Prefer: IRIs, descriptions, minimal, and says so', async () => {
    const iris = await getC('', { headers: prefer(IRIS) });
    expect(iris.headers.get('preference-applied')).toBe(`return=representation; include="${IRIS}"`);
    expect(iris.headers.get('content-location')).toBe(`${ORIGIN}${container()}?iris=1`);
    expect(iris.json.first.items).toEqual([`${ORIGIN}${container()}${existingId}`]);

    const desc = await getC('', { headers: prefer(DESCRIPTIONS) });
    expect(desc.headers.get('preference-applied')).toBe(`return=representation; include="${DESCRIPTIONS}"`);
    expect(desc.json.first.items[0].type).toBe('Annotation');

    const minimal = await getC('', { headers: prefer(MINIMAL, IRIS) });
    expect(minimal.headers.get('preference-applied')).toBe(`return=representation; include="${MINIMAL} ${IRIS}"`);
    expect(minimal.json.first).toBe(`${ORIGIN}${container()}?iris=1&page=0`);
    expect(minimal.json.total).toBe(1);
    expect(minimal.headers.get('etag')).not.toBe(iris.headers.get('etag'));

    // The view named in the query wins over the header.
    const q = await getC('?iris=1', { headers: prefer(DESCRIPTIONS) });
    expect(q.json.first.items).toEqual([`${ORIGIN}${container()}${existingId}`]);
    expect((await getC('?iris=2')).status).toBe(400);
  });

  it('pages: partOf, startIndex, next and prev; total, first and last on the container; 404 past the end', async () => {
    const d = await makeDocument(MD);
    const rev = (await db().document.findUniqueOrThrow({ where: { id: d.id } })).currentRevisionId!;
    const at = d.revision.text.indexOf('artillery');
    await db().annotation.createMany({
      data: Array.from({ length: 205 }, () => ({ documentId: d.id, revisionId: rev, authorId: analyst.id, tag: 'evidence' as const, exact: 'artillery', start: at, end: at + 9 })),
    });
    const get = (query: string) => call(containerRoute.GET, 'GET', `${container(d.id)}${query}`, { cookie: cookies.viewer, params: { id: d.id } });
    const c = await get('');
    expect(c.json.total).toBe(205);
    expect(c.json.first.items).toHaveLength(200);
    expect(c.json.first.next).toBe(`${ORIGIN}${container(d.id)}?iris=0&page=1`);
    expect(c.json.last).toBe(`${ORIGIN}${container(d.id)}?iris=0&page=1`);
    const p1 = await get('?iris=1&page=1');
    expect(p1.status).toBe(200);
    expect(p1.headers.get('content-location')).toBe(`${ORIGIN}${container(d.id)}?iris=1&page=1`);
    expect(p1.json).toMatchObject({
      type: 'AnnotationPage', startIndex: 200, prev: `${ORIGIN}${container(d.id)}?iris=1&page=0`,
      partOf: { id: `${ORIGIN}${container(d.id)}?iris=1`, total: 205 },
    });
    expect(p1.json.next).toBeUndefined();
    expect(p1.json.items).toHaveLength(5);
    expect((await get('?page=2')).status).toBe(404);
  });
});

describe('creating, reading, replacing and deleting', () => {
  let id = '';
  let location = '';
  let etag = '';

  it('POST makes a highlight (its TextualBody the first comment, the classifying body the tag): 201, Location, then GET it back', async () => {
    const r = await post(posted('artillery shells', { id: 'urn:uuid:0b5d2c1e-1', canonical: 'urn:uuid:canonical-1' }));
    expect(r.status, r.text).toBe(201);
    location = r.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${ORIGIN}${container()}\\w+$`));
    expect(r.headers.get('content-location')).toBe(location);
    expect(r.headers.get('link')).toContain('<http://www.w3.org/ns/ldp#Resource>; rel="type"');
    expect(r.headers.get('etag')).toBeTruthy();
    id = location.split('/').pop()!;
    expect(r.json).toMatchObject({ id: location, canonical: 'urn:uuid:canonical-1', via: 'urn:uuid:0b5d2c1e-1', creator: { name: 'Ana Analyst' } });

    const a = await db().annotation.findUniqueOrThrow({ where: { id }, include: { comments: true } });
    expect(a).toMatchObject({ tag: 'evidence', exact: 'artillery shells', authorId: analyst.id });
    expect(a.comments.map((c) => c.text)).toEqual(['Which shipment?']);

    const g = await one('GET', id);
    expect(g.status).toBe(200);
    expect(g.headers.get('content-type')).toBe(LD);
    expect(g.headers.get('allow')).toBe('GET, HEAD, OPTIONS, PUT, DELETE');
    expect(g.headers.get('vary')).toBe('Accept');
    expect(g.headers.get('etag')).toBe(r.headers.get('etag'));
    expect(g.json).toMatchObject({ '@context': 'http://www.w3.org/ns/anno.jsonld', id: location, canonical: 'urn:uuid:canonical-1' });
    expect(g.json.body[0]).toMatchObject({ purpose: 'classifying', value: 'evidence' });
    expect(g.json.target.selector[0]).toMatchObject({ type: 'TextQuoteSelector', exact: 'artillery shells' });
    etag = g.headers.get('etag')!;
    expect((await one('HEAD', id)).headers.get('etag')).toBe(etag);
    expect((await one('OPTIONS', id)).status).toBe(204);
  });

  it('the ETag changes with the thread; a stale If-Match is 412, a current one passes (PUT retags and moves)', async () => {
    await createComment(other, id, { body: doc('Reuters, 12 May') });
    const fresh = (await one('GET', id)).headers.get('etag')!;
    expect(fresh).not.toBe(etag);
    const body = posted('artillery shells were shipped', { body: [{ type: 'TextualBody', purpose: 'classifying', value: 'speculation' }] });
    const stale = await one('PUT', id, { body, headers: { 'content-type': LD, 'if-match': etag } });
    expect(stale.status).toBe(412);
    expect(stale.json.error.code).toBe('precondition_failed');
    const ok = await one('PUT', id, { body, headers: { 'content-type': LD, 'if-match': fresh } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.headers.get('etag')).not.toBe(fresh);
    const a = await db().annotation.findUniqueOrThrow({ where: { id } });
    expect(a).toMatchObject({ tag: 'speculation', exact: 'artillery shells were shipped', version: 2 });
    // Comments stay; canonical stays.
    expect(ok.json.body.filter((b: { purpose: string }) => b.purpose === 'commenting' || b.purpose === 'replying')).toHaveLength(2);
    expect(ok.json.canonical).toBe('urn:uuid:canonical-1');
  });

  it('PUT follows PATCH’s rules: another analyst 403, a viewer 403, a body of another shape 400 naming the field, another target 422', async () => {
    const body = posted('artillery shells');
    expect((await one('PUT', id, { body, cookie: cookies.other, headers: { 'content-type': LD } })).status).toBe(403);
    expect((await one('PUT', id, { body, cookie: cookies.viewer, headers: { 'content-type': LD } })).status).toBe(403);
    const bad = await one('PUT', id, { body: { ...body, target: 42 }, headers: { 'content-type': LD } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('target');
    const elsewhere = await one('PUT', id, { body: { ...body, target: { ...body.target, source: 'https://example.org/page' } }, headers: { 'content-type': LD } });
    expect(elsewhere.status).toBe(422);
    expect((await one('PUT', id, { body, headers: { 'content-type': 'text/plain' } })).status).toBe(415);
  });

  it('DELETE with a stale If-Match is 412; then 204, and the annotation is gone (410)', async () => {
    expect((await one('DELETE', id, { headers: { 'if-match': '"stale"' } })).status).toBe(412);
    const r = await one('DELETE', id, { headers: { 'if-match': (await one('GET', id)).headers.get('etag')! } });
    expect(r.status).toBe(204);
    const g = await one('GET', id);
    expect(g.status).toBe(410);
    expect(g.json.error.code).toBe('gone');
    expect((await one('GET', 'cmissing000000000000000000')).status).toBe(404);
    // An annotation of another document is not in this container.
    const d2 = await makeDocument(MD);
    const i = text.indexOf('artillery');
    const elsewhere = (await createAnnotation(analyst, d2.id, { tag: 'evidence', target: describeRange(text, i, i + 9) })).body.annotation.id;
    expect((await one('GET', elsewhere)).status).toBe(404);
  });

  it('takes a Hypothesis-style annotation (tags, markdown text, a RangeSelector first, acct: creator) and the revision IRI as source', async () => {
    const rev = (await db().document.findUniqueOrThrow({ where: { id: documentId } })).currentRevisionId!;
    const exact = 'port of Odesa';
    const start = text.indexOf(exact);
    const r = await post({
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      type: 'Annotation',
      id: 'https://hypothes.is/a/XyZ123',
      creator: 'acct:bob@hypothes.is',
      created: '2024-05-01T10:00:00.000Z',
      body: [
        { type: 'TextualBody', value: 'Is this **the** port?', format: 'text/markdown' },
        { type: 'TextualBody', purpose: 'tagging', value: 'Assessment' },
      ],
      target: [{
        source: `${ORIGIN}/api/documents/${documentId}?revision=${rev}`,
        selector: [
          { type: 'RangeSelector', startContainer: '/p[1]', startOffset: 0, endContainer: '/p[1]', endOffset: 5 },
          { type: 'TextPositionSelector', start, end: start + exact.length },
          { type: 'TextQuoteSelector', exact, prefix: 'names the ', suffix: '.' },
        ],
      }],
    }, { headers: { 'content-type': 'application/json' } });
    expect(r.status, r.text).toBe(201);
    const a = await db().annotation.findUniqueOrThrow({ where: { id: r.headers.get('location')!.split('/').pop()! }, include: { comments: true } });
    expect(a).toMatchObject({ tag: 'assessment', exact, w3cVia: 'https://hypothes.is/a/XyZ123' });
    expect(a.comments[0].text).toContain('bob, 2024-05-01');
  });

  it('a target that is the document without a selector makes a page note; PUT keeps it one', async () => {
    const r = await post({ type: 'Annotation', body: [{ type: 'TextualBody', value: 'About the whole report' }, { type: 'TextualBody', purpose: 'classifying', value: 'assessment' }], target: `${ORIGIN}/api/documents/${documentId}` });
    expect(r.status, r.text).toBe(201);
    const noteId = r.headers.get('location')!.split('/').pop()!;
    const a = await db().annotation.findUniqueOrThrow({ where: { id: noteId }, include: { comments: true } });
    expect(a).toMatchObject({ scope: 'document', tag: 'assessment' });
    expect(a.comments.map((c) => c.text)).toEqual(['About the whole report']);
    expect(r.json).toMatchObject({ motivation: 'commenting', target: expect.stringContaining(`/api/documents/${documentId}?revision=`) });
    const put = await one('PUT', noteId, { body: { type: 'Annotation', body: { type: 'TextualBody', purpose: 'classifying', value: 'speculation' }, target: { source: `${ORIGIN}/documents/${documentId}` } }, headers: { 'content-type': LD } });
    expect(put.status, put.text).toBe(200);
    expect((await db().annotation.findUniqueOrThrow({ where: { id: noteId } })).tag).toBe('speculation');
    const toPassage = await one('PUT', noteId, { body: posted('artillery shells'), headers: { 'content-type': LD } });
    expect(toPassage.status).toBe(422);
    expect(toPassage.json.error.details.reason).toBe('scope');
  });

  it('refuses a target elsewhere or a passage not in the document with 422, other shapes with 400 or 415', async () => {
    const elsewhere = await post({ ...posted('artillery shells'), target: { source: 'https://example.org/', selector: { type: 'TextQuoteSelector', exact: 'artillery shells' } } });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.json.error.details.reason).toBe('other_target');
    const missing = await post({ ...posted('artillery shells'), target: { source: `${ORIGIN}/api/documents/${documentId}`, selector: { type: 'TextQuoteSelector', exact: 'words that are not there' } } });
    expect(missing.status).toBe(422);
    expect((await post({ type: 'AnnotationPage', items: [] })).status).toBe(400);
    expect((await post(posted('artillery shells'), { headers: { 'content-type': 'text/turtle' } })).status).toBe(415);
  });
});

describe('access and addresses', () => {
  it('a viewer cannot POST (403 before the body is read); anonymous is 401; an API token works', async () => {
    const v = await post('{"type":', { cookie: cookies.viewer, body: undefined, raw: '{"type":' });
    expect(v.status).toBe(403);
    const anon = await call(containerRoute.GET, 'GET', container(), { params: { id: documentId } });
    expect(anon.status).toBe(401);
    expect(anon.json.error.code).toBe('unauthorized');
    const { token } = await createToken(analyst, 'tool');
    const t = await post(posted('second sentence'), { cookie: undefined, token });
    expect(t.status, t.text).toBe(201);
  });

  it('the container without its trailing slash, and an annotation with one, are 308s to the right spelling (query kept)', async () => {
    const r = await call(containerRoute.GET, 'GET', `/api/w3c/documents/${documentId}?iris=1`, { cookie: cookies.analyst, params: { id: documentId } });
    expect(r.status).toBe(308);
    expect(r.headers.get('location')).toBe(`/api/w3c/documents/${documentId}/?iris=1`);
    const p = await call(containerRoute.POST, 'POST', `/api/w3c/documents/${documentId}`, { cookie: cookies.analyst, params: { id: documentId }, body: {} });
    expect(p.status).toBe(308);
    const a = await call(annotationRoute.GET, 'GET', `${container()}${existingId}/`, { cookie: cookies.analyst, params: { id: documentId, annotationId: existingId } });
    expect(a.status).toBe(308);
    expect(a.headers.get('location')).toBe(`${container()}${existingId}`);
  });
});
