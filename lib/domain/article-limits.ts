import { AppError } from './errors';

/**
 * Most elements (nodes of any kind: blocks, list items, runs of text with the same formatting) an
 * article may have. Two MiB of ordinary prose with some formatting is about 240,000; inputs built
 * to explode (a formatting change every two characters, a list item per line) reach millions,
 * take seconds to check and would be as slow to read and annotate. They are refused early (422).
 */
export const MAX_ARTICLE_NODES = 400_000;

export function tooManyNodes(): AppError {
  return new AppError(
    'unprocessable',
    `The document has more than ${MAX_ARTICLE_NODES.toLocaleString('en')} elements (paragraphs, list items, formatting runs); split it or simplify its formatting`,
    { reason: 'too_many_nodes', limit: MAX_ARTICLE_NODES },
  );
}
