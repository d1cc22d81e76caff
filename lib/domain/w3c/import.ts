/**
 * Reading W3C Web Annotations for `POST /api/documents/:id/annotations/import` (docs/api.md,
 * "Import"): an AnnotationCollection (its embedded `first` page), an AnnotationPage, an array or
 * one Annotation, ours or another tool's (Hypothesis' JSON-LD, Recogito's). The shape is checked
 * with zod (a 400 names the field, e.g. `items.3.target`); each annotation is then read into what
 * Marginalia stores, or into a reason it cannot be imported. Pure: the server anchors the
 * selectors (lib/server/annotation-import.ts) with the re-anchoring code.
 *
 * - Selectors: the TextQuoteSelector (exact, prefix, suffix) places the passage; the
 *   TextPositionSelector is the hint where to look first, or, alone, the place itself. Selectors
 *   are also found inside a RangeSelector's or a SpecificResource's `refinedBy`.
 * - Tag: a `classifying` or `tagging` body whose value (or the last segment of its `source`/`id`)
 *   is evidence, speculation or assessment; else DEFAULT_TAG.
 * - Comments: every other TextualBody (and a `bodyValue`), `replying` ones as replies.
 * - Our own tradecraft bodies ("likelihood: likely", … see ./annotation.ts) become the fields again.
 * - `linking` annotations between two annotations of the same import become typed links.
 */
import { z } from 'zod';
import { AppError } from '../errors';
import { isTag, type Tag } from '../tags';
import { int32, safeText } from '../text';
import { LINK_TYPES, type LinkType } from '../tradecraft';
import { readTradecraftValue, type TradecraftRead } from './annotation';

/** Annotations one import may hold. */
export const MAX_IMPORT_ANNOTATIONS = 5000;
/**
 * The tag of an annotation that names none: speculation, the tag that claims least (evidence
 * says it is sourced, an assessment that it is the team's judgment).
 */
export const DEFAULT_TAG: Tag = 'speculation';

const text = (max: number) => safeText({ max });
const ZSelector: z.ZodType<Selector> = z.lazy(() =>
  z.object({
    type: text(100).optional(),
    exact: text(10_000).optional(),
    prefix: text(10_000).optional(),
    suffix: text(10_000).optional(),
    start: int32(0).optional(),
    end: int32(0).optional(),
    startSelector: ZSelector.optional(),
    refinedBy: z.union([ZSelector, z.array(ZSelector).max(20)]).optional(),
  }),
);
interface Selector {
  type?: string;
  exact?: string;
  prefix?: string;
  suffix?: string;
  start?: number;
  end?: number;
  startSelector?: Selector;
  refinedBy?: Selector | Selector[];
}
const many = <T extends z.ZodType>(t: T, max: number) => z.union([t, z.array(t).max(max)]).optional();
const ZCreator = z.union([text(2000), z.object({ id: text(2000).optional(), name: text(200).optional(), nickname: text(200).optional() })]);
const ZTarget = z.union([
  text(2000),
  z.object({ id: text(2000).optional(), source: text(2000).optional(), selector: many(ZSelector, 20) }),
]);
const ZBody = z.union([
  text(2000),
  z.object({
    id: text(2000).optional(),
    type: text(100).optional(),
    purpose: many(text(100), 10),
    value: text(200_000).optional(),
    format: text(200).optional(),
    source: text(2000).optional(),
    creator: ZCreator.optional(),
    created: text(100).optional(),
  }),
]);
const ZAnnotation = z.object({
  id: text(2000).optional(),
  canonical: text(2000).optional(),
  type: many(text(100), 10),
  motivation: many(text(100), 10),
  creator: ZCreator.optional(),
  created: text(100).optional(),
  bodyValue: text(200_000).optional(),
  body: many(ZBody, 500),
  target: z.union([ZTarget, z.array(ZTarget).min(1).max(20)], { error: 'must be the annotation’s target (an IRI or a resource with selectors)' }),
});
export type W3cAnnotationInput = z.infer<typeof ZAnnotation>;
const ZItems = z.array(ZAnnotation).max(MAX_IMPORT_ANNOTATIONS, `at most ${MAX_IMPORT_ANNOTATIONS.toLocaleString('en')} annotations per import`);

const arr = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const has = (v: string | string[] | undefined, s: string) => arr(v).includes(s);

function parseWith<S extends z.ZodType>(schema: S, value: unknown, path: (string | number)[]): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const details = r.error.issues.map((i) => ({ path: [...path, ...i.path].map(String), message: i.message }));
  const fields = [...new Set(details.map((d) => d.path.join('.') || 'body'))];
  throw new AppError('bad_request', `Invalid import: ${fields.slice(0, 5).join(', ')}`, details.slice(0, 20));
}

/** The annotations of the posted JSON, each shape-checked (400 naming the field otherwise). */
export function importItems(input: unknown): W3cAnnotationInput[] {
  if (Array.isArray(input)) return parseWith(ZItems, input, []);
  if (typeof input !== 'object' || input === null) throw new AppError('bad_request', 'Send a W3C AnnotationCollection, AnnotationPage, Annotation or an array of annotations', [{ path: [], message: 'must be an object or an array' }]);
  const o = input as Record<string, unknown>;
  const types = arr(o.type as string | string[] | undefined);
  if (types.includes('AnnotationCollection')) {
    if (Array.isArray(o.items)) return parseWith(ZItems, o.items, ['items']);
    const first = o.first;
    if (typeof first === 'object' && first !== null && Array.isArray((first as { items?: unknown }).items)) {
      return parseWith(ZItems, (first as { items: unknown }).items, ['first', 'items']);
    }
    throw new AppError('bad_request', 'Invalid import: first', [{ path: ['first'], message: 'must be the embedded first AnnotationPage with its items (send further pages as AnnotationPages)' }]);
  }
  if (types.includes('AnnotationPage') || (Array.isArray(o.items) && !('target' in o))) return parseWith(ZItems, o.items ?? [], ['items']);
  return [parseWith(ZAnnotation, o, [])];
}

/**
 * One posted Annotation (the Web Annotation Protocol's POST and PUT): an object whose `type` is
 * or includes "Annotation", shape-checked like an import item (400 naming the field).
 */
export function annotationItem(input: unknown): W3cAnnotationInput {
  const o = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : null;
  if (!o || !arr(o.type as string | string[] | undefined).includes('Annotation')) {
    throw new AppError('bad_request', 'Invalid annotation: type', [{ path: ['type'], message: 'must be "Annotation" (send one W3C Web Annotation)' }]);
  }
  return parseWith(ZAnnotation, o, []);
}

export interface ImportComment {
  reply: boolean;
  value: string;
  format?: string;
  creatorName?: string;
  created?: string;
}

export interface ImportLink {
  /** The source and target as the input names them (annotation ids/IRIs of the same import). */
  from: string;
  to: string;
  type: LinkType;
}

export type ReadAnnotation =
  | {
      kind: 'annotation';
      /** The annotation's own id in the input (to resolve links), if any. */
      ref?: string;
      tag: Tag;
      quote?: { exact: string; prefix: string; suffix: string };
      position?: { start: number; end: number };
      comments: ImportComment[];
      tradecraft: TradecraftRead;
      creatorName?: string;
    }
  | { kind: 'link'; link: ImportLink }
  | { kind: 'failed'; reason: string };

const creatorName = (c: W3cAnnotationInput['creator']): string | undefined => {
  if (c === undefined) return undefined;
  if (typeof c === 'string') return /^acct:([^@]+)@/.exec(c)?.[1] ?? undefined;
  return c.name ?? c.nickname ?? undefined;
};

/** Every selector of a target, RangeSelector starts and refinements included. */
function selectors(s: Selector | Selector[] | undefined): Selector[] {
  const out: Selector[] = [];
  const stack = arr(s);
  while (stack.length && out.length < 100) {
    const x = stack.shift()!;
    out.push(x);
    if (x.startSelector) stack.push(x.startSelector);
    stack.push(...arr(x.refinedBy));
  }
  return out;
}

function tagOf(b: { value?: string; source?: string; id?: string }): Tag | null {
  for (const v of [b.value, b.source?.split(/[/#]/).pop(), b.id?.split(/[/#]/).pop()]) {
    const t = v?.trim().toLowerCase();
    if (isTag(t)) return t;
  }
  return null;
}

/**
 * One input annotation read into what is stored, or the reason it cannot be. With `pageNote`, a
 * target without any selector is read too (quote and position undefined): a page note.
 */
export function readAnnotation(a: W3cAnnotationInput, opts: { pageNote?: boolean } = {}): ReadAnnotation {
  const bodies = arr(a.body);
  if (has(a.motivation, 'linking')) {
    const to = bodies.find((b) => typeof b === 'string') as string | undefined;
    const typeBody = bodies.find((b) => typeof b === 'object' && /^link: /.test(b.value ?? '')) as { value: string } | undefined;
    const type = typeBody?.value.slice(6).trim() as LinkType | undefined;
    const from = arr(a.target).find((t) => typeof t === 'string') as string | undefined;
    if (to && from && type && (LINK_TYPES as readonly string[]).includes(type)) return { kind: 'link', link: { from, to, type } };
    return { kind: 'failed', reason: 'a linking annotation needs an annotation as body, one as target and a "link: <type>" body' };
  }
  const targets = arr(a.target).filter((t) => typeof t !== 'string');
  const sels = targets.flatMap((t) => selectors((t as { selector?: Selector | Selector[] }).selector));
  const q = sels.find((s) => s.type === 'TextQuoteSelector' && s.exact);
  const p = sels.find((s) => s.type === 'TextPositionSelector' && s.start !== undefined && s.end !== undefined && s.end > s.start);
  // A page note has no selector at all; selectors of other kinds (an image region, XPath alone) cannot be placed.
  if (!q && !p && (!opts.pageNote || sels.length > 0)) return { kind: 'failed', reason: 'no TextQuoteSelector or TextPositionSelector in its target' };

  let tag: Tag | null = null;
  const comments: ImportComment[] = [];
  const tradecraft: TradecraftRead = {};
  for (const b of bodies) {
    if (typeof b === 'string') continue; // a body that is only an IRI: nothing to store
    const purposes = arr(b.purpose);
    if (purposes.includes('classifying') || purposes.includes('tagging')) {
      const t = tagOf(b);
      if (t) {
        tag ??= t;
        continue;
      }
    }
    if (b.value === undefined || !b.value.trim()) continue;
    if ((purposes.includes('assessing') || purposes.includes('describing')) && readTradecraftValue(b.value, tradecraft)) continue;
    if (purposes.includes('tagging') || purposes.includes('classifying')) continue; // other tools' tags
    comments.push({ reply: purposes.includes('replying'), value: b.value, format: b.format, creatorName: creatorName(b.creator) ?? creatorName(a.creator), created: b.created ?? a.created });
  }
  if (a.bodyValue?.trim()) comments.unshift({ reply: false, value: a.bodyValue, format: 'text/plain', creatorName: creatorName(a.creator), created: a.created });
  return {
    kind: 'annotation',
    ref: a.id,
    tag: tag ?? DEFAULT_TAG,
    quote: q ? { exact: q.exact!, prefix: q.prefix ?? '', suffix: q.suffix ?? '' } : undefined,
    position: p ? { start: p.start!, end: p.end! } : undefined,
    comments,
    tradecraft,
    creatorName: creatorName(a.creator),
  };
}
