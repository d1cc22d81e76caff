/**
 * The access matrix, generated from the route files: every exported method of every
 * app/api/**\/route.ts (found on disk when the test runs) is called, through the real handler,
 * by every kind of caller on every kind of resource, and must answer the status in TABLE below.
 * An endpoint without an entry fails the test, so a new route must say who may call it.
 *
 * Callers: nobody (anonymous), a viewer, an analyst, an admin (each by session cookie), the
 * cookie of a deactivated user and a revoked API token (whose user is an active analyst).
 * Resources: `own` (authored by the caller: the "author" column for each role), `other` (another
 * user's), `missing` (a well-formed id that does not exist), or `none` for routes without an id.
 * Every resource is made afresh for its request, so deletes and edits do not affect other cells.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describe as describeRange } from '@/lib/domain/anchoring';
import type { Role } from '@/lib/domain/tags';
import { createAnnotation } from '@/lib/server/annotations';
import { createComment } from '@/lib/server/comments';
import { createLink } from '@/lib/server/links';
import { dismissSuggestion, suggestionKey } from '@/lib/server/review';
import { db } from '@/lib/server/db';
import { createToken, revokeToken } from '@/lib/server/tokens';
import { doc, makeDocument, makeUser, resetDb, sessionToken } from '@/scripts/test/db';
import { apiEndpoints, call, ORIGIN, type CallOpts, type CallResult, type Endpoint } from '@/scripts/test/http';

const CALLERS = ['anonymous', 'viewer', 'analyst', 'admin', 'deactivated', 'revoked'] as const;
type Caller = (typeof CALLERS)[number];
type Subject = 'own' | 'other' | 'missing' | 'none';
/**
 * `link`: a link from a fresh annotation to the fixture's link target; its id is "<annotationId> <linkId>".
 * `hedged`: a document with one suggestion (HEDGED_MD). `dismissal`: that suggestion dismissed; its id is "<documentId> <key>".
 */
type Resource = 'none' | 'document' | 'annotation' | 'comment' | 'token' | 'user' | 'link' | 'hedged' | 'dismissal';
const HEDGED_MD = '# Hedged\n\nReports indicate artillery shells were shipped.\n';
/** The key of HEDGED_MD's one suggestion. */
const hedgedKey = () => suggestionKey({ quote: 'Reports indicate artillery shells were shipped.', term: 'Reports indicate' });
const MISSING_ID = 'cmissing000000000000000000';

interface User { id: string; role: Role; name: string }
interface Fixture {
  users: Record<Exclude<Caller, 'anonymous'> | 'stranger', User>;
  documentId: string;
  text: string;
  revokedToken: string;
  /** A highlight of `documentId` that links point to. */
  linkTargetId: string;
}

interface RequestSpec {
  /** Replaces `[id]` in the route's path. */
  id?: string;
  query?: string;
  body?: unknown;
  params?: Record<string, string | string[]>;
  /** The route path with catch-all segments filled in. */
  path?: string;
}

/** own, other, missing (for routes with an id), or one status for every subject. */
type Statuses = number | [own: number, other: number, missing: number];

interface Entry {
  resource: Resource;
  request?: (f: Fixture, id: string) => RequestSpec;
  /** Statuses for the three roles; anonymous, deactivated and revoked default to 401. */
  expect: Partial<Record<Caller, Statuses>> & Record<'viewer' | 'analyst' | 'admin', Statuses>;
  /** Checks the answer further (e.g. stream headers) after the status. */
  check?: (r: CallResult) => void;
  /** An endpoint listed but not called (with the reason). */
  skip?: string;
}

const ALL = (s: Statuses): Entry['expect'] => ({ viewer: s, analyst: s, admin: s });
const quoteOf = (f: Fixture) => {
  const i = f.text.indexOf('artillery shells');
  return describeRange(f.text, i, i + 16);
};
let counter = 0;
/** An annotation of the fixture document in the protocol's container. */
const w3cAt = (f: Fixture, id: string): RequestSpec => ({ path: `/api/w3c/documents/${f.documentId}/${id}`, params: { id: f.documentId, annotationId: id } });
/** A W3C annotation on the quote of document `documentId`. */
const w3cAnnotation = (f: Fixture, documentId: string, tag: string) => {
  const t = quoteOf(f);
  return {
    type: 'Annotation',
    body: { type: 'TextualBody', purpose: 'classifying', value: tag },
    target: { source: `${ORIGIN}/api/documents/${documentId}`, selector: [{ type: 'TextQuoteSelector', ...t.quote }, { type: 'TextPositionSelector', ...t.position }] },
  };
};

const TABLE: Record<string, Entry> = {
  'GET /api/[...rest]': { resource: 'none', request: () => ({ path: '/api/nowhere/else', params: { rest: ['nowhere', 'else'] } }), expect: { ...ALL(404), anonymous: 404, deactivated: 404 } },
  'POST /api/[...rest]': { resource: 'none', request: () => ({ path: '/api/nowhere', params: { rest: ['nowhere'] }, body: {} }), expect: { ...ALL(404), anonymous: 404, deactivated: 404 } },
  'PUT /api/[...rest]': { resource: 'none', request: () => ({ path: '/api/nowhere', params: { rest: ['nowhere'] }, body: {} }), expect: { ...ALL(404), anonymous: 404, deactivated: 404 } },
  'PATCH /api/[...rest]': { resource: 'none', request: () => ({ path: '/api/nowhere', params: { rest: ['nowhere'] }, body: {} }), expect: { ...ALL(404), anonymous: 404, deactivated: 404 } },
  'DELETE /api/[...rest]': { resource: 'none', request: () => ({ path: '/api/nowhere', params: { rest: ['nowhere'] } }), expect: { ...ALL(404), anonymous: 404, deactivated: 404 } },

  // next-auth's own handler reads cookies() from Next's request scope, which exists only inside a
  // running Next server; its csrf and session answers are exercised by the e2e sign-in tests.
  'GET /api/auth/[...nextauth]': { resource: 'none', expect: ALL(200), skip: 'needs a running Next server (request scope); e2e covers csrf/session' },
  'POST /api/auth/[...nextauth]': { resource: 'none', expect: ALL(0), skip: 'next-auth sign-in/out flows; covered by the sign-in tests and e2e' },

  'GET /api/health': { resource: 'none', expect: { ...ALL(200), anonymous: 200, deactivated: 200 } },
  // The API's description is public, and does not even look at who asks.
  'GET /api/openapi.json': { resource: 'none', expect: { ...ALL(200), anonymous: 200, deactivated: 200, revoked: 200 } },
  'GET /api/me': { resource: 'none', expect: ALL(200) },
  'DELETE /api/me/sessions': { resource: 'none', expect: ALL(200) },

  'GET /api/users': { resource: 'none', expect: { viewer: 403, analyst: 403, admin: 200 } },
  // The team's names for mentions: every member (emails only for admins, docs/api.md).
  'GET /api/users/mentionable': { resource: 'none', request: () => ({ query: '?q=a' }), expect: ALL(200) },

  // Notifications and preferences are always the caller's own.
  'GET /api/notifications': { resource: 'none', expect: ALL(200) },
  'POST /api/notifications/read': { resource: 'none', request: () => ({ body: { all: true } }), expect: ALL(200) },
  'GET /api/notifications/events': {
    resource: 'none',
    expect: ALL(200),
    check: (r) => {
      if (r.status === 200) expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
    },
  },
  'HEAD /api/notifications/events': { resource: 'none', expect: ALL(405) },
  'GET /api/me/preferences': { resource: 'none', expect: ALL(200) },
  'PATCH /api/me/preferences': { resource: 'none', request: () => ({ body: { email: 'all' } }), expect: ALL(200) },
  'POST /api/users': {
    resource: 'none',
    request: () => ({ body: { email: `new-${++counter}@example.test`, name: 'New', password: 'a rare passphrase' } }),
    // Open registration: anyone may sign up, signed in or not (a dead session counts as none).
    expect: { ...ALL(201), anonymous: 201, deactivated: 201 },
  },
  'PATCH /api/users/[id]': {
    resource: 'user',
    request: () => ({ body: { active: true } }),
    expect: { viewer: 403, analyst: 403, admin: [200, 200, 404] },
  },

  'GET /api/tokens': { resource: 'none', expect: ALL(200) },
  'POST /api/tokens': { resource: 'none', request: () => ({ body: { name: 'script' } }), expect: ALL(201) },
  // Another user's token is not yours to know of: 404, for admins too.
  'DELETE /api/tokens/[id]': { resource: 'token', expect: ALL([204, 404, 404]) },

  'GET /api/documents': { resource: 'none', expect: ALL(200) },
  'POST /api/documents': {
    resource: 'none',
    request: () => ({ body: { title: 'New', format: 'markdown', source: '# New\n\nText.' } }),
    expect: { viewer: 403, analyst: 403, admin: 201 },
  },
  'GET /api/documents/[id]': { resource: 'document', expect: ALL([200, 200, 404]) },
  // Rename, soft delete and restore: admins only, role first (403 even for an unknown document).
  'PATCH /api/documents/[id]': {
    resource: 'document',
    request: () => ({ body: { title: 'Renamed' } }),
    expect: { viewer: 403, analyst: 403, admin: [200, 200, 404] },
  },
  'DELETE /api/documents/[id]': { resource: 'document', expect: { viewer: 403, analyst: 403, admin: [204, 204, 404] } },
  'POST /api/documents/[id]/restore': { resource: 'document', expect: { viewer: 403, analyst: 403, admin: [200, 200, 404] } },
  'GET /api/documents/[id]/revisions': { resource: 'document', expect: ALL([200, 200, 404]) },
  'POST /api/documents/[id]/revisions': {
    resource: 'document',
    request: () => ({ body: { format: 'markdown', source: '# Sample\n\nNew text.' } }),
    // Role first: a viewer or analyst gets 403 even for an unknown document.
    expect: { viewer: 403, analyst: 403, admin: [201, 201, 404] },
  },
  'GET /api/documents/[id]/annotations': { resource: 'document', request: () => ({ query: '?include=comments' }), expect: ALL([200, 200, 404]) },
  'GET /api/documents/[id]/comments': { resource: 'document', request: (f) => ({ query: `?annotations=${f.linkTargetId}` }), expect: ALL([200, 200, 404]) },
  'GET /api/search': { resource: 'none', request: () => ({ query: '?q=artillery' }), expect: ALL(200) },
  'POST /api/documents/[id]/annotations': {
    resource: 'document',
    request: (f) => ({ body: { tag: 'evidence', target: quoteOf(f) } }),
    expect: { viewer: 403, analyst: [201, 201, 404], admin: [201, 201, 404] },
  },
  'POST /api/documents/[id]/annotations/import': {
    resource: 'document',
    request: (f) => ({ body: [{ type: 'Annotation', body: { type: 'TextualBody', purpose: 'tagging', value: 'evidence' }, target: { selector: { type: 'TextQuoteSelector', ...quoteOf(f).quote } } }] }),
    expect: { viewer: 403, analyst: [200, 200, 404], admin: [200, 200, 404] },
  },
  'GET /api/documents/[id]/export': { resource: 'document', request: () => ({ query: '?format=csv' }), expect: ALL([200, 200, 404]) },
  'GET /api/documents/[id]/checks': { resource: 'document', expect: ALL([200, 200, 404]) },
  'GET /api/documents/[id]/suggestions': { resource: 'document', expect: ALL([200, 200, 404]) },
  // Dismissing and restoring suggestions: whoever may highlight (role first), on any document.
  'POST /api/documents/[id]/suggestions/dismissals': {
    resource: 'hedged',
    request: () => ({ body: { key: hedgedKey() } }),
    expect: { viewer: 403, analyst: [201, 201, 404], admin: [201, 201, 404] },
  },
  'DELETE /api/documents/[id]/suggestions/dismissals/[key]': {
    resource: 'dismissal',
    request: (_f, id) => {
      const [d, key = hedgedKey()] = id.split(' ');
      return { path: `/api/documents/${d}/suggestions/dismissals/${key}`, params: { id: d, key } };
    },
    // Anyone's dismissal: the team's, not its maker's.
    expect: { viewer: 403, analyst: [204, 204, 404], admin: [204, 204, 404] },
  },
  'GET /api/documents/[id]/events': {
    resource: 'document',
    expect: ALL([200, 200, 404]),
    check: (r) => {
      if (r.status === 200) expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
    },
  },

  // HEAD would open a stream nobody reads: refused to every member, before anything is looked up.
  'HEAD /api/documents/[id]/events': { resource: 'document', expect: ALL(405) },

  'GET /api/annotations/[id]': { resource: 'annotation', expect: ALL([200, 200, 404]) },
  'PATCH /api/annotations/[id]': {
    resource: 'annotation',
    // A retag: only the highlight's author, and only an analyst or admin (docs/api.md).
    request: () => ({ body: { tag: 'assessment', version: 1 } }),
    expect: { viewer: [403, 403, 404], analyst: [200, 403, 404], admin: [200, 403, 404] },
  },
  'DELETE /api/annotations/[id]': {
    resource: 'annotation',
    expect: { viewer: [204, 403, 404], analyst: [204, 403, 404], admin: [204, 204, 404] },
  },
  'POST /api/annotations/[id]/comments': {
    resource: 'annotation',
    request: () => ({ body: { body: doc('A reply') } }),
    expect: ALL([201, 201, 404]),
  },

  // Linking: whoever may highlight (role first, like creating a highlight), on anyone's highlight.
  'POST /api/annotations/[id]/links': {
    resource: 'annotation',
    request: (f) => ({ body: { targetId: f.linkTargetId, type: 'contradicts' } }),
    expect: { viewer: 403, analyst: [201, 201, 404], admin: [201, 201, 404] },
  },
  // Removing a link: whoever made it, or an admin.
  'DELETE /api/annotations/[id]/links/[linkId]': {
    resource: 'link',
    request: (_f, id) => {
      const [a, l = a] = id.split(' ');
      return { path: `/api/annotations/${a}/links/${l}`, params: { id: a, linkId: l } };
    },
    expect: { viewer: [204, 403, 404], analyst: [204, 403, 404], admin: [204, 204, 404] },
  },

  // The Web Annotation Protocol: the same rules as the annotation routes above.
  'GET /api/w3c/documents/[id]': { resource: 'document', request: (_f, id) => ({ path: `/api/w3c/documents/${id}/` }), expect: ALL([200, 200, 404]) },
  'HEAD /api/w3c/documents/[id]': { resource: 'document', request: (_f, id) => ({ path: `/api/w3c/documents/${id}/` }), expect: ALL([200, 200, 404]) },
  'OPTIONS /api/w3c/documents/[id]': { resource: 'document', request: (_f, id) => ({ path: `/api/w3c/documents/${id}/` }), expect: ALL([204, 204, 404]) },
  'POST /api/w3c/documents/[id]': {
    resource: 'document',
    request: (f, id) => ({ path: `/api/w3c/documents/${id}/`, body: w3cAnnotation(f, id, 'evidence') }),
    expect: { viewer: 403, analyst: [201, 201, 404], admin: [201, 201, 404] },
  },
  'GET /api/w3c/documents/[id]/[annotationId]': { resource: 'annotation', request: w3cAt, expect: ALL([200, 200, 404]) },
  'HEAD /api/w3c/documents/[id]/[annotationId]': { resource: 'annotation', request: w3cAt, expect: ALL([200, 200, 404]) },
  'OPTIONS /api/w3c/documents/[id]/[annotationId]': { resource: 'annotation', request: w3cAt, expect: ALL([204, 204, 404]) },
  'PUT /api/w3c/documents/[id]/[annotationId]': {
    resource: 'annotation',
    // A retag, as with PATCH: only the highlight's author, and only an analyst or admin.
    request: (f, id) => ({ ...w3cAt(f, id), body: w3cAnnotation(f, f.documentId, 'assessment') }),
    expect: { viewer: [403, 403, 404], analyst: [200, 403, 404], admin: [200, 403, 404] },
  },
  'DELETE /api/w3c/documents/[id]/[annotationId]': {
    resource: 'annotation',
    request: w3cAt,
    expect: { viewer: [204, 403, 404], analyst: [204, 403, 404], admin: [204, 204, 404] },
  },

  'PATCH /api/comments/[id]': {
    resource: 'comment',
    request: () => ({ body: { body: doc('Edited'), version: 1 } }),
    // Only the author edits, admins included.
    expect: ALL([200, 403, 404]),
  },
  'DELETE /api/comments/[id]': {
    resource: 'comment',
    expect: { viewer: [204, 403, 404], analyst: [204, 403, 404], admin: [204, 204, 404] },
  },
};

async function makeFixture(): Promise<Fixture> {
  await resetDb();
  const users = {
    viewer: await makeUser('viewer'),
    analyst: await makeUser('analyst'),
    admin: await makeUser('admin'),
    deactivated: await makeUser('analyst'),
    revoked: await makeUser('analyst'),
    stranger: await makeUser('analyst'),
  };
  await db().user.update({ where: { id: users.deactivated.id }, data: { active: false, sessionVersion: { increment: 1 } } });
  const token = await createToken(users.revoked, 'revoked');
  await revokeToken(users.revoked, token.id);
  const d = await makeDocument();
  const f = { users, documentId: d.id, text: d.revision.text, revokedToken: token.token, linkTargetId: '' };
  f.linkTargetId = (await createAnnotation(users.stranger, d.id, { tag: 'assessment', target: quoteOf(f) })).body.annotation.id;
  return f;
}

/** A fresh resource of `kind` owned by `owner` (authorship is what matters, not the owner's role). */
async function makeResource(f: Fixture, kind: Resource, owner: User): Promise<string> {
  const asAuthor = { ...owner, role: 'analyst' as const };
  switch (kind) {
    case 'none':
      return '';
    case 'user':
      return owner.id;
    case 'document':
      return (await makeDocument()).id;
    case 'token':
      return (await createToken(owner, 'tok')).id;
    case 'annotation':
      return (await createAnnotation(asAuthor, f.documentId, { tag: 'evidence', target: quoteOf(f) })).body.annotation.id;
    case 'comment': {
      const a = await createAnnotation({ ...f.users.stranger, role: 'analyst' }, f.documentId, { tag: 'evidence', target: quoteOf(f) });
      return (await createComment(asAuthor, a.body.annotation.id, { body: doc('A comment') })).body.comment.id;
    }
    case 'hedged':
      return (await makeDocument(HEDGED_MD)).id;
    case 'dismissal': {
      const d = await makeDocument(HEDGED_MD);
      await dismissSuggestion(asAuthor, d.id, hedgedKey());
      return `${d.id} ${hedgedKey()}`;
    }
    case 'link': {
      const a = await createAnnotation({ ...f.users.stranger, role: 'analyst' }, f.documentId, { tag: 'evidence', target: quoteOf(f) });
      const l = await createLink(asAuthor, a.body.annotation.id, { targetId: f.linkTargetId, type: 'supports' });
      return `${a.body.annotation.id} ${l.body.link.id}`;
    }
  }
}

async function auth(f: Fixture, caller: Caller): Promise<Pick<CallOpts, 'cookie' | 'token'>> {
  if (caller === 'anonymous') return {};
  if (caller === 'revoked') return { token: f.revokedToken };
  // A fresh session per request: signing out everywhere (DELETE /api/me/sessions) ends the old ones.
  const { id } = f.users[caller];
  const { sessionVersion } = await db().user.findUniqueOrThrow({ where: { id }, select: { sessionVersion: true } });
  // The deactivated user's cookie is one issued before the deactivation bumped the version.
  return { cookie: await sessionToken(id, caller === 'deactivated' ? sessionVersion - 1 : sessionVersion) };
}

function expected(entry: Entry, caller: Caller, subject: Subject): number {
  const s = entry.expect[caller] ?? 401;
  if (typeof s === 'number') return s;
  return s[['own', 'other', 'missing'].indexOf(subject)];
}

describe('access matrix', () => {
  let f: Fixture;
  let all: Endpoint[];
  beforeAll(async () => {
    f = await makeFixture();
    all = await apiEndpoints();
  });
  afterAll(async () => {
    await resetDb();
  });

  it('finds the route files and has an entry for every endpoint (add one for a new route)', () => {
    expect(all.length).toBeGreaterThan(20);
    expect(all.map((e) => e.key).filter((k) => !(k in TABLE))).toEqual([]);
    expect(Object.keys(TABLE).filter((k) => !all.some((e) => e.key === k))).toEqual([]);
  });

  it('refuses by role before it reads the body or the id: a viewer gets 403, never 400 or 404', async () => {
    const roleFirst = ['POST /api/documents', 'PATCH /api/documents/[id]', 'DELETE /api/documents/[id]', 'POST /api/documents/[id]/restore', 'POST /api/documents/[id]/revisions', 'POST /api/documents/[id]/annotations', 'POST /api/annotations/[id]/links', 'POST /api/documents/[id]/suggestions/dismissals', 'DELETE /api/documents/[id]/suggestions/dismissals/[key]', 'PATCH /api/users/[id]', 'POST /api/w3c/documents/[id]'];
    for (const key of roleFirst) {
      const ep = all.find((e) => e.key === key)!;
      const cookie = (await auth(f, 'viewer')).cookie;
      for (const id of [MISSING_ID, 'bad\u0000id']) {
        for (const raw of ['{"title":', '{"tag":"nope","version":2147483648}', '"\ud800"']) {
          const r = await call(ep.handler, ep.method, ep.route.replace('[id]', encodeURIComponent(id)), { cookie, raw, params: { id } });
          expect(r.status, `${key} ${JSON.stringify(id)} ${raw}`).toBe(403);
          expect(r.json.error.code).toBe('forbidden');
        }
      }
    }
  });

  it('with REGISTRATION=invite, refuses sign-up by anyone but an admin before reading the body', async () => {
    const ep = all.find((e) => e.key === 'POST /api/users')!;
    const before = process.env.REGISTRATION;
    process.env.REGISTRATION = 'invite';
    try {
      for (const caller of ['anonymous', 'viewer', 'analyst', 'deactivated'] as const) {
        const r = await call(ep.handler, 'POST', '/api/users', { ...(await auth(f, caller)), raw: '{"email":' });
        expect(r.status, caller).toBe(403);
      }
      const admin = await call(ep.handler, 'POST', '/api/users', { ...(await auth(f, 'admin')), raw: '{"email":' });
      expect(admin.status).toBe(400);
    } finally {
      if (before === undefined) delete process.env.REGISTRATION;
      else process.env.REGISTRATION = before;
    }
  });

  it('answers every caller on every resource with the expected status, errors in the envelope', async () => {
    const failures: string[] = [];
    for (const ep of all) {
      const entry = TABLE[ep.key];
      if (!entry || entry.skip) continue;
      const subjects: Subject[] = entry.resource === 'none' ? ['none'] : ['own', 'other', 'missing'];
      for (const caller of CALLERS) {
        for (const subject of subjects) {
          const owner = subject === 'own' && caller !== 'anonymous' ? f.users[caller] : f.users.stranger;
          const id = subject === 'missing' ? MISSING_ID : await makeResource(f, entry.resource, owner);
          const spec = entry.request?.(f, id) ?? {};
          const p = (spec.path ?? ep.route.replace('[id]', encodeURIComponent(id))) + (spec.query ?? '');
          const opts: CallOpts = { ...(await auth(f, caller)), params: spec.params ?? (id ? { id } : {}), body: spec.body };
          let r: CallResult;
          try {
            r = await call(ep.handler, ep.method, p, opts);
          } catch (e) {
            failures.push(`${ep.key} as ${caller} on ${subject}: threw ${(e as Error).message}`);
            continue;
          }
          const want = expected(entry, caller, subject);
          const where = `${ep.key} as ${caller} on ${subject}`;
          if (r.status !== want) failures.push(`${where}: ${r.status} (wanted ${want}) ${r.text.slice(0, 200)}`);
          else if (r.status >= 400 && !(typeof r.json?.error?.code === 'string' && typeof r.json?.error?.message === 'string')) {
            failures.push(`${where}: ${r.status} without the error envelope: ${r.text.slice(0, 200)}`);
          } else {
            try {
              entry.check?.(r);
            } catch (e) {
              failures.push(`${where}: ${(e as Error).message}`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
