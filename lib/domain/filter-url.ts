/**
 * The reader's filters (annotation-filters.ts) in a URL, so a view can be shared and bookmarked:
 * `/documents/:id?tag=evidence,assessment&status=open&mine=true&q=kn-23&…`. The names follow the
 * annotation list's query (docs/api.md) where there is one. Reading is lenient (an unknown or
 * malformed value is left out, never an error: a link someone edited still opens); writing leaves
 * out what is not set, in a fixed order, and keeps every other parameter (e.g. `revision`).
 */
import { NO_FILTERS, type FieldFilter, type FilterState } from './annotation-filters';
import { TAGS, type Tag } from './tags';
import { CONFIDENCES, CREDIBILITIES, LIKELIHOODS, OUTCOMES, RELIABILITIES } from './tradecraft';

/** Every parameter the filters own, in the order they are written. */
export const FILTER_PARAMS = ['q', 'tag', 'status', 'mine', 'author', 'hasReplies', 'outcome', 'likelihood', 'confidence', 'reliability', 'credibility', 'checks', 'from', 'to'] as const;

/** The API's bound on search words (docs/api.md). */
export const MAX_SEARCH_LENGTH = 200;
const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const validDay = (s: string) => DAY.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

function field<T extends string | number>(raw: string | null, values: readonly T[]): FieldFilter<T> {
  if (raw === 'none') return 'none';
  return values.find((v) => String(v) === raw) ?? '';
}

export function parseFilters(params: URLSearchParams): FilterState {
  const get = (k: (typeof FILTER_PARAMS)[number]) => params.get(k);
  const tags = (get('tag') ?? '').split(',').filter((t): t is Tag => (TAGS as readonly string[]).includes(t));
  const q = (get('q') ?? '').trim().slice(0, MAX_SEARCH_LENGTH);
  const replies = get('hasReplies');
  const from = get('from') ?? '';
  const to = get('to') ?? '';
  const author = get('author') ?? '';
  return {
    ...NO_FILTERS,
    tags: [...new Set(tags)],
    hideResolved: get('status') === 'open',
    mine: get('mine') === 'true',
    likelihood: field(get('likelihood'), LIKELIHOODS),
    confidence: field(get('confidence'), CONFIDENCES),
    reliability: field(get('reliability'), RELIABILITIES),
    credibility: field(get('credibility'), CREDIBILITIES),
    outcome: field(get('outcome'), OUTCOMES),
    hasChecks: get('checks') === 'true',
    q,
    author: author.length <= 64 ? author : '',
    hasReplies: replies === 'true' ? 'yes' : replies === 'false' ? 'no' : '',
    from: validDay(from) ? from : '',
    to: validDay(to) ? to : '',
  };
}

/** `params` with the filter parameters replaced by `f`'s (a new object; the others kept in place). */
export function writeFilters(params: URLSearchParams, f: FilterState): URLSearchParams {
  const out = new URLSearchParams(params);
  for (const k of FILTER_PARAMS) out.delete(k);
  const set = (k: (typeof FILTER_PARAMS)[number], v: string | number | boolean) => {
    if (v !== '' && v !== false) out.set(k, v === true ? 'true' : String(v));
  };
  set('q', f.q.trim());
  set('tag', TAGS.filter((t) => f.tags.includes(t)).join(','));
  set('status', f.hideResolved ? 'open' : '');
  set('mine', f.mine);
  set('author', f.author);
  set('hasReplies', f.hasReplies === 'yes' ? 'true' : f.hasReplies === 'no' ? 'false' : '');
  set('outcome', f.outcome);
  set('likelihood', f.likelihood);
  set('confidence', f.confidence);
  set('reliability', f.reliability);
  set('credibility', f.credibility);
  set('checks', f.hasChecks);
  set('from', f.from);
  set('to', f.to);
  return out;
}

/** The query string (with `?`, or '' when empty) for `f` over `search` (e.g. `location.search`). */
export function filterSearch(search: string, f: FilterState): string {
  const s = writeFilters(new URLSearchParams(search), f).toString();
  return s ? `?${s}` : '';
}

