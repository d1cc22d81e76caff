/**
 * The W3C Web Annotation Protocol's HTTP side, pure (docs/api.md, "Web Annotation Protocol"):
 * the IRIs of a document's container and its annotations, `Prefer` and `Accept` read into what
 * to answer, the protocol's fixed headers, and whether a posted target names the document.
 * lib/server/w3c-protocol.ts builds the answers with the export's serialiser (./annotation.ts).
 */
import { z } from 'zod';
import { qWeight } from '../negotiation';
import { ZId } from '../text';
import { W3C_MEDIA_TYPE } from './annotation';

export const LDP = 'http://www.w3.org/ns/ldp#';
export const OA = 'http://www.w3.org/ns/oa#';
export const PREFER_MINIMAL = `${LDP}PreferMinimalContainer`;
export const PREFER_IRIS = `${OA}PreferContainedIRIs`;
export const PREFER_DESCRIPTIONS = `${OA}PreferContainedDescriptions`;

export const CONTAINER_ALLOW = 'GET, HEAD, OPTIONS, POST';
export const ANNOTATION_ALLOW = 'GET, HEAD, OPTIONS, PUT, DELETE';
export const ACCEPT_POST = `${W3C_MEDIA_TYPE}, application/ld+json, application/json`;
const CONSTRAINED_BY = '<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"';

/** The headers every answer of the container carries (with its ETag and type when it has a body). */
export const containerHeaders = (): Record<string, string> => ({
  Allow: CONTAINER_ALLOW,
  'Accept-Post': ACCEPT_POST,
  Link: `<${LDP}BasicContainer>; rel="type", ${CONSTRAINED_BY}`,
  Vary: 'Accept, Prefer',
});

export const annotationHeaders = (): Record<string, string> => ({
  Allow: ANNOTATION_ALLOW,
  Link: `<${LDP}Resource>; rel="type", ${CONSTRAINED_BY}`,
  Vary: 'Accept',
});

export interface ProtocolIris {
  /** The container, with its trailing slash. */
  container(documentId: string): string;
  /** One view of the container: its items as IRIs or descriptions, the whole or page N. */
  view(documentId: string, iris: boolean, page?: number): string;
  annotation(documentId: string, annotationId: string): string;
}

export function protocolIris(base: string): ProtocolIris {
  const b = base.replace(/\/+$/, '');
  const container = (d: string) => `${b}/api/w3c/documents/${encodeURIComponent(d)}/`;
  return {
    container,
    view: (d, iris, page) => `${container(d)}?iris=${iris ? 1 : 0}${page === undefined ? '' : `&page=${page}`}`,
    annotation: (d, a) => `${container(d)}${encodeURIComponent(a)}`,
  };
}

export interface ContainerPreference {
  /** PreferMinimalContainer: no embedded page. */
  minimal: boolean;
  /** PreferContainedIRIs (true), PreferContainedDescriptions (false), or neither (undefined). */
  iris?: boolean;
}

/**
 * `Prefer: return=representation; include="<iri> <iri>"` (RFC 7240, LDP). Other preferences are
 * ignored; asking for both IRIs and descriptions is asking for neither.
 */
export function parsePrefer(header: string | null): ContainerPreference {
  const include = new Set<string>();
  for (const pref of (header ?? '').split(',')) {
    const parts = pref.split(';').map((p) => p.trim());
    if (parts[0]?.toLowerCase() !== 'return=representation') continue;
    for (const param of parts.slice(1)) {
      const m = /^include\s*=\s*"?([^"]*)"?$/i.exec(param);
      if (m) for (const iri of m[1].split(/\s+/)) if (iri) include.add(iri);
    }
  }
  const iris = include.has(PREFER_IRIS);
  const descriptions = include.has(PREFER_DESCRIPTIONS);
  return { minimal: include.has(PREFER_MINIMAL), iris: iris === descriptions ? undefined : iris };
}

/** The `Preference-Applied` value for what was honoured (null when nothing was asked). */
export function preferenceApplied(p: ContainerPreference): string | null {
  const iris = [...(p.minimal ? [PREFER_MINIMAL] : []), ...(p.iris === undefined ? [] : [p.iris ? PREFER_IRIS : PREFER_DESCRIPTIONS])];
  return iris.length ? `return=representation; include="${iris.join(' ')}"` : null;
}

export type Representation = 'ld' | 'json';
export const CONTENT_TYPES: Record<Representation, string> = { ld: W3C_MEDIA_TYPE, json: 'application/json' };

/**
 * Content negotiation: JSON-LD with the annotation profile unless the client prefers plain JSON
 * (by q-value; JSON-LD wins ties); null when it accepts neither (406). A JSON-LD range with
 * another profile is not ours. Each representation takes the weight of the most specific range
 * that matches it (RFC 9110 §12.5.1: the profile's range, then the type, the application type, any type),
 * so a type refused with q=0 stays refused whatever a wider range says.
 */
export function negotiate(accept: string | null): Representation | null {
  if (!accept?.trim()) return 'ld';
  // Per representation: the specificity of the range that set its weight, and the weight.
  const best: Record<Representation, { level: number; q: number }> = { ld: { level: -1, q: 0 }, json: { level: -1, q: 0 } };
  const weigh = (r: Representation, level: number, q: number) => {
    const b = best[r];
    if (level > b.level) best[r] = { level, q };
    else if (level === b.level) b.q = Math.max(b.q, q);
  };
  for (const range of accept.split(',')) {
    const [type, ...params] = range.split(';').map((s) => s.trim());
    let q = 1;
    let profile: string | undefined;
    for (const p of params) {
      const [k, v = ''] = p.split('=').map((s) => s.trim());
      if (k.toLowerCase() === 'q') q = qWeight(v);
      if (k.toLowerCase() === 'profile') profile = v.replace(/^"|"$/g, '');
    }
    const t = type.toLowerCase();
    const anno = profile === undefined || profile.split(/\s+/).includes('http://www.w3.org/ns/anno.jsonld');
    const wide = t === '*/*' ? 0 : t === 'application/*' ? 1 : -1;
    if (wide >= 0) for (const r of ['ld', 'json'] as const) weigh(r, wide, q);
    else if (t === 'application/ld+json' && anno) weigh('ld', profile === undefined ? 2 : 3, q);
    else if (t === 'application/json') weigh('json', 2, q);
  }
  const [ld, json] = [best.ld.q, best.json.q];
  if (ld === 0 && json === 0) return null;
  return ld >= json ? 'ld' : 'json';
}

/** The media types a body may be posted as (415 otherwise). */
export const POSTABLE = ['application/ld+json', 'application/json'];

/**
 * What a posted target names, when it names this document: its IRI (`/api/documents/:id`), one
 * of its revisions' IRIs (`…?revision=<id>`, as the export writes targets), its page
 * (`/documents/:id`) or its container, under one of `origins`. Null when it names something else.
 */
export function documentSource(source: string, origins: readonly string[], documentId: string): { revisionId?: string } | null {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    return null;
  }
  if (!origins.some((o) => o.replace(/\/+$/, '') === url.origin)) return null;
  const id = encodeURIComponent(documentId);
  const paths = [`/api/documents/${id}`, `/documents/${id}`, `/api/w3c/documents/${id}/`, `/api/w3c/documents/${id}`];
  if (!paths.includes(url.pathname)) return null;
  const revision = url.searchParams.get('revision');
  return revision ? { revisionId: revision } : {};
}

/** The container's query: a view (`iris=1` IRIs, `iris=0` descriptions) and a page. */
export const ZContainerQuerySchema = z.object({
  iris: z.enum(['0', '1'], { error: 'must be 0 (descriptions) or 1 (IRIs)' }).transform((v) => v === '1').optional(),
  page: z.string().regex(/^\d{1,6}$/, 'must be a page number (0, 1, …)').transform(Number).optional(),
});

/** Path parameters of `/api/w3c/documents/:id/:annotationId`. */
export const ZW3cAnnotationParamsSchema = z.object({ id: ZId, annotationId: ZId });
