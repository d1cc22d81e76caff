/**
 * The rules of a document title field, shared by the import form and the rename form: the same
 * bound as the API (lib/domain/document-title.ts), counted as the server counts (after trimming,
 * in UTF-16 code units). A title over the bound is kept whole and reported, never cut.
 */
import { MAX_TITLE_LENGTH } from '@/lib/domain/document-title';

export { MAX_TITLE_LENGTH };

export const titleLength = (title: string) => title.trim().length;

/** "12 / 300": what the field shows under it. */
export const titleCount = (title: string) => `${titleLength(title).toLocaleString('en')} / ${MAX_TITLE_LENGTH}`;

/** Why `title` cannot be saved, or null. */
export function titleProblem(title: string): string | null {
  const n = titleLength(title);
  if (n === 0) return 'Give the document a title.';
  const over = n - MAX_TITLE_LENGTH;
  if (over > 0) return `The title is ${over.toLocaleString('en')} ${over === 1 ? 'character' : 'characters'} over the ${MAX_TITLE_LENGTH} limit.`;
  return null;
}

/** Only the over-limit problem: shown while typing (an empty field is reported on submit). */
export const titleOverLimit = (title: string) => (titleLength(title) > MAX_TITLE_LENGTH ? titleProblem(title) : null);
