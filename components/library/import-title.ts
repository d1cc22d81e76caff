/**
 * The title an import suggests: the first heading of Markdown or HTML (of any level), the first
 * line of plain text. The same function serves a file read from disk and text pasted into the
 * form, and a suggestion never replaces a title the person typed themselves.
 */
export type ImportFormat = 'markdown' | 'html' | 'text';

const decodeEntities = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' })[e] ?? _);

export function guessTitle(text: string, format: ImportFormat): string | null {
  if (format === 'markdown') {
    // An ATX heading (`# …` to `###### …`, closing #s dropped) or a Setext one (a line underlined with = or -).
    const m = /^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$|^ {0,3}([^\s#>*+\-|`].*)\n {0,3}(?:=+|-+)[ \t]*$/m.exec(text);
    const heading = (m?.[1] ?? m?.[2])?.replace(/[*_`]+/g, '').trim();
    return heading || null;
  }
  if (format === 'html') {
    const h = /<h[1-6][^>]*>([\s\S]*?)<\/h[1-6]>/i.exec(text)?.[1] ?? /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
    const title = h ? decodeEntities(h.replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim() : '';
    return title || null;
  }
  return text.split('\n').find((l) => l.trim())?.trim().slice(0, 120) ?? null;
}

/**
 * The title after `pasted` arrives in the text: the guess when the field is empty or still holds
 * the previous guess (`suggested`), else the title as it is.
 */
export function titleAfterPaste(title: string, suggested: string | null, pasted: string, format: ImportFormat): { title: string; suggested: string | null } {
  if (format === 'text' || (title.trim() && title !== suggested)) return { title, suggested };
  const guess = guessTitle(pasted, format);
  return guess ? { title: guess, suggested: guess } : { title, suggested };
}
