/**
 * The OpenAPI 3.1 description of the HTTP API (`GET /api/openapi.json`, the /api-reference page),
 * generated from the zod schemas the handlers parse with (api-schemas.ts) and the answer schemas
 * the compiler holds to the API's types (api-response-schemas.ts). Each operation names its
 * schemas here; a test keeps this table, the route files and docs/api.md in step (every route
 * method is described, every described operation exists and is documented).
 */
import { z } from 'zod';
import * as Req from './api-schemas';
import * as Res from './api-response-schemas';
import { ZExportQuerySchema, ZImportAnswerSchema } from './export/query';
import * as N from './notification-api';
import { W3C_OPERATIONS } from './w3c/openapi';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface Operation {
  method: Method;
  /** The route as in docs/api.md: `/api/documents/:id`. */
  path: string;
  summary: string;
  group: string;
  /** Who may call it, in words (the policy is lib/domain/policy.ts). */
  access: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Request headers beyond auth. */
  headers?: { name: string; description: string }[];
  /** Success status and its body (none for 204); error statuses it documents. */
  success: { status: number; description: string; schema?: z.ZodType; contentType?: string };
  errors: number[];
}

const one = (key: string, schema: z.ZodType) => z.object({ [key]: schema });
const many = (key: string, schema: z.ZodType) => z.object({ [key]: z.array(schema) });
const IDEMPOTENCY = { name: 'Idempotency-Key', description: 'Optional, 1–200 characters: a retry with the same key answers the first result' };
const ANY = 'any signed-in user';
const CONDITIONAL = { name: 'If-None-Match', description: 'The ETag of an earlier answer: 304 without a body while nothing of the document changed' };

export const OPERATIONS: Operation[] = [
  { method: 'GET', path: '/api/health', group: 'Health', summary: 'Liveness and database reachability', access: 'anyone', success: { status: 200, description: 'Up', schema: z.object({ ok: z.literal(true) }) }, errors: [503] },
  { method: 'GET', path: '/api/openapi.json', group: 'Health', summary: 'This description', access: 'anyone', success: { status: 200, description: 'OpenAPI 3.1 document', schema: z.record(z.string(), z.unknown()) }, errors: [] },

  { method: 'POST', path: '/api/users', group: 'Users', summary: 'Sign up (first user becomes admin) or, as an admin, add a user', access: 'anyone (sign-up) or admin', body: Req.ZCreateUserSchema, success: { status: 201, description: 'Created', schema: one('user', Res.ZApiUser) }, errors: [400, 403, 409, 429] },
  { method: 'GET', path: '/api/users', group: 'Users', summary: 'List users', access: 'admin', success: { status: 200, description: 'Users', schema: many('users', Res.ZApiUser) }, errors: [401, 403] },
  { method: 'PATCH', path: '/api/users/:id', group: 'Users', summary: 'Change a role or (de)activate', access: 'admin', body: Req.ZPatchUserSchema, success: { status: 200, description: 'Updated', schema: one('user', Res.ZApiUser) }, errors: [400, 401, 403, 404, 409] },
  { method: 'GET', path: '/api/me', group: 'Users', summary: 'The signed-in user', access: ANY, success: { status: 200, description: 'Me', schema: one('user', Res.ZApiUser) }, errors: [401] },
  { method: 'DELETE', path: '/api/me/sessions', group: 'Users', summary: 'Sign out everywhere', access: ANY, success: { status: 200, description: 'Every session ended', schema: z.object({ ok: z.literal(true) }) }, errors: [401] },
  { method: 'GET', path: '/api/me/preferences', group: 'Users', summary: 'Which notifications also come by email', access: ANY, success: { status: 200, description: 'Preferences', schema: one('preferences', N.ZApiPreferences) }, errors: [401] },
  { method: 'PATCH', path: '/api/me/preferences', group: 'Users', summary: 'Choose which notifications also come by email', access: ANY, body: N.ZPatchPreferencesSchema, success: { status: 200, description: 'Saved', schema: one('preferences', N.ZApiPreferences) }, errors: [400, 401] },
  { method: 'GET', path: '/api/users/mentionable', group: 'Users', summary: 'Active members to mention, by name (emails for admins only)', access: ANY, query: N.ZMentionableQuerySchema, success: { status: 200, description: 'Members, at most 8', schema: many('users', N.ZApiMentionable) }, errors: [400, 401] },

  { method: 'GET', path: '/api/notifications', group: 'Notifications', summary: 'My notifications, newest first, with the unread count', access: ANY, query: N.ZListNotificationsQuerySchema, success: { status: 200, description: 'A page', schema: N.ZApiNotificationPage }, errors: [400, 401, 404] },
  { method: 'POST', path: '/api/notifications/read', group: 'Notifications', summary: 'Mark some (`ids`) or all (`all: true`) of mine read', access: ANY, body: N.ZReadNotificationsSchema, success: { status: 200, description: 'Marked', schema: N.ZApiReadAnswer }, errors: [400, 401] },
  { method: 'GET', path: '/api/notifications/events', group: 'Notifications', summary: 'Server-sent events: my unread count whenever it may have changed', access: ANY, success: { status: 200, description: 'text/event-stream', contentType: 'text/event-stream' }, errors: [401, 429, 503] },

  { method: 'POST', path: '/api/tokens', group: 'Tokens', summary: 'Create an API token (shown once)', access: 'signed in with a session, not a token', body: Req.ZCreateTokenSchema, success: { status: 201, description: 'Created', schema: Res.ZApiNewToken }, errors: [400, 401, 403, 409] },
  { method: 'GET', path: '/api/tokens', group: 'Tokens', summary: 'My live tokens', access: ANY, success: { status: 200, description: 'Tokens', schema: many('tokens', Res.ZApiToken) }, errors: [401] },
  { method: 'DELETE', path: '/api/tokens/:id', group: 'Tokens', summary: 'Revoke one of my tokens', access: ANY, success: { status: 204, description: 'Revoked' }, errors: [401, 404] },

  { method: 'GET', path: '/api/documents', group: 'Documents', summary: 'List documents (admins: `deleted=true` for deleted ones)', access: ANY, query: Req.ZListDocumentsQuerySchema, success: { status: 200, description: 'Documents', schema: many('documents', Res.ZApiDocumentSummary) }, errors: [401, 403] },
  { method: 'POST', path: '/api/documents', group: 'Documents', summary: 'Import a document (Markdown, HTML or text)', access: 'admin', body: Req.ZCreateDocumentSchema, success: { status: 201, description: 'Created', schema: one('document', Res.ZApiDocument) }, errors: [400, 401, 403, 413, 422, 503] },
  { method: 'GET', path: '/api/documents/:id', group: 'Documents', summary: 'A document with its current (or `revision=`) revision', access: ANY, query: Req.ZGetDocumentQuerySchema, headers: [CONDITIONAL], success: { status: 200, description: 'Document', schema: one('document', Res.ZApiDocument) }, errors: [401, 404] },
  { method: 'PATCH', path: '/api/documents/:id', group: 'Documents', summary: 'Rename', access: 'admin', body: Req.ZPatchDocumentSchema, success: { status: 200, description: 'Renamed', schema: one('document', Res.ZApiDocumentState) }, errors: [400, 401, 403, 404] },
  { method: 'DELETE', path: '/api/documents/:id', group: 'Documents', summary: 'Delete (restorable)', access: 'admin', success: { status: 204, description: 'Deleted' }, errors: [401, 403, 404] },
  { method: 'POST', path: '/api/documents/:id/restore', group: 'Documents', summary: 'Restore a deleted document', access: 'admin', success: { status: 200, description: 'Restored', schema: one('document', Res.ZApiDocumentState) }, errors: [401, 403, 404] },
  { method: 'GET', path: '/api/documents/:id/revisions', group: 'Documents', summary: 'Revisions, newest first', access: ANY, success: { status: 200, description: 'Revisions', schema: many('revisions', Res.ZApiRevisionSummary) }, errors: [401, 404] },
  { method: 'POST', path: '/api/documents/:id/revisions', group: 'Documents', summary: 'Publish a revision and re-anchor every annotation', access: 'admin', body: Req.ZCreateRevisionSchema, success: { status: 201, description: 'Published', schema: z.object({ revision: Res.ZApiRevisionSummary.extend({ text: z.string() }), reanchored: z.object({ kept: z.number().int(), moved: z.number().int(), fuzzy: z.number().int(), orphaned: z.number().int() }) }) }, errors: [400, 401, 403, 404, 409, 413, 422, 503] },
  { method: 'GET', path: '/api/documents/:id/events', group: 'Live events', summary: 'Server-sent events of the document (resume with Last-Event-ID or `after=`)', access: ANY, query: Req.ZEventsQuerySchema, headers: [{ name: 'Last-Event-ID', description: 'Resume after this event id' }], success: { status: 200, description: 'text/event-stream', contentType: 'text/event-stream' }, errors: [400, 401, 404, 429, 503] },

  { method: 'GET', path: '/api/documents/:id/annotations', group: 'Annotations', summary: 'Annotations (and links; `include=comments` adds comments)', access: ANY, query: Req.ZListAnnotationsQuerySchema, headers: [CONDITIONAL], success: { status: 200, description: 'Annotations', schema: z.object({ annotations: z.array(Res.ZApiAnnotation), links: z.array(Res.ZApiLink), comments: z.array(Res.ZApiComment).optional() }) }, errors: [400, 401, 404] },
  { method: 'GET', path: '/api/search', group: 'Annotations', summary: 'Full-text search over quotes and comments across every live document, grouped by document', access: ANY, query: Req.ZSearchQuerySchema, success: { status: 200, description: 'Hits, best first', schema: Res.ZApiSearchResult }, errors: [400, 401] },
  { method: 'POST', path: '/api/documents/:id/annotations', group: 'Annotations', summary: 'Highlight a passage, or add a page note (`scope: "document"`, no target); optionally with the first comment', access: 'analyst, admin', body: Req.ZCreateAnnotationSchema, headers: [IDEMPOTENCY], success: { status: 201, description: 'Created', schema: z.object({ annotation: Res.ZApiAnnotation, comment: Res.ZApiComment.optional() }) }, errors: [400, 401, 403, 404, 409, 413, 422] },
  { method: 'GET', path: '/api/annotations/:id', group: 'Annotations', summary: 'An annotation with its comments and links', access: ANY, success: { status: 200, description: 'Annotation', schema: z.object({ annotation: Res.ZApiAnnotation, comments: z.array(Res.ZApiComment), links: z.array(Res.ZApiAnnotationLink) }) }, errors: [401, 404] },
  { method: 'PATCH', path: '/api/annotations/:id', group: 'Annotations', summary: 'Retag, resolve/reopen (with outcome), judge, re-attach', access: 'author or admin (resolve: analyst, admin)', body: Req.ZPatchAnnotationSchema, success: { status: 200, description: 'Updated', schema: one('annotation', Res.ZApiAnnotation) }, errors: [400, 401, 403, 404, 409, 422] },
  { method: 'DELETE', path: '/api/annotations/:id', group: 'Annotations', summary: 'Delete a highlight with its thread and links', access: 'author or admin', success: { status: 204, description: 'Deleted' }, errors: [401, 403, 404] },
  { method: 'POST', path: '/api/annotations/:id/links', group: 'Annotations', summary: 'Link to another annotation of the document (idempotent)', access: 'analyst, admin', body: Req.ZCreateLinkSchema, success: { status: 201, description: 'Created (200: it existed)', schema: one('link', Res.ZApiLink) }, errors: [400, 401, 403, 404, 409, 422] },
  { method: 'DELETE', path: '/api/annotations/:id/links/:linkId', group: 'Annotations', summary: 'Remove a link listed on this annotation', access: 'its maker or admin', success: { status: 204, description: 'Removed' }, errors: [401, 403, 404] },

  { method: 'GET', path: '/api/documents/:id/comments', group: 'Comments', summary: 'The comments of some threads of the document (the page loads them as threads come into view)', access: ANY, query: Req.ZThreadCommentsQuerySchema, success: { status: 200, description: 'Comments', schema: z.object({ comments: z.array(Res.ZApiComment) }) }, errors: [400, 401, 404] },
  { method: 'POST', path: '/api/annotations/:id/comments', group: 'Comments', summary: 'Comment or reply', access: ANY, body: Req.ZCreateCommentSchema, headers: [IDEMPOTENCY], success: { status: 201, description: 'Created', schema: one('comment', Res.ZApiComment) }, errors: [400, 401, 404, 413, 422] },
  { method: 'PATCH', path: '/api/comments/:id', group: 'Comments', summary: 'Edit a comment', access: 'author', body: Req.ZPatchCommentSchema, success: { status: 200, description: 'Updated', schema: one('comment', Res.ZApiComment) }, errors: [400, 401, 403, 404, 409, 413] },
  { method: 'DELETE', path: '/api/comments/:id', group: 'Comments', summary: 'Delete a comment (a tombstone stays while replies hang under it)', access: 'author or admin', success: { status: 204, description: 'Deleted' }, errors: [401, 403, 404] },

  { method: 'GET', path: '/api/documents/:id/export', group: 'Export', summary: 'The review as W3C JSON-LD (paged, or `page=all` for one streamed file), CSV or a Markdown report', access: ANY, query: ZExportQuerySchema, headers: [CONDITIONAL], success: { status: 200, description: 'application/ld+json (W3C), text/csv or text/markdown', contentType: 'application/ld+json' }, errors: [400, 401, 404] },
  { method: 'POST', path: '/api/documents/:id/annotations/import', group: 'Export', summary: 'Import W3C Web Annotations onto the current revision', access: 'analyst or admin', body: z.unknown(), success: { status: 200, description: 'Created and failed', schema: ZImportAnswerSchema }, errors: [400, 401, 403, 404, 413, 503] },
  { method: 'GET', path: '/api/documents/:id/checks', group: 'Tradecraft', summary: 'Review checks of the current revision', access: ANY, success: { status: 200, description: 'Checks', schema: many('checks', Res.ZReviewCheck) }, errors: [401, 404] },
  { method: 'GET', path: '/api/documents/:id/suggestions', group: 'Tradecraft', summary: 'Estimative-language suggestions (`include=dismissed` adds dismissed ones)', access: ANY, query: Req.ZSuggestionsQuerySchema, success: { status: 200, description: 'Suggestions', schema: many('suggestions', Res.ZApiSuggestion) }, errors: [400, 401, 404] },
  { method: 'POST', path: '/api/documents/:id/suggestions/dismissals', group: 'Tradecraft', summary: 'Dismiss a suggestion for the whole team (idempotent)', access: 'analyst, admin', body: Req.ZDismissSuggestionSchema, success: { status: 201, description: 'Dismissed (200: it was)', schema: one('dismissal', Res.ZApiSuggestionDismissal) }, errors: [400, 401, 403, 404, 422] },
  { method: 'DELETE', path: '/api/documents/:id/suggestions/dismissals/:key', group: 'Tradecraft', summary: 'Restore a dismissed suggestion', access: 'analyst, admin', success: { status: 204, description: 'Restored' }, errors: [400, 401, 403, 404] },

  ...W3C_OPERATIONS,
];

/** `/api/documents/:id` → `/api/documents/{id}`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

function schema(s: z.ZodType): unknown {
  const out = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

function operation(op: Operation): Record<string, unknown> {
  const params = [...op.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 64 } }));
  const query = op.query ? Object.entries((schema(op.query) as { properties?: Record<string, unknown>; required?: string[] }).properties ?? {}).map(([name, s]) => ({ name, in: 'query', required: false, schema: s })) : [];
  const headers = (op.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: false, description: h.description, schema: { type: 'string' } }));
  const responses: Record<string, unknown> = {
    [op.success.status]: op.success.schema
      ? { description: op.success.description, content: { [op.success.contentType ?? 'application/json']: { schema: schema(op.success.schema) } } }
      : op.success.contentType
        ? { description: op.success.description, content: { [op.success.contentType]: {} } }
        : { description: op.success.description },
  };
  for (const status of op.errors) responses[status] = { $ref: `#/components/responses/E${status}` };
  return {
    summary: op.summary,
    description: `Who may call it: ${op.access}.`,
    tags: [op.group],
    operationId: `${op.method.toLowerCase()}${op.path.replace(/\/api/, '').replace(/[/:](\w)/g, (_, c: string) => c.toUpperCase()).replace(/\W/g, '')}`,
    parameters: [...params, ...query, ...headers],
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(op.body) } } } } : {}),
    responses,
  };
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad request: malformed input; `details` names each field', 401: 'Not signed in, or the session or token ended', 403: 'Not allowed for this role or author',
  404: 'Not found or deleted', 406: 'Not acceptable: none of the media types in `Accept` can be given', 410: 'Gone: it was deleted', 412: 'Precondition failed: the `If-Match` ETag is stale', 415: 'Unsupported media type: send JSON (or JSON-LD)', 409: 'Conflict: stale version (`details.current`), or a revision was published meanwhile', 413: 'Body or comment too large',
  422: 'Well-formed but not applicable (`details.reason`)', 429: 'Too many requests (`Retry-After`)', 503: 'Database unreachable or busy (`Retry-After`)',
};

/** The whole OpenAPI document. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) (paths[openApiPath(op.path)] ??= {})[op.method.toLowerCase()] = operation(op);
  const error = schema(Res.ZApiError);
  return {
    openapi: '3.1.0',
    info: { title: 'Marginalia API', version: '1', description: 'Collaborative annotation for analysts. Authenticate with the session cookie (same origin) or `Authorization: Bearer <token>`. Errors share one envelope.' },
    servers: [{ url: '/' }],
    security: [{ session: [] }, { bearer: [] }],
    tags: [...new Set(OPERATIONS.map((o) => o.group))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'next-auth.session-token' }, bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: error },
      responses: Object.fromEntries(Object.entries(ERROR_TEXT).map(([s, d]) => [`E${s}`, { description: d, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }])),
    },
  };
}
