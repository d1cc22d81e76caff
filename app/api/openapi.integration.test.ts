/**
 * The OpenAPI description (lib/domain/openapi.ts) against what exists: every method of every
 * route file is described and every described operation has a route; docs/api.md has a section
 * for each and no other; and real answers of the main reads parse with the described schemas.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { describe as describeRange } from '@/lib/domain/anchoring';
import { OPERATIONS } from '@/lib/domain/openapi';
import { createAnnotation } from '@/lib/server/annotations';
import { createComment } from '@/lib/server/comments';
import { doc, makeDocument, makeUser, resetDb, sessionToken } from '@/scripts/test/db';
import { apiEndpoints, call } from '@/scripts/test/http';
import * as openapiRoute from '@/app/api/openapi.json/route';
import * as documentRoute from '@/app/api/documents/[id]/route';
import * as annotationsRoute from '@/app/api/documents/[id]/annotations/route';
import * as annotationRoute from '@/app/api/annotations/[id]/route';
import * as documentsRoute from '@/app/api/documents/route';

/** Routes that are not the API proper: next-auth's own, and the catch-all 404. */
const NOT_DESCRIBED = new Set(['GET /api/auth/[...nextauth]', 'POST /api/auth/[...nextauth]']);
/** `/api/documents/:id` → `/api/documents/[id]` (a container's trailing slash is not in its folder name). */
const asRoute = (path: string) => path.replace(/:(\w+)/g, '[$1]').replace(/(.)\/$/, '$1');
const described = OPERATIONS.map((o) => `${o.method} ${asRoute(o.path)}`);

describe('OpenAPI description', () => {
  it('describes every route method, and only those', async () => {
    const routes = (await apiEndpoints()).map((e) => e.key).filter((k) => !NOT_DESCRIBED.has(k) && !k.includes('[...rest]') && !k.startsWith('HEAD '));
    expect([...described].sort()).toEqual([...new Set(routes)].sort());
  });

  it('docs/api.md has a section for every described operation, and none for an operation that does not exist', () => {
    const md = readFileSync('docs/api.md', 'utf8');
    const headings = [...md.matchAll(/^#{3,4} `([A-Z]+) (\/api\/[^`\s]*)`/gm)].map(([, m, p]) => `${m} ${asRoute(p)}`);
    expect([...new Set(headings)].sort()).toEqual([...described].sort());
  });

  describe('real answers parse with the described schemas', () => {
    let cookie = '';
    let documentId = '';
    let annotationId = '';
    beforeAll(async () => {
      await resetDb();
      const admin = await makeUser('admin');
      cookie = await sessionToken(admin.id, 0);
      const d = await makeDocument('# Sample\n\nReports indicate artillery shells were shipped.\n');
      documentId = d.id;
      const i = d.revision.text.indexOf('artillery');
      annotationId = (await createAnnotation(admin, d.id, { tag: 'evidence', target: describeRange(d.revision.text, i, i + 9) })).body.annotation.id;
      await createComment(admin, annotationId, { body: doc('Which shells?') });
    });

    const check = async (method: string, path: string, handler: unknown, params: Record<string, string>, query = '') => {
      const op = OPERATIONS.find((o) => o.method === method && o.path === path)!;
      const url = path.replace(/:(\w+)/g, (_, k: string) => params[k]) + query;
      const r = await call(handler, method, url, { cookie, params });
      expect(r.status).toBe(op.success.status);
      const parsed = op.success.schema!.safeParse(r.json);
      expect(parsed.error?.issues ?? []).toEqual([]);
    };
    it('documents, a document, annotations (with comments), an annotation', async () => {
      await check('GET', '/api/documents', documentsRoute.GET, {});
      await check('GET', '/api/documents/:id', documentRoute.GET, { id: documentId });
      await check('GET', '/api/documents/:id/annotations', annotationsRoute.GET, { id: documentId }, '?include=comments');
      await check('GET', '/api/annotations/:id', annotationRoute.GET, { id: annotationId });
    });
    it('the description itself is served, public', async () => {
      const r = await call(openapiRoute.GET, 'GET', '/api/openapi.json');
      expect(r.status).toBe(200);
      expect(r.json.openapi).toBe('3.1.0');
      expect(Object.keys(r.json.paths)).toContain('/api/documents/{id}/annotations');
      expect(r.json.paths['/api/documents/{id}/annotations'].post.requestBody.content['application/json'].schema.properties.tag.enum).toEqual(['evidence', 'speculation', 'assessment']);
    });
  });
});
