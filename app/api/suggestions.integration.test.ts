/**
 * Estimative-language suggestions with their keys, and dismissals for the whole team (docs/api.md,
 * "Suggestions"): dismiss and restore, idempotency, who may, validation, other documents, events,
 * and a key that survives a revision keeping its sentence.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '@/lib/server/db';
import { makeDocument, makeUser, resetDb, sessionToken } from '@/scripts/test/db';
import { call } from '@/scripts/test/http';
import * as suggestionsRoute from './documents/[id]/suggestions/route';
import * as dismissalsRoute from './documents/[id]/suggestions/dismissals/route';
import * as dismissalRoute from './documents/[id]/suggestions/dismissals/[key]/route';
import * as revisionsRoute from './documents/[id]/revisions/route';
import * as documentRoute from './documents/[id]/route';

const MD = `# Sample

Reports indicate artillery shells were shipped. It is likely that more will follow. The ships left port in March.

There is speculation about a deal.
`;

interface S { key: string; quote: string; term: string; suggestedTag: string; dismissed?: boolean }

describe('suggestion keys and dismissals', () => {
  let documentId: string;
  let ana: string; // analyst
  let ben: string; // another analyst
  let vic: string; // viewer
  let adm: string; // admin
  beforeEach(async () => {
    await resetDb();
    documentId = (await makeDocument(MD)).id;
    const [a, b, v, m] = [await makeUser('analyst', 'Ana'), await makeUser('analyst', 'Ben'), await makeUser('viewer', 'Vic'), await makeUser('admin', 'Adm')];
    [ana, ben, vic, adm] = [await sessionToken(a.id), await sessionToken(b.id), await sessionToken(v.id), await sessionToken(m.id)];
  });

  const list = async (cookie: string, query = '', id = documentId): Promise<S[]> => {
    const r = await call(suggestionsRoute.GET, 'GET', `/api/documents/${id}/suggestions${query}`, { cookie, params: { id } });
    expect(r.status, r.text).toBe(200);
    return r.json.suggestions;
  };
  const dismiss = (cookie: string, body: unknown, id = documentId) =>
    call(dismissalsRoute.POST, 'POST', `/api/documents/${id}/suggestions/dismissals`, { cookie, params: { id }, body });
  const restore = (cookie: string, key: string, id = documentId) =>
    call(dismissalRoute.DELETE, 'DELETE', `/api/documents/${id}/suggestions/dismissals/${encodeURIComponent(key.replace(/[\uD800-\uDFFF]/g, '\uFFFD'))}`, { cookie, params: { id, key } });
  const keyOf = async (start: string) => (await list(vic)).find((s) => s.quote.startsWith(start))!.key;

  it('gives every suggestion a stable key: 32 hex digits from its sentence and term, the same across requests and documents', async () => {
    const first = await list(vic);
    expect(first.map((s) => s.quote)).toEqual(['Reports indicate artillery shells were shipped.', 'It is likely that more will follow.', 'There is speculation about a deal.']);
    for (const s of first) expect(s.key).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(first.map((s) => s.key)).size).toBe(3);
    expect(await list(ana)).toEqual(first);
    // Another document with the same sentence: the same key (it is the sentence's, not the place's).
    const other = await makeDocument('# Other\n\nA different opening. It is likely that more will follow.\n');
    const there = await list(vic, '', other.id);
    expect(there.map((s) => s.key)).toEqual([first[1].key]);
  });

  it('dismisses for everyone, idempotently, with an event; restores (the undo) with an event', async () => {
    const key = await keyOf('Reports indicate');
    const r = await dismiss(ana, { key });
    expect(r.status, r.text).toBe(201);
    expect(r.json.dismissal).toMatchObject({ documentId, key, dismissed: true, createdAt: expect.any(String) });
    // Hidden for every reader, the viewer too; listed with include=dismissed.
    for (const cookie of [vic, ben, adm]) expect((await list(cookie)).map((s) => s.key)).not.toContain(key);
    const all = await list(vic, '?include=dismissed');
    expect(all.map((s) => [s.key === key, s.dismissed])).toEqual([[true, true], [false, false], [false, false]]);
    // Again, by anyone: 200 with the existing dismissal, nothing written.
    const events = await db().event.count();
    const again = await dismiss(ben, { key });
    expect(again.status).toBe(200);
    expect(again.json.dismissal).toEqual(r.json.dismissal);
    expect(await db().event.count()).toBe(events);
    const dismissed = await db().event.findFirst({ where: { type: 'suggestion.dismissed' } });
    expect(dismissed).toMatchObject({ documentId, resourceId: key, payload: r.json.dismissal });

    // Another analyst restores it: back for everyone, one suggestion.restored event; a second undo is 404.
    const u = await restore(ben, key);
    expect(u.status, u.text).toBe(204);
    expect((await list(vic)).map((s) => s.key)).toContain(key);
    const restored = await db().event.findFirst({ where: { type: 'suggestion.restored' } });
    expect(restored).toMatchObject({ documentId, resourceId: key, payload: { documentId, key, dismissed: false } });
    expect((await restore(ben, key)).status).toBe(404);
    // And it can be dismissed again.
    expect((await dismiss(adm, { key })).status).toBe(201);
  });

  it('keeps a dismissal through a revision that leaves the sentence as it was, not one that changes it', async () => {
    const kept = await keyOf('It is likely');
    const changed = await keyOf('There is speculation');
    for (const key of [kept, changed]) expect((await dismiss(ana, { key })).status).toBe(201);
    const source = MD.replace('There is speculation about a deal.', 'There is speculation about a new deal.');
    const rev = await call(revisionsRoute.POST, 'POST', `/api/documents/${documentId}/revisions`, { cookie: adm, params: { id: documentId }, body: { format: 'markdown', source } });
    expect(rev.status, rev.text).toBe(201);
    const now = await list(vic);
    expect(now.map((s) => s.quote)).toEqual(['Reports indicate artillery shells were shipped.', 'There is speculation about a new deal.']);
    expect(now.map((s) => s.key)).not.toContain(kept);
  });

  it('refuses viewers (403, before the body or the key is read) and writes nothing', async () => {
    const key = await keyOf('Reports indicate');
    for (const body of [{ key }, { key: 'nope' }, {}]) {
      const r = await dismiss(vic, body);
      expect(r.status).toBe(403);
      expect(r.json.error.code).toBe('forbidden');
    }
    expect((await dismiss(ana, { key })).status).toBe(201);
    for (const k of [key, 'nope']) expect((await restore(vic, k)).status).toBe(403);
    expect(await db().suggestionDismissal.count()).toBe(1);
  });

  it('validates the key: 400 naming it when it is not 32 lower-case hex digits; 422 when no current suggestion has it', async () => {
    const bad: unknown[] = ['', 'xyz', 'A'.repeat(32), 'a'.repeat(31), 'a'.repeat(33), 'a'.repeat(65), '0'.repeat(31) + '\u0000', '\uD800', 'f'.repeat(10_000), 42, null, ['a'.repeat(32)]];
    for (const key of bad) {
      const r = await dismiss(ana, { key });
      expect(r.status, JSON.stringify(key)).toBe(400);
      expect(r.json.error.details.map((d: { path: string[] }) => d.path.join('.'))).toContain('key');
    }
    expect((await dismiss(ana, {})).status).toBe(400);
    for (const key of ['xyz', 'A'.repeat(32), '\uD800']) {
      const r = await restore(ana, key);
      expect(r.status, JSON.stringify(key)).toBe(400);
      expect(r.json.error.details[0].path).toEqual(['key']);
    }
    const r = await dismiss(ana, { key: '0'.repeat(32) });
    expect(r.status).toBe(422);
    expect(r.json.error.details[0].path).toEqual(['key']);
    // A restore of a well-formed key that is not dismissed: 404.
    expect((await restore(ana, '0'.repeat(32))).status).toBe(404);
    expect(await db().suggestionDismissal.count()).toBe(0);
  });

  it('is per document: another document, an unknown or a deleted one is 404, a dismissal elsewhere does not hide it here', async () => {
    const key = await keyOf('It is likely');
    const other = await makeDocument('# Other\n\nIt is likely that more will follow.\n');
    expect((await dismiss(ana, { key }, other.id)).status).toBe(201);
    expect((await list(vic)).map((s) => s.key)).toContain(key);
    // Restoring it here, where it was never dismissed: 404; there: 204.
    expect((await restore(ana, key)).status).toBe(404);
    expect((await restore(ana, key, other.id)).status).toBe(204);
    expect((await dismiss(ana, { key }, 'cmissing')).status).toBe(404);
    expect((await restore(ana, key, 'cmissing')).status).toBe(404);
    expect((await call(documentRoute.DELETE, 'DELETE', `/api/documents/${other.id}`, { cookie: adm, params: { id: other.id } })).status).toBe(204);
    expect((await dismiss(ana, { key }, other.id)).status).toBe(404);
    expect((await restore(ana, key, other.id)).status).toBe(404);
    const q = await call(suggestionsRoute.GET, 'GET', `/api/documents/${documentId}/suggestions?include=everything`, { cookie: vic, params: { id: documentId } });
    expect(q.status).toBe(400);
  });
});
