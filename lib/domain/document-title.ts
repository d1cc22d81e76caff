/**
 * A document's title: its bound (the API's schema, the import form and the rename form all use
 * this one number) and its shortened form where a whole title does not fit, such as the tab's
 * <title>. A tiny module of its own so client components can import it without zod.
 */
export const MAX_TITLE_LENGTH = 300;

/** Titles longer than this are cut (at a word boundary when there is one) for the tab. */
export const TAB_TITLE_LENGTH = 80;

/**
 * `title` cut to at most `max` characters with an ellipsis, at the last space when that keeps
 * most of it, never inside a surrogate pair.
 */
export function shortTitle(title: string, max = TAB_TITLE_LENGTH): string {
  const chars = Array.from(title.trim());
  if (chars.length <= max) return chars.join('');
  let cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  if (space >= cut.length * 0.6) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}
