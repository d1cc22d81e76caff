/**
 * The Web Annotation Protocol's operations in the OpenAPI description (../openapi.ts lists them
 * with the rest; docs/api.md, "Web Annotation Protocol", has a section for each). HEAD answers
 * as GET without a body and is described with it.
 */
import { z } from 'zod';
import type { Operation } from '../openapi';
import { W3C_MEDIA_TYPE } from './annotation';
import { ZContainerQuerySchema } from './protocol';

const ANY = 'any signed-in user';
const JSONLD = { schema: z.record(z.string(), z.unknown()), contentType: W3C_MEDIA_TYPE };
const ACCEPT = { name: 'Accept', description: `${W3C_MEDIA_TYPE} (the default) or application/json; anything else is 406` };
const PREFER = { name: 'Prefer', description: 'return=representation; include="…" with ldp#PreferMinimalContainer, oa#PreferContainedIRIs or oa#PreferContainedDescriptions' };
const IF_MATCH = { name: 'If-Match', description: 'Optional: the ETag of the annotation as last read; a stale one is 412' };
const IF_NONE_MATCH = { name: 'If-None-Match', description: 'Optional: an ETag already held; 304 when it is still current' };
const GROUP = 'Web Annotation Protocol';

export const W3C_OPERATIONS: Operation[] = [
  { method: 'GET', path: '/api/w3c/documents/:id/', group: GROUP, summary: 'The document as an annotation container (LDP BasicContainer and AnnotationCollection), or one page of it (HEAD: the same headers)', access: ANY, query: ZContainerQuerySchema, headers: [ACCEPT, PREFER, IF_NONE_MATCH], success: { status: 200, description: 'The container or page', ...JSONLD }, errors: [400, 401, 404, 406] },
  { method: 'OPTIONS', path: '/api/w3c/documents/:id/', group: GROUP, summary: 'The container’s Allow, Accept-Post and Link headers', access: ANY, success: { status: 204, description: 'Headers only' }, errors: [400, 401, 404] },
  { method: 'POST', path: '/api/w3c/documents/:id/', group: GROUP, summary: 'Create a highlight from a W3C annotation whose target is the document (Location: its IRI)', access: 'analyst, admin', body: z.unknown(), headers: [ACCEPT], success: { status: 201, description: 'Created', ...JSONLD }, errors: [400, 401, 403, 404, 406, 413, 415, 422, 503] },
  { method: 'GET', path: '/api/w3c/documents/:id/:annotationId', group: GROUP, summary: 'One annotation with its thread, as a W3C annotation (HEAD: the same headers)', access: ANY, headers: [ACCEPT, IF_NONE_MATCH], success: { status: 200, description: 'The annotation', ...JSONLD }, errors: [400, 401, 404, 406, 410] },
  { method: 'OPTIONS', path: '/api/w3c/documents/:id/:annotationId', group: GROUP, summary: 'The annotation’s Allow and Link headers', access: ANY, success: { status: 204, description: 'Headers only' }, errors: [400, 401, 404, 410] },
  { method: 'PUT', path: '/api/w3c/documents/:id/:annotationId', group: GROUP, summary: 'Replace the tag, judgment fields and place of a highlight', access: 'author (analyst) or admin, then PATCH’s rules', body: z.unknown(), headers: [ACCEPT, IF_MATCH], success: { status: 200, description: 'Replaced', ...JSONLD }, errors: [400, 401, 403, 404, 406, 409, 410, 412, 413, 415, 422, 503] },
  { method: 'DELETE', path: '/api/w3c/documents/:id/:annotationId', group: GROUP, summary: 'Delete a highlight with its thread and links', access: 'author or admin', headers: [IF_MATCH], success: { status: 204, description: 'Deleted' }, errors: [400, 401, 403, 404, 410, 412] },
];
