/**
 * Which links may be stored: http, https and mailto only. Shared by every importer and by the
 * validation of editor JSON (comments and articles), so a `javascript:` href never reaches a page.
 */
import type { JsonNode } from './document-text';

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
