/**
 * Tradecraft through the HTTP API (docs/api.md, "Tradecraft fields"): the judgment fields on
 * create and PATCH with their validation, outcomes, typed links and their events.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { describe as describeRange } from '@/lib/domain/anchoring';
import { db } from '@/lib/server/db';
import { makeDocument, makeUser, resetDb, sessionToken } from '@/scripts/test/db';
import { call } from '@/scripts/test/http';
import * as annotationsRoute from './documents/[id]/annotations/route';
import * as annotationRoute from './annotations/[id]/route';
import * as linksRoute from './annotations/[id]/links/route';
import * as linkRoute from './annotations/[id]/links/[linkId]/route';
import * as checksRoute from './documents/[id]/checks/route';
import * as suggestionsRoute from './documents/[id]/suggestions/route';
import { scanEstimativeLanguage } from '@/lib/domain/estimative-language';
import { MAX_SCANNED_SENTENCE } from '@/lib/server/review';

const MD = `# Sample

Reports indicate artillery shells were shipped. It is likely that more will follow. There is speculation about a deal.

A second paragraph about another country entirely.
`;

describe('tradecraft fields and links', () => {
  let documentId: string;
  let text: string;
  let ana: string; // analyst cookie
  let ben: string; // another analyst
  let vic: string; // viewer
  let adm: string; // admin
  beforeEach(async () => {
    await resetDb();
    const d = await makeDocument(MD);
    documentId = d.id;
    text = d.revision.text;
    const [a, b, v, m] = [await makeUser('analyst', 'Ana'), await makeUser('analyst', 'Ben'), await makeUser('viewer', 'Vic'), await makeUser('admin', 'Adm')];
    [ana, ben, vic, adm] = [await sessionToken(a.id), await sessionToken(b.id), await sessionToken(v.id), await sessionToken(m.id)];
  });

  const target = (phrase: string) => {
    const i = text.indexOf(phrase);
    expect(i).toBeGreaterThanOrEqual(0);
    return describeRange(text, i, i + phrase.length);
  };
  const create = (cookie: string, body: Record<string, unknown>, docId = documentId) =>
    call(annotationsRoute.POST, 'POST', `/api/documents/${docId}/annotations`, { cookie, params: { id: docId }, body });
  const patch = (cookie: string, id: string, body: Record<string, unknown>) =>
    call(annotationRoute.PATCH, 'PATCH', `/api/annotations/${id}`, { cookie, params: { id }, body });
  const get = (cookie: string, id: string) => call(annotationRoute.GET, 'GET', `/api/annotations/${id}`, { cookie, params: { id } });
  const link = (cookie: string, id: string, body: Record<string, unknown>) =>
    call(linksRoute.POST, 'POST', `/api/annotations/${id}/links`, { cookie, params: { id }, body });
  const unlink = (cookie: string, id: string, linkId: string) =>
    call(linkRoute.DELETE, 'DELETE', `/api/annotations/${id}/links/${linkId}`, { cookie, params: { id, linkId } });
  const paths = (r: { json: { error: { details: { path: string[] }[] } } }) => r.json.error.details.map((d) => d.path.join('.'));
  const make = async (cookie: string, tag: string, phrase: string, extra: Record<string, unknown> = {}) => {
    const r = await create(cookie, { tag, target: target(phrase), ...extra });
    expect(r.status, r.text).toBe(201);
    return r.json.annotation;
  };

  it('creates with the fields its tag carries, answers and stores them, and the event carries them', async () => {
    const a = await make(ana, 'assessment', 'It is likely that more will follow', { likelihood: 'likely', confidence: 'moderate' });
    expect(a).toMatchObject({ likelihood: 'likely', confidence: 'moderate', source: null, reliability: null, credibility: null, needsSource: false, outcome: null, outcomeRationale: null });
    const e = await make(ana, 'evidence', 'artillery shells', { source: '  https://example.org/report  ', reliability: 'B', credibility: 2 });
    expect(e).toMatchObject({ source: 'https://example.org/report', reliability: 'B', credibility: 2, likelihood: null });
    const s = await make(ana, 'speculation', 'There is speculation about a deal', { needsSource: true });
    expect(s.needsSource).toBe(true);
    for (const x of [a, e, s]) expect((await get(vic, x.id)).json.annotation).toEqual(x);
    const ev = await db().event.findFirst({ where: { type: 'annotation.created', resourceId: e.id } });
    expect(ev?.payload).toEqual(e);
  });

  it('refuses invalid grades and fields the tag cannot carry: 400 naming the field, nothing written', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ tag: 'evidence', reliability: 'Z' }, 'reliability'],
      [{ tag: 'evidence', credibility: 7 }, 'credibility'],
      [{ tag: 'evidence', credibility: 0 }, 'credibility'],
      [{ tag: 'evidence', credibility: 2.5 }, 'credibility'],
      [{ tag: 'evidence', likelihood: 'likely' }, 'likelihood'],
      [{ tag: 'assessment', likelihood: 'probable-ish' }, 'likelihood'],
      [{ tag: 'assessment', confidence: 'total' }, 'confidence'],
      [{ tag: 'assessment', reliability: 'A' }, 'reliability'],
      [{ tag: 'evidence', needsSource: true }, 'needsSource'],
      [{ tag: 'evidence', source: 'x\u0000' }, 'source'],
      [{ tag: 'evidence', source: '\uD800' }, 'source'],
      [{ tag: 'evidence', source: 'x'.repeat(2001) }, 'source'],
    ];
    for (const [body, field] of cases) {
      const r = await create(ana, { target: target('artillery shells'), ...body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.code).toBe('bad_request');
      expect(paths(r), JSON.stringify(body)).toContain(field);
    }
    expect(await db().annotation.count()).toBe(0);
  });

  it('PATCH sets, clears and validates the fields against the current tag; a retag clears what the new tag cannot carry', async () => {
    const a = await make(ana, 'assessment', 'It is likely that more will follow');
    let r = await patch(ana, a.id, { likelihood: 'very_likely', confidence: 'high', version: 1 });
    expect(r.status, r.text).toBe(200);
    expect(r.json.annotation).toMatchObject({ likelihood: 'very_likely', confidence: 'high', version: 2 });
    r = await patch(ana, a.id, { reliability: 'B', version: 2 });
    expect(r.status).toBe(400);
    expect(paths(r)).toEqual(['reliability']);
    r = await patch(ana, a.id, { reliability: 'Z', version: 2 });
    expect(paths(r)).toEqual(['reliability']);
    r = await patch(ana, a.id, { confidence: null, version: 2 });
    expect(r.json.annotation).toMatchObject({ likelihood: 'very_likely', confidence: null, version: 3 });
    // Retag to evidence with a grade in the same request: likelihood goes, the grade is set.
    r = await patch(ana, a.id, { tag: 'evidence', reliability: 'C', credibility: 3, version: 3 });
    expect(r.status, r.text).toBe(200);
    expect(r.json.annotation).toMatchObject({ tag: 'evidence', likelihood: null, confidence: null, reliability: 'C', credibility: 3 });
    // ...and an evidence tag refuses a likelihood even in the retag's own request, if it stays evidence.
    r = await patch(ana, a.id, { likelihood: 'likely', version: 4 });
    expect(paths(r)).toEqual(['likelihood']);
    // The same values again change nothing (no new version, no event).
    const events = await db().event.count();
    r = await patch(ana, a.id, { reliability: 'C', version: 4 });
    expect(r.json.annotation.version).toBe(4);
    expect(await db().event.count()).toBe(events);
  });

  it('the judgment is the author’s or an admin’s to change; viewers and other analysts get 403', async () => {
    const a = await make(ana, 'assessment', 'It is likely that more will follow');
    expect((await patch(ben, a.id, { likelihood: 'likely', version: 1 })).status).toBe(403);
    expect((await patch(vic, a.id, { likelihood: 'likely', version: 1 })).status).toBe(403);
    const r = await patch(adm, a.id, { likelihood: 'likely', version: 1 });
    expect(r.status).toBe(200);
    // Echoing the current value is not a change: another analyst resolving may send it along.
    expect((await patch(ben, a.id, { likelihood: 'likely', status: 'resolved', version: 2 })).status).toBe(200);
  });

  it('outcomes: only when resolving or resolved; kept when reopened, replaced when resolved again, history in the events', async () => {
    const a = await make(ana, 'speculation', 'There is speculation about a deal');
    let r = await patch(ben, a.id, { outcome: 'accepted', version: 1 });
    expect(r.status).toBe(400);
    expect(paths(r)).toEqual(['outcome']);
    r = await patch(ben, a.id, { status: 'open', outcome: 'accepted', version: 1 });
    expect(paths(r)).toEqual(['outcome']);
    r = await patch(vic, a.id, { status: 'resolved', outcome: 'accepted', version: 1 });
    expect(r.status).toBe(403);
    r = await patch(ben, a.id, { status: 'resolved', outcome: 'needs_source', outcomeRationale: 'No source given', version: 1 });
    expect(r.status, r.text).toBe(200);
    expect(r.json.annotation).toMatchObject({ status: 'resolved', outcome: 'needs_source', outcomeRationale: 'No source given' });
    r = await patch(ben, a.id, { outcome: 'escalated', version: 2 }); // while resolved
    expect(r.json.annotation).toMatchObject({ outcome: 'escalated', outcomeRationale: 'No source given' });
    r = await patch(ben, a.id, { status: 'open', version: 3 });
    expect(r.json.annotation).toMatchObject({ status: 'open', outcome: 'escalated' });
    r = await patch(ben, a.id, { status: 'resolved', outcome: 'rejected', outcomeRationale: null, version: 4 });
    expect(r.json.annotation).toMatchObject({ status: 'resolved', outcome: 'rejected', outcomeRationale: null });
    expect((await patch(ben, a.id, { outcome: 'bogus', version: 5 })).status).toBe(400);
    const history = await db().event.findMany({ where: { type: 'annotation.updated', resourceId: a.id }, orderBy: { id: 'asc' } });
    expect(history.map((e) => [(e.payload as { status: string }).status, (e.payload as { outcome: string | null }).outcome])).toEqual([
      ['resolved', 'needs_source'], ['resolved', 'escalated'], ['open', 'escalated'], ['resolved', 'rejected'],
    ]);
  });

  it('links: listed on both ends (with the other end’s tag and quote), idempotent, deletable, with events', async () => {
    const ev = await make(ana, 'evidence', 'artillery shells', { reliability: 'B', credibility: 2 });
    const as = await make(ben, 'assessment', 'It is likely that more will follow', { likelihood: 'likely' });
    const r = await link(ana, ev.id, { targetId: as.id, type: 'supports' });
    expect(r.status, r.text).toBe(201);
    const l = r.json.link;
    expect(l).toMatchObject({ sourceId: ev.id, targetId: as.id, type: 'supports', documentId });
    const again = await link(ana, ev.id, { targetId: as.id, type: 'supports' });
    expect(again.status).toBe(200);
    expect(again.json.link).toEqual(l);
    const out = (await get(vic, ev.id)).json.links;
    const inn = (await get(vic, as.id)).json.links;
    expect(out).toEqual([{ ...l, direction: 'outgoing', other: { id: as.id, tag: 'assessment', quote: 'It is likely that more will follow' } }]);
    expect(inn).toEqual([{ ...l, direction: 'incoming', other: { id: ev.id, tag: 'evidence', quote: 'artillery shells' } }]);
    const list = await call(annotationsRoute.GET, 'GET', `/api/documents/${documentId}/annotations`, { cookie: vic, params: { id: documentId } });
    expect(list.json.links).toEqual([l]);
    // A viewer may not link or unlink; another analyst may not remove Ana's link; deleting from either end works.
    expect((await link(vic, ev.id, { targetId: as.id, type: 'contradicts' })).status).toBe(403);
    expect((await unlink(ben, as.id, l.id)).status).toBe(403);
    expect((await unlink(ana, as.id, 'cmissing')).status).toBe(404);
    expect((await unlink(ana, as.id, l.id)).status).toBe(204);
    expect((await unlink(ana, as.id, l.id)).status).toBe(404);
    expect((await get(vic, ev.id)).json.links).toEqual([]);
    const types = (await db().event.findMany({ where: { type: { startsWith: 'link.' } }, orderBy: { id: 'asc' } })).map((e) => [e.type, e.payload]);
    expect(types).toEqual([['link.created', l], ['link.deleted', l]]);
  });

  it('refuses a link to itself (422), across documents (422), to a missing target (422), from a missing source (404), and bad types (400)', async () => {
    const a = await make(ana, 'evidence', 'artillery shells');
    const other = await makeDocument(MD);
    const i = other.revision.text.indexOf('artillery shells');
    const elsewhere = await create(ana, { tag: 'assessment', target: describeRange(other.revision.text, i, i + 16) }, other.id);
    expect((await link(ana, a.id, { targetId: a.id, type: 'supports' })).status).toBe(422);
    const cross = await link(ana, a.id, { targetId: elsewhere.json.annotation.id, type: 'supports' });
    expect(cross.status).toBe(422);
    expect(paths(cross)).toEqual(['targetId']);
    expect((await link(ana, a.id, { targetId: 'cmissing', type: 'supports' })).status).toBe(422);
    expect((await link(ana, 'cmissing', { targetId: a.id, type: 'supports' })).status).toBe(404);
    const bad = await link(ana, a.id, { targetId: a.id, type: 'refutes' });
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(['type']);
    expect(await db().annotationLink.count()).toBe(0);
  });

  it('deleting an annotation removes its links (both directions) with link.deleted events', async () => {
    const ev = await make(ana, 'evidence', 'artillery shells');
    const as = await make(ana, 'assessment', 'It is likely that more will follow');
    const sp = await make(ana, 'speculation', 'There is speculation about a deal');
    const l1 = (await link(ana, ev.id, { targetId: as.id, type: 'supports' })).json.link;
    const l2 = (await link(ana, sp.id, { targetId: ev.id, type: 'depends_on' })).json.link;
    const l3 = (await link(ana, sp.id, { targetId: as.id, type: 'contradicts' })).json.link;
    expect((await call(annotationRoute.DELETE, 'DELETE', `/api/annotations/${ev.id}`, { cookie: ana, params: { id: ev.id } })).status).toBe(204);
    expect((await db().annotationLink.findMany()).map((l) => l.id)).toEqual([l3.id]);
    expect((await get(vic, as.id)).json.links.map((l: { id: string }) => l.id)).toEqual([l3.id]);
    const deleted = await db().event.findMany({ where: { type: 'link.deleted' }, orderBy: { id: 'asc' } });
    expect(deleted.map((e) => e.resourceId).sort()).toEqual([l1.id, l2.id].sort());
    // A hard delete of a row cascades too.
    await db().annotation.delete({ where: { id: sp.id } });
    expect(await db().annotationLink.count()).toBe(0);
  });

  it('a supporting link from evidence clears a speculation’s needs-source mark, with an annotation.updated event', async () => {
    const sp = await make(ana, 'speculation', 'There is speculation about a deal', { needsSource: true });
    const as = await make(ana, 'assessment', 'It is likely that more will follow');
    const ev = await make(ben, 'evidence', 'artillery shells');
    // Not by a contradicting link, nor by a supporting one from an assessment.
    await link(ben, ev.id, { targetId: sp.id, type: 'contradicts' });
    await link(ben, as.id, { targetId: sp.id, type: 'supports' });
    expect((await get(vic, sp.id)).json.annotation.needsSource).toBe(true);
    expect((await link(ben, ev.id, { targetId: sp.id, type: 'supports' })).status).toBe(201);
    const now = (await get(vic, sp.id)).json.annotation;
    expect(now).toMatchObject({ needsSource: false, version: 2 });
    const last = await db().event.findMany({ orderBy: { id: 'desc' }, take: 2 });
    expect(last.map((e) => e.type)).toEqual(['annotation.updated', 'link.created']);
    expect(last[0].payload).toEqual(now);
  });

  const checks = async (cookie = vic, docId = documentId) => {
    const r = await call(checksRoute.GET, 'GET', `/api/documents/${docId}/checks`, { cookie, params: { id: docId } });
    expect(r.status, r.text).toBe(200);
    return r.json.checks as { kind: string; annotationId: string; message: string }[];
  };

  it('checks: a bare assessment is flagged; a likely one backed only by F6 evidence is flagged until B2 evidence supports it', async () => {
    const as = await make(ana, 'assessment', 'It is likely that more will follow');
    expect((await checks()).filter((c) => c.annotationId === as.id).map((c) => c.kind)).toEqual(expect.arrayContaining(['missing_likelihood', 'missing_confidence', 'unsupported']));
    expect((await patch(ana, as.id, { likelihood: 'likely', confidence: 'moderate', version: 1 })).status).toBe(200);
    const weak = await make(ben, 'evidence', 'artillery shells', { reliability: 'F', credibility: 6 });
    expect((await link(ben, weak.id, { targetId: as.id, type: 'supports' })).status).toBe(201);
    const flagged = (await checks()).filter((c) => c.annotationId === as.id);
    expect(flagged.map((c) => c.kind)).toEqual(['weak_evidence']);
    expect(flagged[0].message).toContain('F6');
    const strong = await make(ben, 'evidence', 'Reports indicate', { reliability: 'B', credibility: 2 });
    expect((await link(ben, strong.id, { targetId: as.id, type: 'supports' })).status).toBe(201);
    expect((await checks()).filter((c) => c.annotationId === as.id)).toEqual([]);
    // Removing the good evidence brings the check back; a viewer may read checks; unknown documents are 404.
    expect((await call(annotationRoute.DELETE, 'DELETE', `/api/annotations/${strong.id}`, { cookie: ben, params: { id: strong.id } })).status).toBe(204);
    expect((await checks()).filter((c) => c.annotationId === as.id).map((c) => c.kind)).toEqual(['weak_evidence']);
    expect((await call(checksRoute.GET, 'GET', '/api/documents/cmissing/checks', { cookie: vic, params: { id: 'cmissing' } })).status).toBe(404);
  });

  it('suggestions: the scanner over the current revision text, in the contract shape', async () => {
    const r = await call(suggestionsRoute.GET, 'GET', `/api/documents/${documentId}/suggestions`, { cookie: vic, params: { id: documentId } });
    expect(r.status).toBe(200);
    // The scanner's suggestions, each with its key (app/api/suggestions.integration.test.ts).
    expect(r.json.suggestions.map(({ key: _key, ...x }: { key: string }) => x)).toEqual(scanEstimativeLanguage(text));
    const quotes = r.json.suggestions.map((x: { quote: string; suggestedTag: string }) => [x.quote, x.suggestedTag]);
    expect(quotes).toContainEqual(['It is likely that more will follow.', 'assessment']);
    for (const x of r.json.suggestions) expect(text.slice(x.position.start, x.position.end)).toBe(x.quote);
    expect((await call(suggestionsRoute.GET, 'GET', '/api/documents/cmissing/suggestions', { cookie: vic, params: { id: 'cmissing' } })).status).toBe(404);
  });

  it('suggestions skip an over-long sentence (the scanner is quadratic in sentence length) and still find the others', async () => {
    const long = 'it may be likely that reportedly could '.repeat(Math.ceil((MAX_SCANNED_SENTENCE * 20) / 39));
    const d = await makeDocument(`# Long\n\n${long}\n\nIt is likely that more will follow.\n`);
    const r = await call(suggestionsRoute.GET, 'GET', `/api/documents/${d.id}/suggestions`, { cookie: vic, params: { id: d.id } });
    expect(r.status).toBe(200);
    expect(r.json.suggestions.map((x: { quote: string }) => x.quote)).toEqual(['It is likely that more will follow.']);
    const a = (await create(ana, { tag: 'assessment', target: describeRange(d.revision.text, 0, 40) }, d.id)).json.annotation;
    expect((await checks(vic, d.id)).filter((c) => c.annotationId === a.id).map((c) => c.kind)).toContain('missing_likelihood');
  });
});
