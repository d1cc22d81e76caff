/**
 * The API fuzzer: generated requests against every endpoint (every exported method of every
 * app/api/**\/route.ts, found on disk), through the real handlers and database. Each request is
 * built from the endpoint's own shape (a valid path id, query and JSON body) with mutations:
 * NUL, lone surrogates and emoji at every position of strings, huge, negative, fractional,
 * 2^31 and 2^63 numbers, wrong types, missing and extra fields, repeated query fields, odd or
 * missing content types, bodies that are not JSON or not UTF-8. Whatever it sends:
 *
 *   - the answer is never a 5xx, and
 *   - every answer that is not 2xx is the error envelope `{ error: { code, message } }`.
 *
 * `npm test` runs it with the fixed seed of scripts/test/property-setup.ts (about 10,000
 * requests); FC_SEED=random FC_SCALE=n searches further. A counterexample it finds gets a focused
 * test in "known classes" below, with its fix.
 */
import '@/scripts/test/property-setup';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describe as describeRange } from '@/lib/domain/anchoring';
import { createAnnotation } from '@/lib/server/annotations';
import { createComment } from '@/lib/server/comments';
import { restoreDocument } from '@/lib/server/document-admin';
import { boundedSuggestions, dismissSuggestion, suggestionKey } from '@/lib/server/review';
import { db } from '@/lib/server/db';
import { createToken } from '@/lib/server/tokens';
import { doc, makeDocument, makeUser, resetDb, sessionToken } from '@/scripts/test/db';
import { apiEndpoints, call, ORIGIN, type CallOpts, type Endpoint } from '@/scripts/test/http';
import { runs } from '@/scripts/test/property';

/** Requests per endpoint in `npm test`; with ~26 endpoints that is over 10,000 in all. */
const PER_ENDPOINT = 400;
const MIN_TOTAL = 10_000;

/** A text with emoji (surrogate pairs) and a skin-tone modifier, so offsets can fall inside them. */
const FUZZ_MD = `# Fuzz 😀 title

The first 😀 paragraph says something measurable about artillery shells 👍🏽 and more.

A second paragraph with “curly quotes” – and 🇺🇦 flags, ${'x'.repeat(31)}😀${'y'.repeat(40)}.

Reports indicate 😀 it may rain. It is likely to snow.
`;

interface World {
  text: string;
  documentId: string;
  /** New revisions go to this document, so the text that targets are built on stays put. */
  revisableId: string;
  revisionId: string;
  annotationIds: string[];
  commentIds: string[];
  tokenIds: string[];
  userIds: string[];
  /** The keys of the document's suggestions. */
  suggestionKeys: string[];
  cookies: Record<'admin' | 'analyst' | 'viewer', string>;
  users: Record<'admin' | 'analyst' | 'viewer', { id: string; role: 'admin' | 'analyst' | 'viewer'; name: string }>;
}

// ---- value generators ----------------------------------------------------------------------

const NASTY = ['\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D', '\uDE00', '😀', '👍🏽', '🇺🇦', '\uFFFD', '\uFFFF', '\uFEFF', '\u202E', '\u0301', '\r\n', '\t', ' ', '%00', '%', '..', '/', '\\', '"', "'", '<script>', '${x}', 'null'];
const nastyPiece = fc.constantFrom(...NASTY);
const str = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.tuple(fc.string({ maxLength: 12 }), nastyPiece, fc.string({ maxLength: 12 })).map(([a, b, c]) => a + b + c),
  fc.constantFrom('', ' ', '   ', 'x'.repeat(65), 'x'.repeat(257), 'y'.repeat(10_001), '😀'.repeat(60)),
);
const num = fc.oneof(
  fc.constantFrom(0, -1, 1, 2, 1.5, -0.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, 2 ** 53, 2 ** 63, 1e308, -1e308, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const wrongType = fc.constantFrom<unknown>(null, true, false, [], {}, [1, 'a'], { a: 1 }, '1', 0);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(str, num, wrongType);

/** Paths to every value in a JSON value (the root included). */
function valuePaths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(v)) v.forEach((c, i) => out.push(...valuePaths(c, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) out.push(...valuePaths(c, [...at, k]));
  return out;
}

type Mutation =
  | { op: 'replace'; pick: number; value: unknown }
  | { op: 'delete'; pick: number }
  | { op: 'insert'; pick: number; pos: number; piece: string }
  | { op: 'extra'; pick: number; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), pick: fc.nat(), value: anyValue }),
  fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), pick: fc.nat(), pos: fc.nat(), piece: nastyPiece }),
  fc.record({ op: fc.constant('extra' as const), pick: fc.nat(), key: str, value: anyValue }),
);

function mutate(value: unknown, m: Mutation): unknown {
  const root = structuredClone(value);
  const paths = valuePaths(root);
  const at = paths[m.pick % paths.length];
  const get = (p: (string | number)[]) => p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)?.[k], root);
  const set = (p: (string | number)[], v: unknown) => {
    if (!p.length) return v;
    (get(p.slice(0, -1)) as Record<string | number, unknown>)[p[p.length - 1]] = v;
    return root;
  };
  const cur = get(at);
  switch (m.op) {
    case 'replace':
      return set(at, m.value);
    case 'delete': {
      if (!at.length) return undefined;
      const parent = get(at.slice(0, -1));
      if (Array.isArray(parent)) parent.splice(Number(at[at.length - 1]), 1);
      else delete (parent as Record<string, unknown>)[at[at.length - 1]];
      return root;
    }
    case 'insert': {
      if (typeof cur !== 'string') return set(at, m.piece);
      const i = m.pos % (cur.length + 1);
      return set(at, cur.slice(0, i) + m.piece + cur.slice(i));
    }
    case 'extra':
      if (cur && typeof cur === 'object' && !Array.isArray(cur)) (cur as Record<string, unknown>)[m.key] = m.value;
      return root;
  }
}

/** A (mostly) valid target on the fuzz text: offsets anywhere, so inside emoji too. */
const target = (w: World) =>
  fc.tuple(fc.nat({ max: w.text.length }), fc.nat({ max: w.text.length }), fc.boolean()).map(([a, b, context]) => {
    const [s, e] = a === b ? [a, Math.min(a + 1, w.text.length)] : [Math.min(a, b), Math.max(a, b)];
    const quote = { exact: w.text.slice(s, e), ...(context ? { prefix: w.text.slice(Math.max(0, s - 32), s), suffix: w.text.slice(e, e + 32) } : {}) };
    return { quote, position: { start: s, end: e } };
  });

const commentDoc = fc.oneof(
  str.map((t) => doc(t || 'x')),
  str.map((href) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'l', marks: [{ type: 'link', attrs: { href } }] }] }] })),
  // Deep, but not so deep that the generator's own recursion (paths, counterexample printing)
  // overflows; far deeper bodies are sent as raw JSON text below.
  fc.nat({ max: 40 }).map((depth) => {
    let node: unknown = { type: 'text', text: 'deep' };
    for (let i = 0; i < depth; i++) node = { type: i % 2 ? 'listItem' : 'bulletList', content: [node] };
    return { type: 'doc', content: [node] };
  }),
);

/** An article in the revision editor's JSON, with the attributes its nodes take (mutated by the fuzzer). */
const ARTICLE_DOC = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Title 😀' }] },
    { type: 'paragraph', content: [{ type: 'text', text: 'A link', marks: [{ type: 'link', attrs: { href: 'https://example.org/' } }, { type: 'bold' }] }] },
    { type: 'orderedList', attrs: { start: 3 }, content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'item' }] }] }] },
    { type: 'codeBlock', attrs: { language: 'ts' }, content: [{ type: 'text', text: 'let x = 1;' }] },
    { type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'quoted', marks: [{ type: 'code' }] }, { type: 'hardBreak' }] }] },
    { type: 'horizontalRule' },
  ],
};

/** The valid shape of each endpoint's body, from which mutations start. */
function bodyShape(ep: Endpoint, w: World): fc.Arbitrary<unknown> {
  const pick = <T,>(xs: T[]) => fc.constantFrom(...xs);
  switch (ep.key) {
    case 'POST /api/documents/[id]/annotations':
      return fc.record({
        tag: pick(['evidence', 'speculation', 'assessment']), target: target(w), comment: fc.option(commentDoc.map((body) => ({ body })), { nil: undefined }), revisionId: fc.option(fc.constant(w.revisionId), { nil: undefined }),
        likelihood: fc.option(pick(['unlikely', 'very_likely', null]), { nil: undefined }), reliability: fc.option(pick(['B', 'E', null]), { nil: undefined }),
        credibility: fc.option(pick([2, 5, null]), { nil: undefined }), source: fc.option(str, { nil: undefined }), needsSource: fc.option(fc.boolean(), { nil: undefined }),
      });
    case 'PATCH /api/annotations/[id]':
      return fc.record({
        tag: fc.option(pick(['evidence', 'assessment']), { nil: undefined }), status: fc.option(pick(['open', 'resolved']), { nil: undefined }), target: fc.option(target(w), { nil: undefined }), version: fc.oneof(fc.constant(1), num),
        likelihood: fc.option(pick(['likely', 'almost_certain', null]), { nil: undefined }), confidence: fc.option(pick(['low', 'high', null]), { nil: undefined }),
        source: fc.option(fc.oneof(str, fc.constant('https://example.org/report')), { nil: undefined }), reliability: fc.option(pick(['A', 'F', 'Z', null]), { nil: undefined }),
        credibility: fc.option(pick([1, 6, 7, null]), { nil: undefined }), needsSource: fc.option(fc.boolean(), { nil: undefined }),
        outcome: fc.option(pick(['accepted', 'needs_source', null]), { nil: undefined }), outcomeRationale: fc.option(str, { nil: undefined }),
      });
    case 'POST /api/documents/[id]/annotations/import':
      return fc.record({
        type: fc.option(pick(['AnnotationPage', 'Annotation']), { nil: undefined }),
        items: fc.array(fc.record({ type: fc.constant('Annotation'), body: fc.option(fc.record({ type: fc.constant('TextualBody'), purpose: pick(['tagging', 'commenting', 'replying', 'assessing']), value: fc.oneof(str, pick(['evidence', 'likelihood: likely', 'grade: B2'])) }), { nil: undefined }), target: fc.record({ selector: fc.record({ type: pick(['TextQuoteSelector', 'TextPositionSelector']), exact: fc.oneof(str, fc.constant('artillery shells')), start: fc.oneof(fc.constant(0), num), end: fc.oneof(fc.constant(5), num) }) }) }), { maxLength: 3 }),
      });
    case 'POST /api/w3c/documents/[id]':
    case 'PUT /api/w3c/documents/[id]/[annotationId]':
      return fc.record({
        type: pick(['Annotation', 'AnnotationPage']), id: fc.option(str, { nil: undefined }), canonical: fc.option(str, { nil: undefined }),
        body: fc.array(fc.record({ type: fc.constant('TextualBody'), purpose: pick(['classifying', 'commenting', 'tagging', 'assessing']), value: fc.oneof(str, pick(['evidence', 'likelihood: likely', 'grade: B2'])) }), { maxLength: 3 }),
        target: fc.oneof(
          target(w).map((t) => ({ source: `${ORIGIN}/api/documents/${w.documentId}`, selector: [{ type: 'TextQuoteSelector', ...t.quote }, { type: 'TextPositionSelector', ...t.position }] })),
          fc.constantFrom(`${ORIGIN}/api/documents/${w.documentId}`, `${ORIGIN}/api/documents/${w.documentId}?revision=${w.revisionId}`, 'https://example.org/'),
        ),
      });
    case 'POST /api/annotations/[id]/links':
      return fc.record({ targetId: fc.oneof(pick(w.annotationIds), str), type: pick(['supports', 'contradicts', 'depends_on']) });
    case 'POST /api/documents/[id]/suggestions/dismissals':
      return fc.record({ key: fc.oneof(pick(w.suggestionKeys), fc.constant('0'.repeat(32)), str) });
    case 'POST /api/annotations/[id]/comments':
      return fc.record({ body: commentDoc, parentId: fc.option(pick(w.commentIds), { nil: undefined }) });
    case 'PATCH /api/comments/[id]':
      return fc.record({ body: commentDoc, version: fc.oneof(fc.constant(1), num) });
    case 'POST /api/documents':
      return fc.record({ title: str, format: pick(['markdown', 'html', 'text']), source: fc.oneof(str, fc.constant(FUZZ_MD)) });
    case 'PATCH /api/documents/[id]':
      return fc.record({ title: str });
    case 'POST /api/documents/[id]/revisions':
      return fc.oneof(
        fc.record({ format: pick(['markdown', 'html', 'text']), source: fc.oneof(str, fc.constant(FUZZ_MD)) }),
        fc.record({ content: fc.oneof(commentDoc, fc.constant(ARTICLE_DOC)), baseRevisionId: fc.option(fc.constant(w.revisionId), { nil: undefined }) }),
      );
    case 'POST /api/users':
      return fc.record({ email: fc.oneof(str, fc.nat().map((n) => `fuzz-${n}@example.test`)), name: str, password: fc.oneof(str, fc.constant('a rare passphrase'), fc.constant('password')) });
    case 'PATCH /api/users/[id]':
      return fc.record({ role: fc.option(pick(['admin', 'analyst', 'viewer']), { nil: undefined }), active: fc.option(fc.boolean(), { nil: undefined }) });
    case 'POST /api/tokens':
      return fc.record({ name: str });
    case 'POST /api/notifications/read':
      return fc.oneof(fc.record({ ids: fc.array(fc.oneof(str, pick(w.userIds)), { maxLength: 4 }) }), fc.constant({ all: true }));
    case 'PATCH /api/me/preferences':
      return fc.record({ email: pick(['none', 'mentions', 'all']) });
    default:
      return fc.constant({});
  }
}

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', ''];

type RawBody = { kind: 'json'; value: unknown } | { kind: 'raw'; bytes: Uint8Array } | { kind: 'none' };
const rawBody = (shape: fc.Arbitrary<unknown>): fc.Arbitrary<RawBody> =>
  fc.oneof(
    // A good share unmutated, so success paths (writes, events, re-anchoring) run too.
    { weight: 3, arbitrary: shape.map((value) => ({ kind: 'json' as const, value })) },
    { weight: 5, arbitrary: fc.tuple(shape, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([v, ms]) => ({ kind: 'json' as const, value: ms.reduce(mutate, v) })) },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[1,', 'nul', '{"tag":"\\ud800"}', '"\\u0000"', '[]', 'null', '0', '{"__proto__":{"x":1}}', '['.repeat(20_000)).map((s) => ({ kind: 'raw' as const, bytes: new TextEncoder().encode(s) })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('body', 'content', 'comment'), fc.integer({ min: 100, max: 20_000 })).map(([key, n]) => ({ kind: 'raw' as const, bytes: new TextEncoder().encode(`{"${key}":${'{"type":"doc","content":['.repeat(n)}${']}'.repeat(n)},"version":1}`) })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 32 }).map((bytes) => ({ kind: 'raw' as const, bytes: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, ...bytes]) })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  );

/** Header values are ByteStrings: Latin-1 only, no NUL, CR or LF (fetch refuses the rest). */
const headerValue = fc.oneof(fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 210 }), fc.constantFrom('', ' ', 'k'.repeat(201), 'once'));

const QUERY_KEYS = ['tag', 'status', 'author', 'q', 'revision', 'include', 'after', 'deleted', 'before', 'format', 'page', 'mine', 'hasReplies', 'outcome', 'from', 'to', 'limit', 'iris'];
const queryPairs = (w: World) =>
  fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...QUERY_KEYS), str),
      fc.oneof(str, fc.constantFrom('evidence', 'open', 'resolved', 'comments', 'dismissed', 'w3c', 'csv', 'markdown', w.revisionId, w.users.admin.id, '%', '_', '\\', '0', '99999999999999999999', 'true', 'none', 'evidence,assessment', '2026-01-01', '2026-01-01T00:00:00Z', "'x':* & !", 'KN-23')),
    ),
    { maxLength: 4 },
  );

const idFor = (ep: Endpoint, w: World): fc.Arbitrary<string> => {
  const pool = ep.key === 'POST /api/documents/[id]/revisions' ? [w.revisableId]
    : ep.route.includes('[key]') ? w.suggestionKeys.map((k) => `${w.documentId} ${k}`)
    : ep.route.includes('[annotationId]') ? w.annotationIds.map((a) => `${w.documentId} ${a}`)
    : ep.route.startsWith('/api/w3c/documents/[id]') ? [w.documentId]
    : ep.route.startsWith('/api/documents/[id]') ? [w.documentId]
    : ep.route.startsWith('/api/annotations/') ? w.annotationIds
    : ep.route.startsWith('/api/comments/') ? w.commentIds
    : ep.route.startsWith('/api/tokens/') ? w.tokenIds
    : ep.route.startsWith('/api/users/') ? w.userIds
    : ['x'];
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 2, arbitrary: str }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...pool), nastyPiece).map(([a, b]) => a + b) });
};

/** A URL path segment for any string (a lone surrogate has no percent-encoding; U+FFFD stands in). */
const segment = (s: string) => encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));

interface FuzzRequest { who: 'admin' | 'analyst' | 'viewer'; id: string; query: [string, string][]; body: RawBody; contentType: string; idempotencyKey: string | null; origin: string | null }

const requestFor = (ep: Endpoint, w: World): fc.Arbitrary<FuzzRequest> =>
  fc.record({
    who: fc.constantFrom('admin', 'admin', 'analyst', 'viewer'),
    id: idFor(ep, w),
    query: queryPairs(w),
    // fetch cannot send a body with GET; a DELETE may carry one (and must be ignored).
    body: ep.method === 'GET' || ep.method === 'HEAD' ? fc.constant({ kind: 'none' as const }) : ep.method === 'DELETE' ? fc.oneof({ weight: 5, arbitrary: fc.constant({ kind: 'none' as const }) }, { weight: 1, arbitrary: rawBody(fc.constant({})) }) : rawBody(bodyShape(ep, w)),
    contentType: fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
    idempotencyKey: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: headerValue }),
    origin: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('http://localhost:3000', 'https://evil.example', 'null', '::::') }),
  });

// ---- world -----------------------------------------------------------------------------------

async function makeWorld(): Promise<World> {
  await resetDb();
  const users = { admin: await makeUser('admin'), analyst: await makeUser('analyst'), viewer: await makeUser('viewer') };
  const d = await makeDocument(FUZZ_MD);
  const text = d.revision.text;
  const annotationIds: string[] = [];
  const commentIds: string[] = [];
  for (const [i, word] of ['artillery', 'paragraph', 'curly'].entries()) {
    const s = text.indexOf(word);
    const a = await createAnnotation(i ? users.analyst : users.admin, d.id, { tag: 'evidence', target: describeRange(text, s, s + word.length) });
    annotationIds.push(a.body.annotation.id);
    commentIds.push((await createComment(users.viewer, a.body.annotation.id, { body: doc('A comment 😀') })).body.comment.id);
  }
  const tokenIds = [(await createToken(users.admin, 'fuzz')).id];
  const w: World = {
    text, documentId: d.id, revisableId: (await makeDocument(FUZZ_MD)).id, revisionId: d.revision.id, annotationIds, commentIds, tokenIds,
    userIds: Object.values(users).map((u) => u.id), users, cookies: { admin: '', analyst: '', viewer: '' },
    suggestionKeys: boundedSuggestions(text).map(suggestionKey),
  };
  expect(w.suggestionKeys.length).toBeGreaterThan(1);
  await dismissSuggestion(users.admin, d.id, w.suggestionKeys[0]);
  await refreshCookies(w);
  return w;
}

/**
 * After a successful delete, a new resource takes the deleted one's place in its pool, so the
 * fuzzer keeps reaching live resources (and their success paths) to the end.
 */
async function replenish(w: World, key: string, id: string): Promise<void> {
  const swap = (pool: string[], fresh: string) => pool.splice(pool.indexOf(id), 1, fresh);
  // A deleted document comes back at once, so the endpoints fuzzed after this one still find it.
  if (key === 'DELETE /api/documents/[id]' && (id === w.documentId || id === w.revisableId)) await restoreDocument(w.users.admin, id);
  if (key === 'DELETE /api/tokens/[id]' && w.tokenIds.includes(id)) swap(w.tokenIds, (await createToken(w.users.admin, 'fuzz')).id);
  const annotationId = key === 'DELETE /api/w3c/documents/[id]/[annotationId]' ? (id.split(' ')[1] ?? '') : id;
  if ((key === 'DELETE /api/annotations/[id]' || key === 'DELETE /api/w3c/documents/[id]/[annotationId]') && w.annotationIds.includes(annotationId)) {
    const s = w.text.indexOf('artillery');
    w.annotationIds.splice(w.annotationIds.indexOf(annotationId), 1, (await createAnnotation(w.users.admin, w.documentId, { tag: 'evidence', target: describeRange(w.text, s, s + 9) })).body.annotation.id);
  }
  // A restored suggestion is dismissed again, so the next restore can succeed too.
  if (key === 'DELETE /api/documents/[id]/suggestions/dismissals/[key]') {
    const [documentId, k = ''] = id.split(' ');
    if (documentId === w.documentId && w.suggestionKeys.includes(k)) await dismissSuggestion(w.users.admin, documentId, k);
  }
  if (key === 'DELETE /api/comments/[id]' && w.commentIds.includes(id)) {
    swap(w.commentIds, (await createComment(w.users.viewer, w.annotationIds[0], { body: doc('Again') })).body.comment.id);
  }
}

/** Fresh sessions for the fuzz users, active again and with their roles (the fuzzer may change them). */
async function refreshCookies(w: World): Promise<void> {
  for (const who of ['admin', 'analyst', 'viewer'] as const) {
    const u = await db().user.update({ where: { id: w.users[who].id }, data: { active: true, role: who } });
    w.cookies[who] = await sessionToken(u.id, u.sessionVersion);
  }
}

function options(w: World, r: FuzzRequest): CallOpts {
  const headers: Record<string, string> = {};
  if (r.body.kind !== 'none' && r.contentType) headers['content-type'] = r.contentType;
  if (r.idempotencyKey !== null) headers['idempotency-key'] = r.idempotencyKey;
  if (r.origin !== null) headers.origin = r.origin;
  const raw = r.body.kind === 'json' ? (r.body.value === undefined ? '' : JSON.stringify(r.body.value)) : r.body.kind === 'raw' ? r.body.bytes : undefined;
  return { cookie: w.cookies[r.who], headers, raw };
}

function pathFor(ep: Endpoint, r: FuzzRequest): { path: string; params: Record<string, string | string[]> } {
  const qs = r.query.length ? `?${new URLSearchParams(r.query).toString()}` : '';
  if (ep.route.includes('[key]')) {
    // The id is "<documentId> <key>" (idFor).
    const [id, key = ''] = r.id.split(' ');
    return { path: ep.route.replace('[id]', segment(id)).replace('[key]', segment(key)) + qs, params: { id, key } };
  }
  if (ep.route.includes('[annotationId]')) {
    // The id is "<documentId> <annotationId>" (idFor).
    const [id, annotationId = ''] = r.id.split(' ');
    return { path: ep.route.replace('[id]', segment(id)).replace('[annotationId]', segment(annotationId)) + qs, params: { id, annotationId } };
  }
  // The protocol's container is spelled with its trailing slash (without it: a 308).
  if (ep.route === '/api/w3c/documents/[id]') return { path: `/api/w3c/documents/${segment(r.id)}/${qs}`, params: { id: r.id } };
  if (ep.route.includes('[...rest]')) return { path: `/api/${segment(r.id)}${qs}`, params: { rest: [r.id] } };
  if (ep.route.includes('[id]')) return { path: ep.route.replace('[id]', segment(r.id)) + qs, params: { id: r.id } };
  return { path: ep.route + qs, params: {} };
}

/** Endpoints the fuzzer cannot call in-process, with the reason. */
const NOT_FUZZED: Record<string, string> = {
  'GET /api/auth/[...nextauth]': "next-auth's handler needs a running Next server's request scope",
  'POST /api/auth/[...nextauth]': "next-auth's handler needs a running Next server's request scope",
};

// ---- tests -----------------------------------------------------------------------------------

describe('API fuzzer: no 5xx, every error in the envelope', async () => {
  const endpoints = (await apiEndpoints()).filter((e) => !(e.key in NOT_FUZZED));
  let w: World;
  let sent = 0;
  beforeAll(async () => {
    w = await makeWorld();
  }, 60_000);
  afterAll(async () => {
    await resetDb();
  });

  for (const ep of endpoints) {
    it(ep.key, async () => {
      await fc.assert(
        fc.asyncProperty(requestFor(ep, w), async (r) => {
          const { path, params } = pathFor(ep, r);
          const res = await call(ep.handler, ep.method, path, { ...options(w, r), params });
          sent++;
          // Signing out everywhere, a demotion or a deactivation would end the fuzz users' sessions.
          if (res.status < 300 && (ep.key === 'DELETE /api/me/sessions' || ep.key === 'PATCH /api/users/[id]')) await refreshCookies(w);
          if (res.status === 204) await replenish(w, ep.key, r.id);
          expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
          if (res.status >= 300) {
            expect(res.json, res.text.slice(0, 300)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
          }
        }),
        runs(PER_ENDPOINT),
      );
    }, runs(120_000).numRuns); // 2 minutes per FC_SCALE
  }

  it(`sent at least ${MIN_TOTAL.toLocaleString('en')} requests`, () => {
    expect(sent).toBeGreaterThanOrEqual(runs(MIN_TOTAL).numRuns);
  });
});

/**
 * The classes of 5xx the fuzzer (and the issue before it) found, each pinned by a focused test.
 * They answered 500 before: the database refused the text or the number.
 */
describe('known classes of odd input answer 4xx, never 500', async () => {
  const all = await apiEndpoints();
  const ep = (key: string) => all.find((e) => e.key === key)!;
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  }, 60_000);
  const send = (key: string, o: { id?: string; body?: unknown; query?: string; headers?: Record<string, string> } = {}) => {
    const e = ep(key);
    const id = o.id ?? '';
    const path = (e.route.includes('[id]') ? e.route.replace('[id]', segment(id)) : e.route) + (o.query ?? '');
    return call(e.handler, e.method, path, { cookie: w.cookies.admin, params: id ? { id } : {}, body: o.body, headers: o.headers });
  };

  it('a NUL or lone surrogate in a path id is a 400 naming id, on every route with an id', async () => {
    // (HEAD on the event stream is refused before its id is read.)
    const withId = all.filter((e) => e.route.includes('[id]') && e.method !== 'HEAD');
    expect(withId.length).toBeGreaterThan(10);
    for (const e of withId) {
      for (const id of [`${w.annotationIds[0]}\u0000`, '\uD800', 'x'.repeat(65)]) {
        const r = await send(e.key, { id, body: e.method === 'GET' || e.method === 'HEAD' || e.method === 'DELETE' ? undefined : {} });
        expect(r.status, `${e.key} ${JSON.stringify(id)}`).toBe(400);
        expect(r.json.error.details[0].path).toEqual(['id']);
      }
    }
  });

  it('a highlight starting 32 characters after an emoji stores a prefix without half of it (with and without a first comment)', async () => {
    for (const comment of [undefined, { body: doc('First') }]) {
      // start - 32 falls between the emoji's halves.
      const s = w.text.indexOf('😀' + 'y'.repeat(40)) + 1 + 32;
      const t = describeRange(w.text, s, s + 3);
      const r = await send('POST /api/documents/[id]/annotations', { id: w.documentId, body: { tag: 'evidence', target: t, comment } });
      expect(r.status, r.text).toBe(201);
      expect(r.json.annotation.target.quote.prefix).toBe('y'.repeat(31));
    }
  });

  it('a selection starting or ending inside an emoji is a 400 naming the quote', async () => {
    const e = w.text.indexOf('😀');
    const inside = { quote: { exact: w.text.slice(e + 1, e + 4) }, position: { start: e + 1, end: e + 4 } };
    const r = await send('POST /api/documents/[id]/annotations', { id: w.documentId, body: { tag: 'evidence', target: inside } });
    expect(r.status).toBe(400);
    expect(r.json.error.details[0].path).toEqual(['target', 'quote', 'exact']);
  });

  it('NUL and lone surrogates in titles, sources, names, token names, comments, queries and keys are 400s naming the field', async () => {
    const cases: [string, { id?: string; body?: unknown; query?: string; headers?: Record<string, string> }, string[]][] = [
      ['POST /api/documents', { body: { title: 'T\u0000', format: 'text', source: 'x' } }, ['title']],
      ['POST /api/documents', { body: { title: 'T', format: 'text', source: 'x\uDC00' } }, ['source']],
      ['POST /api/users', { body: { email: 'n@example.test', name: 'N\uD800', password: 'a rare passphrase' } }, ['name']],
      ['POST /api/tokens', { body: { name: '\u0000' } }, ['name']],
      ['POST /api/annotations/[id]/comments', { id: w.annotationIds[0], body: { body: doc('hi \uD83D') } }, ['body', 'content', '0', 'content', '0', 'text']],
      ['PATCH /api/comments/[id]', { id: w.commentIds[0], body: { body: doc('\u0000'), version: 1 } }, ['body', 'content', '0', 'content', '0', 'text']],
      ['GET /api/documents/[id]/annotations', { id: w.documentId, query: '?q=%00' }, ['q']],
      ['GET /api/documents/[id]/annotations', { id: w.documentId, query: '?author=a%00' }, ['author']],
      ['GET /api/documents/[id]/comments', { id: w.documentId, query: '?annotations=a%00' }, ['annotations', '0']],
      ['GET /api/documents/[id]/comments', { id: w.documentId, query: `?annotations=${Array(101).fill('a').join(',')}` }, ['annotations']],
      ['GET /api/search', { query: '?q=%00' }, ['q']],
      ['GET /api/search', { query: `?q=${'x'.repeat(201)}` }, ['q']],
      ['GET /api/documents/[id]', { id: w.documentId, query: '?revision=%00' }, ['revision']],
      ['POST /api/annotations/[id]/comments', { id: w.annotationIds[0], body: { body: doc('x') }, headers: { 'idempotency-key': 'k'.repeat(201) } }, ['Idempotency-Key']],
    ];
    for (const [key, o, path] of cases) {
      const r = await send(key, o);
      expect(r.status, `${key} ${r.text}`).toBe(400);
      expect(r.json.error.details.map((d: { path: string[] }) => d.path)).toContainEqual(path);
    }
  });

  it('versions above 2^31 - 1 are 400s naming version, not a database overflow', async () => {
    for (const version of [2 ** 31, 2 ** 63]) {
      const a = await send('PATCH /api/annotations/[id]', { id: w.annotationIds[0], body: { status: 'resolved', version } });
      expect(a.status).toBe(400);
      expect(a.json.error.details[0].path).toEqual(['version']);
      const c = await send('PATCH /api/comments/[id]', { id: w.commentIds[0], body: { body: doc('x'), version } });
      expect(c.status).toBe(400);
    }
  });

  it('weak passwords are 400s naming password', async () => {
    for (const password of ['        ', 'password', 'Password1', 'iloveyou']) {
      const r = await send('POST /api/users', { body: { email: 'weak@example.test', name: 'Weak', password } });
      expect(r.status, password).toBe(400);
      expect(r.json.error.details[0].path).toEqual(['password']);
    }
  });
});
