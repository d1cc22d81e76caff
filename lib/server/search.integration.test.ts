import { beforeEach, describe, expect, it } from 'vitest';
import { describe as describeRange } from '@/lib/domain/anchoring';
import { ZListAnnotationsQuerySchema } from '@/lib/domain/api-schemas';
import { doc, makeDocument, makeUser, resetDb, sessionToken } from '@/scripts/test/db';
import { call } from '@/scripts/test/http';
import * as annotationsRoute from '@/app/api/documents/[id]/annotations/route';
import * as searchRoute from '@/app/api/search/route';
import { createAnnotation, listAnnotations, patchAnnotation } from './annotations';
import { createComment } from './comments';
import { db } from './db';
import { deleteDocument } from './document-admin';
import { search, searchTerms } from './search';

const MD = `# Missiles

North Korea shipped KN-23 missiles to Russia in late 2023.

Artillery shells followed by rail, according to satellite imagery.

Kim Jong-un met the delegation at the Vostochny cosmodrome.
`;

async function setup() {
  await resetDb();
  const d = await makeDocument(MD);
  const ana = await makeUser('analyst', 'Ana');
  const ben = await makeUser('analyst', 'Ben');
  const viewer = await makeUser('viewer', 'Vic');
  const admin = await makeUser('admin', 'Adm');
  const text = d.revision.text;
  const at = (quote: string, docText = text) => {
    const i = docText.indexOf(quote);
    if (i < 0) throw new Error(quote);
    return describeRange(docText, i, i + quote.length);
  };
  return { d, ana, ben, viewer, admin, text, at };
}

describe('full-text search', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    s = await setup();
  });

  const list = async (q: Record<string, string>, who = s.viewer) =>
    (await listAnnotations(who, s.d.id, ZListAnnotationsQuerySchema.parse(q))).map((a) => a.target.quote.exact);

  it('builds its queries from words only: tsquery syntax in the input is text', async () => {
    expect(await searchTerms("missiles & !(shells) | 'x':* <-> \\")).toEqual({
      english: "'missil' & 'shell' & 'x':*",
      simple: "'missiles' & 'shells' & 'x':*",
    });
    expect(await searchTerms('the')).toEqual({ english: '', simple: "'the':*" });
    expect(await searchTerms("o'brien")).toEqual({ english: "'o' & 'brien':*", simple: "'o' & 'brien':*" });
    const r = await search(s.viewer, { q: "'):* & (", limit: 20 });
    expect(r.total).toBe(0);
  });

  it('ranks over quotes and comments, stems, and takes the last word as a prefix', async () => {
    const missiles = (await createAnnotation(s.ana, s.d.id, { tag: 'evidence', target: s.at('KN-23 missiles') })).body.annotation;
    const shells = (await createAnnotation(s.ana, s.d.id, { tag: 'evidence', target: s.at('Artillery shells'), comment: { body: doc('Missile parts too? The missile count is unclear, missile sites unknown.') } })).body.annotation;
    const kim = (await createAnnotation(s.ben, s.d.id, { tag: 'speculation', target: s.at('Kim Jong-un met the delegation') })).body.annotation;

    // "missile" stems like the quote's "missiles" and the comment's "missile": both match.
    const r = await search(s.viewer, { q: 'missile', limit: 20 });
    expect(r.documents).toHaveLength(1);
    const hits = r.documents[0].hits;
    expect(hits.map((h) => h.annotationId).sort()).toEqual([missiles.id, shells.id].sort());
    expect(hits[0].rank).toBeGreaterThanOrEqual(hits[1].rank);
    const shellHit = hits.find((h) => h.annotationId === shells.id)!;
    expect(shellHit).toMatchObject({ inQuote: false, comment: { text: expect.stringContaining('missile') } });
    expect(hits.find((h) => h.annotationId === missiles.id)).toMatchObject({ inQuote: true, comment: null, quote: 'KN-23 missiles' });

    // A passage matching in its quote and its comment outranks one matching in its quote only.
    await createComment(s.ben, missiles.id, { body: doc('Missiles confirmed by two sources') });
    await createComment(s.ben, missiles.id, { body: doc('missile missile missile') });
    const again = (await search(s.viewer, { q: 'missiles', limit: 20 })).documents[0].hits;
    expect(again[0].annotationId).toBe(missiles.id);

    // Prefix: the word being typed.
    expect(await list({ q: 'artill' })).toEqual(['Artillery shells']);
    expect(await list({ q: 'delegat' })).toEqual(['Kim Jong-un met the delegation']);
    // Every word must match (AND), all in the quote or all in one comment.
    expect(await list({ q: 'artillery shell' })).toEqual(['Artillery shells']);
    expect(await list({ q: 'missile count' })).toEqual(['Artillery shells']);
    expect(await list({ q: 'artillery delegation' })).toEqual([]);
    void kim;
  });

  it('falls back to the simple configuration for names, codes and stop words', async () => {
    await createAnnotation(s.ana, s.d.id, { tag: 'evidence', target: s.at('KN-23 missiles') });
    await createAnnotation(s.ben, s.d.id, { tag: 'speculation', target: s.at('Kim Jong-un met the delegation'), comment: { body: doc('Ask about the Vostochny visit') } });
    expect(await list({ q: 'KN-23' })).toEqual(['KN-23 missiles']);
    expect(await list({ q: 'kn-2' })).toEqual(['KN-23 missiles']);
    expect(await list({ q: 'Jong-un' })).toEqual(['Kim Jong-un met the delegation']);
    expect(await list({ q: 'Vostoch' })).toEqual(['Kim Jong-un met the delegation']);
    // "the" is an English stop word; the simple configuration still finds it.
    expect(await list({ q: 'the' })).toEqual(['Kim Jong-un met the delegation']);
  });

  it('filters the list by tag, status, author, mine, replies, outcome and dates', async () => {
    const a = (await createAnnotation(s.ana, s.d.id, { tag: 'evidence', target: s.at('KN-23 missiles') })).body.annotation;
    const b = (await createAnnotation(s.ben, s.d.id, { tag: 'assessment', target: s.at('Artillery shells'), comment: { body: doc('first') } })).body.annotation;
    const c = (await createAnnotation(s.ben, s.d.id, { tag: 'speculation', target: s.at('Kim Jong-un') })).body.annotation;
    await createComment(s.ana, b.id, { body: doc('a reply') });
    await patchAnnotation(s.ana, a.id, { status: 'resolved', outcome: 'accepted', version: 1 });
    await patchAnnotation(s.ben, c.id, { status: 'resolved', version: 1 });
    await db().annotation.update({ where: { id: c.id }, data: { createdAt: new Date('2026-01-15T12:00:00Z') } });
    // Dated explicitly, so the test does not depend on the runner's calendar.
    await db().annotation.updateMany({ where: { id: { in: [a.id, b.id] } }, data: { createdAt: new Date('2026-02-01T09:00:00Z') } });

    expect(await list({ tag: 'evidence,speculation' })).toEqual(['KN-23 missiles', 'Kim Jong-un']);
    expect(await list({ status: 'open' })).toEqual(['Artillery shells']);
    expect(await list({ author: s.ben.id })).toEqual(['Artillery shells', 'Kim Jong-un']);
    expect(await list({ mine: 'true' }, s.ana)).toEqual(['KN-23 missiles']);
    expect(await list({ mine: 'false' }, s.ana)).toEqual(['KN-23 missiles', 'Artillery shells', 'Kim Jong-un']);
    expect(await list({ hasReplies: 'true' })).toEqual(['Artillery shells']);
    expect(await list({ hasReplies: 'false' })).toEqual(['KN-23 missiles', 'Kim Jong-un']);
    expect(await list({ outcome: 'accepted' })).toEqual(['KN-23 missiles']);
    expect(await list({ outcome: 'none' })).toEqual(['Kim Jong-un']);
    expect(await list({ outcome: 'accepted', status: 'open' })).toEqual([]);
    expect(await list({ from: '2026-01-15', to: '2026-01-15' })).toEqual(['Kim Jong-un']);
    expect(await list({ to: '2026-01-14' })).toEqual([]);
    expect(await list({ from: '2026-01-16' })).toEqual(['KN-23 missiles', 'Artillery shells']);
    expect(await list({ from: '2026-01-15T12:00:00.001Z' })).toEqual(['KN-23 missiles', 'Artillery shells']);
    expect(await list({ q: 'reply', author: s.ben.id, hasReplies: 'true' })).toEqual(['Artillery shells']);
    expect(await list({ q: 'reply', mine: 'true' }, s.ana)).toEqual([]);
  });

  it('answers over HTTP, validating q and the filters with the text checks', async () => {
    const cookie = await sessionToken(s.viewer.id);
    await createAnnotation(s.ana, s.d.id, { tag: 'evidence', target: s.at('KN-23 missiles') });
    const get = (path: string, params?: Record<string, string>) => call(params ? annotationsRoute.GET : searchRoute.GET, 'GET', path, { cookie, params });
    const ok = await get('/api/search?q=kn-23');
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ q: 'kn-23', total: 1, documents: [{ document: { id: s.d.id, title: 'Sample' }, hits: [{ quote: 'KN-23 missiles', tag: 'evidence' }] }] });
    for (const bad of ['', '?q=', '?q=%00', `?q=${'x'.repeat(201)}`, '?q=x&limit=0', '?q=x&limit=101', '?q=x&limit=abc']) {
      const r = await get(`/api/search${bad}`);
      expect(r.status, bad).toBe(400);
      expect((r.json as { error: { code: string } }).error.code).toBe('bad_request');
    }
    const path = `/api/documents/${s.d.id}/annotations`;
    for (const bad of ['?tag=nope', '?tag=evidence,', '?mine=yes', '?hasReplies=1', '?outcome=great', '?from=yesterday', '?to=2026-02-30', '?q=%00']) {
      expect((await get(path + bad, { id: s.d.id })).status, bad).toBe(400);
    }
    const filtered = await get(`${path}?q=missiles&tag=evidence&from=2000-01-01`, { id: s.d.id });
    expect(filtered.status).toBe(200);
    expect((filtered.json as { annotations: unknown[] }).annotations).toHaveLength(1);
    expect((await call(searchRoute.GET, 'GET', '/api/search?q=x')).status).toBe(401);
  });

  it('never finds deleted documents, deleted highlights or deleted comments', async () => {
    const other = await makeDocument(MD);
    const kept = (await createAnnotation(s.ana, s.d.id, { tag: 'evidence', target: s.at('KN-23 missiles'), comment: { body: doc('secret plan') } })).body.annotation;
    await createAnnotation(s.ana, other.id, { tag: 'evidence', target: s.at('KN-23 missiles', other.revision.text), comment: { body: doc('secret plan') } });
    expect((await search(s.viewer, { q: 'secret', limit: 20 })).documents).toHaveLength(2);
    await deleteDocument(s.admin, other.id);
    for (const who of [s.viewer, s.admin]) {
      const r = await search(who, { q: 'secret', limit: 20 });
      expect(r.documents.map((g) => g.document.id)).toEqual([s.d.id]);
    }
    await db().comment.updateMany({ where: { annotationId: kept.id }, data: { deletedAt: new Date() } });
    expect((await search(s.viewer, { q: 'secret', limit: 20 })).total).toBe(0);
    expect((await search(s.viewer, { q: 'missiles', limit: 20 })).total).toBe(1);
    await db().annotation.update({ where: { id: kept.id }, data: { deletedAt: new Date() } });
    expect((await search(s.viewer, { q: 'missiles', limit: 20 })).total).toBe(0);
  });

  it('bounds the hits and groups them by document in the order of their best hit', async () => {
    const docs = [s.d, await makeDocument(MD), await makeDocument(MD)];
    for (const [i, d] of docs.entries()) {
      for (let k = 0; k <= i; k++) {
        await createAnnotation(s.ana, d.id, { tag: 'evidence', target: s.at('Artillery shells', d.revision.text), comment: { body: doc('rail '.repeat(k + 1)) } });
      }
    }
    const r = await search(s.viewer, { q: 'rail', limit: 4 });
    expect(r.total).toBe(4);
    expect(r.documents.flatMap((g) => g.hits)).toHaveLength(4);
    const ranks = r.documents.map((g) => g.hits[0].rank);
    expect([...ranks].sort((x, y) => y - x)).toEqual(ranks);
  });
});
