/**
 * Which links may be stored (http, https and mailto only), and the check of untrusted editor JSON
 * (comments and articles) that relies on it, so a `javascript:` href never reaches a page.
 */
import type { Node as PMNode, Schema } from '@tiptap/pm/model';
import type { JsonNode } from './document-text';
import { AppError } from './errors';

export function isSafeHref(href: string): boolean {
  try {
    const url = new URL(href);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol);
  } catch {
    return false;
  }
}

/**
 * A copy of a Tiptap JSON tree with unsafe link marks removed (their text stays), links reduced
 * to their href (rel/target/class come from the schema's defaults, never the client) and ordered
 * lists to an integer start.
 */
export function stripUnsafeLinks(node: JsonNode): JsonNode {
  const marks = node.marks
    ?.filter((m) => m.type !== 'link' || (typeof m.attrs?.href === 'string' && isSafeHref(m.attrs.href)))
    .map((m) => (m.type === 'link' ? { type: 'link', attrs: { href: m.attrs?.href } } : m));
  const out: JsonNode = { ...node };
  if (node.marks) {
    if (marks && marks.length) out.marks = marks;
    else delete out.marks;
  }
  if (node.type === 'orderedList') {
    const start = Number(node.attrs?.start ?? 1);
    out.attrs = { start: Number.isInteger(start) && start >= 0 && start < 1e6 ? start : 1 };
  }
  if (node.content) out.content = node.content.map(stripUnsafeLinks);
  return out;
}

/**
 * Untrusted Tiptap JSON -> a checked ProseMirror node of `schema` (unsafe links removed first).
 * Anything that is not a `doc`, or does not fit the schema, is a 400 naming `field`.
 */
export function checkedDoc(schema: Schema, input: unknown, what: { field: string; label: string; schemaName: string }): PMNode {
  const { field, label, schemaName } = what;
  if (typeof input !== 'object' || input === null || (input as { type?: unknown }).type !== 'doc') {
    throw new AppError('bad_request', `${label} must be a Tiptap document (type "doc")`, [{ path: [field], message: 'expected a doc node' }]);
  }
  try {
    const node = schema.nodeFromJSON(stripUnsafeLinks(input as JsonNode));
    node.check();
    return node;
  } catch (e) {
    const reason = e instanceof RangeError && /call stack/i.test(e.message) ? 'nested too deeply' : e instanceof Error ? e.message : 'invalid';
    throw new AppError('bad_request', `${label} does not fit the ${schemaName} schema`, [{ path: [field], message: reason }]);
  }
}
