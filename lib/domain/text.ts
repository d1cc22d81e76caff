/**
 * Text that may be stored and compared: no NUL (PostgreSQL's text type cannot hold it) and no
 * lone UTF-16 surrogate (it has no UTF-8 form, so PostgreSQL refuses it and JSON encoders turn it
 * into U+FFFD). Every string that comes from a client, in a body, a query parameter, a path
 * parameter or a header, passes through `safeText` (or `findUnsafeString` for free-form JSON such
 * as Tiptap documents), so such input is a 400 naming the field instead of a 500 at the database.
 *
 * Also the code-point helpers for offsets: positions count UTF-16 code units, and one must never
 * fall between the two halves of a surrogate pair (an emoji, say).
 */
import { z } from 'zod';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `s` cannot be stored as text, or null when it can. */
export function textProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(s)) return 'must not contain unpaired UTF-16 surrogates';
  return null;
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** True when offset `i` of `s` falls between the two halves of a surrogate pair. */
export function splitsSurrogatePair(s: string, i: number): boolean {
  return i > 0 && i < s.length && isHigh(s.charCodeAt(i - 1)) && isLow(s.charCodeAt(i));
}

/** `i` moved off the middle of a surrogate pair: back to the pair's start, or on past its end. */
export function snapToCodePoint(s: string, i: number, direction: 'back' | 'forward'): number {
  return splitsSurrogatePair(s, i) ? (direction === 'back' ? i - 1 : i + 1) : i;
}

export interface TextOptions {
  min?: number;
  max: number;
  /** Trim surrounding whitespace before the length checks (names, titles). */
  trim?: boolean;
  /** Message for a string that is too short (after trimming). */
  minMessage?: string;
  /** Message for a string that is too long. */
  maxMessage?: string;
}

/**
 * A zod string that may be stored: NUL and lone surrogates are refused (with the path of the
 * field, as every zod issue), and its length is bounded. Every client-sent string goes through
 * this, so no field is left unbounded.
 */
export function safeText(opts: TextOptions) {
  const base = opts.trim ? z.string().trim() : z.string();
  const sized = base
    .min(opts.min ?? 0, opts.minMessage ?? (opts.min === 1 ? 'must not be empty' : `must be at least ${opts.min} characters`))
    .max(opts.max, opts.maxMessage ?? `must be at most ${opts.max.toLocaleString('en')} characters`);
  return sized.superRefine((s, ctx) => {
    const problem = textProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** Ids in paths, queries and bodies: opaque, 1 to 64 characters of storable text. */
export const ZId = safeText({ min: 1, max: 64 });

/** The largest value of a PostgreSQL `integer` column (versions, offsets). */
export const MAX_INT32 = 2 ** 31 - 1;

/** An integer that fits a PostgreSQL `integer` column, at least `min`. */
export const int32 = (min = 0) => z.number().int('must be an integer').min(min).max(MAX_INT32, `must be at most ${MAX_INT32}`);

/**
 * The first string in a JSON value (object keys included) that cannot be stored, with its path,
 * or null. Used for free-form JSON such as Tiptap documents, whose text nodes, link hrefs and
 * attributes are all client strings.
 */
export function findUnsafeString(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; message: string } | null {
  // An explicit stack with parent links (the path is built only for the offender): documents may
  // nest deeply, and the walk must neither overflow the call stack nor copy paths per node.
  interface Frame { v: unknown; key: string | number | null; parent: Frame | null }
  const pathOf = (f: Frame | null, extra: (string | number)[] = []) => {
    const keys: (string | number)[] = [];
    for (let cur = f; cur && cur.key !== null; cur = cur.parent) keys.push(cur.key);
    return [...path, ...keys.reverse(), ...extra];
  };
  const stack: Frame[] = [{ v: value, key: null, parent: null }];
  while (stack.length) {
    const f = stack.pop()!;
    const v = f.v;
    if (typeof v === 'string') {
      const message = textProblem(v);
      if (message) return { path: pathOf(f), message };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], key: i, parent: f });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i];
        const message = textProblem(k);
        if (message) return { path: pathOf(f, [k]), message: `key ${message}` };
        stack.push({ v: child, key: k, parent: f });
      }
    }
  }
  return null;
}
