/**
 * Exports and import through the real route handlers on the real database: the W3C JSON-LD
 * expanded with the `jsonld` package against the W3C context (shipped as a file: no network) and
 * checked against the data model's MUSTs; the CSV parsed back; the Markdown report's sections;
 * and the import round trip, another tool's annotations, unplaceable ones and bad shapes.
 */
import jsonld from 'jsonld';
import { beforeAll, describe, expect, it } from 'vitest';
import * as exportRoute from '@/app/api/documents/[id]/export/route';
import * as importRoute from '@/app/api/documents/[id]/annotations/import/route';
import { describe as describeRange } from '@/lib/domain/anchoring';
import annoContext from '@/lib/domain/w3c/anno-context.json';
import { doc, makeDocument, makeUser, resetDb, sessionToken } from '@/scripts/test/db';
import { call } from '@/scripts/test/http';
import { createAnnotation, getAnnotation, listAnnotations, listRevisionComments, patchAnnotation } from './annotations';
import { createComment } from './comments';
import { createLink } from './links';

const MD = `# Alliance

Pyongyang sent artillery shells and rockets to Moscow, reports say.

## Manpower

Reports indicate thousands of soldiers may have been deployed. Analysts judge it likely that more will follow.
`;

const OA = 'http://www.w3.org/ns/oa#';
const AS = 'http://www.w3.org/ns/activitystreams#';
const DCT = 'http://purl.org/dc/terms/';
const XSD_DATETIME = 'http://www.w3.org/2001/XMLSchema#dateTime';

/** Serves the W3C context from the shipped file; anything else is an error (no network in tests). */
const documentLoader = async (url: string) => {
  if (url === 'http://www.w3.org/ns/anno.jsonld' || url === 'https://www.w3.org/ns/anno.jsonld') {
    return { contextUrl: undefined, documentUrl: url, document: annoContext };
  }
  throw new Error(`no network: ${url}`);
};

/** A tiny RFC 4180 parser: quoted fields with doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    const two = text.slice(i, i + 2);
    if (quoted && two === '""') {
      field += '"';
      i += 2;
    } else if (quoted && c === '"') {
      quoted = false;
      i++;
    } else if (quoted || !'",\r\n'.includes(c)) {
      field += c;
      i++;
    } else if (c === '"') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (two === '\r\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else throw new Error(`bare line break at ${i}`);
  }
  if (field || row.length) throw new Error('last record not ended by CRLF');
  return rows;
}

const at = (text: string, quote: string) => {
  const i = text.indexOf(quote);
  return describeRange(text, i, i + quote.length);
};

let s: Awaited<ReturnType<typeof setup>>;

async function setup() {
  await resetDb();
  const document = await makeDocument(MD);
  const second = await makeDocument(MD);
  const analyst = await makeUser('analyst', 'Ana');
  const mallory = await makeUser('analyst', '@Mallory');
  const viewer = await makeUser('viewer', 'Vic');
  const text = document.revision.text;
  const ev = (await createAnnotation(analyst, document.id, {
    tag: 'evidence', target: at(text, 'artillery shells'), comment: { body: doc('Which report?') },
    source: '=cmd|\' /C calc\'!A0', reliability: 'B', credibility: 2,
  })).body;
  await createComment(mallory, ev.annotation.id, { body: doc('-1+1, "quoted", and a, comma'), parentId: ev.comment!.id });
  const as = (await createAnnotation(analyst, document.id, { tag: 'assessment', target: at(text, 'more will follow'), likelihood: 'likely', confidence: 'moderate' })).body;
  await patchAnnotation(analyst, as.annotation.id, { status: 'resolved', outcome: 'accepted', outcomeRationale: 'Two sources agree', version: 1 });
  const sp = (await createAnnotation(mallory, document.id, { tag: 'speculation', target: at(text, 'thousands of soldiers'), needsSource: true, comment: { body: doc('Source?') } })).body;
  await createLink(analyst, ev.annotation.id, { targetId: as.annotation.id, type: 'supports' });
  return {
    document, second, analyst, mallory, viewer, text, ids: { ev: ev.annotation.id, as: as.annotation.id, sp: sp.annotation.id },
    cookie: await sessionToken(analyst.id), viewerCookie: await sessionToken(viewer.id),
  };
}

const exportOf = (id: string, query: string, cookie = s.cookie) =>
  call(exportRoute.GET, 'GET', `/api/documents/${id}/export?${query}`, { cookie, params: { id } });
const importInto = (id: string, body: unknown, cookie = s.cookie) =>
  call(importRoute.POST, 'POST', `/api/documents/${id}/annotations/import`, { cookie, params: { id }, body });

beforeAll(async () => {
  s = await setup();
});

describe('W3C JSON-LD export', () => {
  it('is an AnnotationCollection that expands against the W3C context and meets the model’s MUSTs', async () => {
    const r = await exportOf(s.document.id, 'format=w3c');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"');
    expect(r.json['@context']).toBe('http://www.w3.org/ns/anno.jsonld');
    expect(r.json).toMatchObject({ type: 'AnnotationCollection', total: 4 });
    expect(r.json.first).toMatchObject({ type: 'AnnotationPage', startIndex: 0 });
    expect(r.json.first.next).toBeUndefined();

    const expanded = (await jsonld.expand(r.json, { documentLoader: documentLoader as never })) as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(expanded).toHaveLength(1);
    const collection = expanded[0];
    expect(collection['@type']).toEqual([`${AS}OrderedCollection`]);
    expect(collection[`${AS}totalItems`][0]['@value']).toBe(4);
    const items = collection[`${AS}first`][0][`${AS}items`][0]['@list'];
    expect(items).toHaveLength(4);
    const absolute = /^https?:\/\/[^/]+\//;
    for (const a of items) {
      // Every annotation: an IRI id, the type, created/modified as dateTimes, a creator Person with a name, a target.
      expect(a['@id']).toMatch(absolute);
      expect(a['@type']).toEqual([`${OA}Annotation`]);
      for (const p of ['created', 'modified']) expect(a[`${DCT}${p}`][0]['@type']).toBe(XSD_DATETIME);
      const creator = a[`${DCT}creator`][0];
      expect(creator['@id']).toMatch(absolute);
      expect(creator['@type']).toEqual(['http://xmlns.com/foaf/0.1/Person']);
      expect(creator['http://xmlns.com/foaf/0.1/name'][0]['@value']).toBeTruthy();
      expect(a[`${OA}hasTarget`]).toHaveLength(1);
    }
    const highlights = items.filter((a: any) => a[`${OA}motivatedBy`][0]['@id'] === `${OA}highlighting`); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(highlights).toHaveLength(3);
    for (const a of highlights) {
      const target = a[`${OA}hasTarget`][0];
      expect(target[`${OA}hasSource`][0]['@id']).toMatch(absolute);
      const types = target[`${OA}hasSelector`].map((x: any) => x['@type'][0]); // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(types.sort()).toEqual([`${OA}TextPositionSelector`, `${OA}TextQuoteSelector`]);
      const bodies = a[`${OA}hasBody`];
      const classifying = bodies.filter((b: any) => b[`${OA}hasPurpose`]?.[0]['@id'] === `${OA}classifying`); // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(classifying).toHaveLength(1);
      expect(classifying[0]['@type']).toEqual([`${OA}TextualBody`]);
    }
    const link = items.find((a: any) => a[`${OA}motivatedBy`][0]['@id'] === `${OA}linking`); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(link[`${OA}hasTarget`][0]['@id']).toMatch(new RegExp(`/api/annotations/${s.ids.ev}$`));
    expect(link[`${OA}hasBody`].some((b: any) => b['@id']?.endsWith(`/api/annotations/${s.ids.as}`))).toBe(true); // eslint-disable-line @typescript-eslint/no-explicit-any
  });

  it('writes comments as commenting/replying HTML bodies and tradecraft as valued bodies', async () => {
    const r = await exportOf(s.document.id, 'format=w3c');
    const ev = r.json.first.items.find((a: { id: string }) => a.id.endsWith(s.ids.ev));
    const bodies = ev.body.map((b: { purpose: string; value: string }) => [b.purpose, b.value]);
    expect(bodies).toEqual([
      ['classifying', 'evidence'],
      ['commenting', '<p>Which report?</p>'],
      ['replying', '<p>-1+1, "quoted", and a, comma</p>'],
      ['assessing', 'grade: B2'],
      ['describing', "source: =cmd|' /C calc'!A0"],
    ]);
    expect(ev.body[1]).toMatchObject({ type: 'TextualBody', format: 'text/html', creator: { type: 'Person', name: 'Ana' } });
    const as = r.json.first.items.find((a: { id: string }) => a.id.endsWith(s.ids.as));
    expect(as.body.map((b: { value: string }) => b.value)).toEqual(['assessment', 'likelihood: likely', 'confidence: moderate', 'status: resolved', 'outcome: accepted', 'outcome rationale: Two sources agree']);
    expect(as.target.selector).toEqual([
      { type: 'TextQuoteSelector', ...at(s.text, 'more will follow').quote },
      { type: 'TextPositionSelector', ...at(s.text, 'more will follow').position },
    ]);
  });

  it('pages a large collection with first, next, prev, last and partOf', async () => {
    const big = await makeDocument(`# Many\n\n${Array.from({ length: 210 }, (_, i) => `Line number ${i} here.`).join('\n\n')}\n`);
    for (let i = 0; i < 210; i++) {
      await createAnnotation(s.analyst, big.id, { tag: 'evidence', target: at(big.revision.text, `Line number ${i} here`) });
    }
    const c = await exportOf(big.id, 'format=w3c');
    expect(c.json.total).toBe(210);
    expect(c.json.first.items).toHaveLength(200);
    expect(c.json.first.next).toMatch(/format=w3c&page=1$/);
    expect(c.json.last).toBe(c.json.first.next);
    const p1 = await call(exportRoute.GET, 'GET', new URL(c.json.last).pathname + new URL(c.json.last).search, { cookie: s.cookie, params: { id: big.id } });
    expect(p1.status).toBe(200);
    expect(p1.json).toMatchObject({ '@context': 'http://www.w3.org/ns/anno.jsonld', type: 'AnnotationPage', startIndex: 200, prev: c.json.first.id, partOf: { id: c.json.id, total: 210 } });
    expect(p1.json.items).toHaveLength(10);
    expect(p1.json.next).toBeUndefined();
    expect((await exportOf(big.id, 'format=w3c&page=2')).status).toBe(404);

    // The download: every item in one streamed file, the same items as the pages, in order.
    const all = await exportOf(big.id, 'format=w3c&page=all');
    expect(all.status).toBe(200);
    expect(all.headers.get('content-disposition')).toBe('attachment; filename="Sample.jsonld"');
    expect(all.json).toMatchObject({ type: 'AnnotationCollection', total: 210, first: { type: 'AnnotationPage', startIndex: 0 } });
    expect(all.json.first.next).toBeUndefined();
    expect(all.json.first.items.map((a: { id: string }) => a.id)).toEqual([...c.json.first.items, ...p1.json.items].map((a: { id: string }) => a.id));
    expect((await exportOf(big.id, 'format=w3c&page=some')).status).toBe(400);
  });
});

describe('CSV export', () => {
  it('is RFC 4180 with one row per annotation, comments joined and formula cells neutralised', async () => {
    const r = await exportOf(s.document.id, 'format=csv');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="Sample.csv"');
    const rows = parseCsv(r.text.replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual(['id', 'tag', 'status', 'quote', 'position', 'author', 'created', 'modified', 'likelihood', 'confidence', 'source', 'grade', 'needs source', 'outcome', 'rationale', 'comments', 'links', 'section']);
    expect(rows).toHaveLength(4);
    const byId = Object.fromEntries(rows.slice(1).map((row) => [row[0], row]));
    const ev = byId[s.ids.ev];
    expect(ev[10]).toBe("'=cmd|' /C calc'!A0");
    expect(ev[11]).toBe('B2');
    expect(ev[15]).toBe('Ana: Which report?\n@Mallory: -1+1, "quoted", and a, comma');
    expect(ev[16]).toBe(`supports ${s.ids.as}`);
    expect(ev[17]).toBe('Alliance');
    const sp = byId[s.ids.sp];
    expect(sp[5]).toBe("'@Mallory");
    expect(sp[12]).toBe('yes');
    expect(sp[17]).toBe('Manpower');
    expect(byId[s.ids.as].slice(8, 10)).toEqual(['likely', 'moderate']);
    expect(byId[s.ids.as].slice(13, 15)).toEqual(['accepted', 'Two sources agree']);
    // No cell anywhere starts with a formula character.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('Markdown report', () => {
  it('has the sections in order, passages by tag, the discussion, outcomes, open questions and checks last', async () => {
    const r = await exportOf(s.document.id, 'format=markdown');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const md = r.text;
    const headings = md.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual(['# Review: Sample', '## Alliance', '### Evidence', '## Manpower', '### Speculation', '### Assessment', '## Open questions', '## Review checks']);
    expect(md).toContain('grade B2 (Usually reliable source; probably true)');
    expect(md).toContain('**Ana:** Which report?');
    expect(md).toContain('**↳ @Mallory:** -1+1, "quoted", and a, comma');
    expect(md).toContain('**Outcome:** Accepted — Two sources agree');
    expect(md).toContain('likely, 55–80 %; moderate confidence');
    const open = md.slice(md.indexOf('## Open questions'), md.indexOf('## Review checks'));
    expect(open).toContain('artillery shells');
    expect(open).toContain('thousands of soldiers');
    expect(open).not.toContain('more will follow');
    expect(md.slice(md.indexOf('## Review checks'))).toMatch(/\n- .+/);
  });

  it('is readable by a viewer and 404 for an unknown document; a bad format is a 400 naming it', async () => {
    expect((await exportOf(s.document.id, 'format=markdown', s.viewerCookie)).status).toBe(200);
    expect((await exportOf('cmissing000000000000000000', 'format=csv')).status).toBe(404);
    const bad = await exportOf(s.document.id, 'format=pdf');
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].path).toEqual(['format']);
  });
});

describe('import', () => {
  it('round-trips our export into a second document: same passages, tags, comments, tradecraft, link', async () => {
    const exported = await exportOf(s.document.id, 'format=w3c');
    const r = await importInto(s.second.id, exported.json);
    expect(r.status).toBe(200);
    expect(r.json.failed).toEqual([]);
    expect(r.json.created).toHaveLength(3);
    const shape = async (documentId: string) => {
      const list = await listAnnotations(s.analyst, documentId, {});
      const comments = await listRevisionComments(s.analyst, documentId);
      return Promise.all(list.map(async (a) => ({
        tag: a.tag, status: a.status, target: a.target, likelihood: a.likelihood, confidence: a.confidence, source: a.source,
        reliability: a.reliability, credibility: a.credibility, needsSource: a.needsSource, outcome: a.outcome, outcomeRationale: a.outcomeRationale,
        comments: comments.filter((c) => c.annotationId === a.id).map((c) => [c.html, c.parentId === null]),
        links: (await getAnnotation(s.analyst, a.id)).links.map((l) => [l.type, l.direction, l.other.quote]),
      })));
    };
    const [a, b] = [await shape(s.document.id), await shape(s.second.id)];
    // Comments by someone other than the importer say who wrote them.
    const mallorySaid = a[0].comments[1][0] as string;
    b[0].comments[1][0] = (b[0].comments[1][0] as string).replace(/^<p><em>@Mallory, \d{4}-\d\d-\d\d:<\/em><\/p>/, '');
    expect(mallorySaid).toBe('<p>-1+1, "quoted", and a, comma</p>');
    b[1].comments[0][0] = (b[1].comments[0][0] as string).replace(/^<p><em>@Mallory, \d{4}-\d\d-\d\d:<\/em><\/p>/, '');
    expect(b).toEqual(a);
  });

  it('imports a Hypothesis-style annotation (tagging body, Markdown text, RangeSelector first) and a Recogito-style one', async () => {
    const text = s.second.revision.text;
    const p = at(text, 'rockets to Moscow');
    const hypothesis = {
      '@context': 'http://www.w3.org/ns/anno.jsonld', type: 'Annotation', id: 'https://hypothes.is/a/abc123',
      created: '2024-05-01T10:00:00.000000+00:00', modified: '2024-05-01T10:00:00.000000+00:00', creator: 'acct:bob@hypothes.is',
      body: [{ type: 'TextualBody', value: 'Is **this** confirmed?\n\nSee https://example.org', format: 'text/markdown' }, { type: 'TextualBody', purpose: 'tagging', value: 'Evidence' }],
      target: [{ source: 'https://example.org/article', selector: [
        { type: 'RangeSelector', startSelector: { type: 'XPathSelector', value: '/p[1]' }, endSelector: { type: 'XPathSelector', value: '/p[1]' } },
        { type: 'TextPositionSelector', start: p.position.start + 40, end: p.position.end + 40 },
        { type: 'TextQuoteSelector', exact: 'rockets to Moscow', prefix: 'artillery shells and ', suffix: ', reports say.' },
      ] }],
    };
    const recogito = {
      '@context': 'http://www.w3.org/ns/anno.jsonld', id: '#0b6b8a1d', type: 'Annotation',
      body: [{ type: 'TextualBody', value: 'Plausible', purpose: 'commenting' }],
      target: { selector: [{ type: 'TextQuoteSelector', exact: 'Analysts judge' }, { type: 'TextPositionSelector', start: 0, end: 14 }] },
    };
    const unplaceable = { type: 'Annotation', body: [], target: { selector: { type: 'TextQuoteSelector', exact: 'a sentence this article never had' } } };
    const image = { type: 'Annotation', target: { source: 'https://example.org/x.png', selector: { type: 'FragmentSelector', value: 'xywh=0,0,10,10' } } };
    // Hypothesis' page note: no selector at all.
    const pageNote = { type: 'Annotation', body: [{ type: 'TextualBody', value: 'About the whole piece' }], target: [{ source: 'https://example.org/article' }] };
    const r = await importInto(s.second.id, { type: 'AnnotationPage', items: [hypothesis, unplaceable, recogito, image, pageNote] });
    expect(r.status).toBe(200);
    expect(r.json.created).toHaveLength(3);
    expect(r.json.failed).toEqual([
      { index: 1, reason: 'its passage is not in this document' },
      { index: 3, reason: 'no TextQuoteSelector or TextPositionSelector in its target' },
    ]);
    const [h, g] = await Promise.all(r.json.created.map((id: string) => getAnnotation(s.analyst, id)));
    expect(h.annotation).toMatchObject({ tag: 'evidence', target: { quote: { exact: 'rockets to Moscow' }, position: p.position } });
    expect(h.comments[0].html).toBe('<p><em>bob, 2024-05-01:</em></p><p>Is **this** confirmed?</p><p>See https://example.org</p>');
    expect(g.annotation).toMatchObject({ tag: 'speculation', target: at(text, 'Analysts judge') });
    expect(g.comments.map((c: { html: string }) => c.html)).toEqual(['<p>Plausible</p>']);
    const note = await getAnnotation(s.analyst, r.json.created[2]);
    expect(note.annotation).toMatchObject({ scope: 'document', tag: 'speculation' });
    expect(note.comments.map((c: { html: string }) => c.html)).toEqual(['<p>About the whole piece</p>']);
  });

  it('answers 400 naming the field of a bad shape, 403 to a viewer, 404 for an unknown document', async () => {
    const bad = await importInto(s.second.id, { type: 'AnnotationCollection', first: { items: [{ type: 'Annotation', target: 5 }] } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toBe('Invalid import: first.items.0.target');
    const nul = await importInto(s.second.id, [{ target: { selector: { type: 'TextQuoteSelector', exact: 'a\u0000b' } } }]);
    expect(nul.status).toBe(400);
    expect(nul.json.error.details[0].path).toEqual(['0', 'target', 'selector', 'exact']);
    expect((await importInto(s.second.id, [], s.viewerCookie)).status).toBe(403);
    expect((await importInto('cmissing000000000000000000', [])).status).toBe(404);
  });
});

describe('page notes in the CSV and the report', () => {
  it('read "About the whole document" (not an empty quote) and open the report in a section of their own', async () => {
    const d = await makeDocument(MD);
    const note = (await createAnnotation(s.analyst, d.id, { tag: 'assessment', scope: 'document', comment: { body: doc('Overall: well sourced.') } })).body.annotation;
    await createAnnotation(s.analyst, d.id, { tag: 'evidence', target: at(d.revision.text, 'artillery shells') });
    const rows = parseCsv((await exportOf(d.id, 'format=csv')).text.replace(/^\uFEFF/, ''));
    const row = rows.find((r) => r[0] === note.id)!;
    expect(row.slice(3, 5)).toEqual(['About the whole document', '']);
    expect(row[17]).toBe('');
    const md = (await exportOf(d.id, 'format=markdown')).text;
    const headings = md.split('\n').filter((l) => l.startsWith('#'));
    expect(headings.slice(0, 3)).toEqual(['# Review: Sample', '## The whole document (page notes)', '### Assessment']);
    expect(md).toContain('- About the whole document — open · by Ana');
    expect(md.slice(md.indexOf('## Open questions'))).toContain('Assessment: “About the whole document”');
    // The W3C export of a page note imports back as a page note.
    const copy = await makeDocument(MD);
    const r = await importInto(copy.id, (await exportOf(d.id, 'format=w3c')).json);
    expect(r.json.failed).toEqual([]);
    const notes = (await listAnnotations(s.analyst, copy.id, {})).filter((a) => a.scope === 'document');
    expect(notes.map((a) => [a.tag, a.commentCount])).toEqual([['assessment', 1]]);
  });
});
