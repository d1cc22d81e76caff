import 'server-only';
import { AppError } from '@/lib/domain/errors';
import { db } from './db';

/**
 * How much discussion one thread and one document may hold. The document page carries every
 * comment of the revision (as HTML and as editor JSON), so without a bound a member could post
 * until the page took seconds to render for everyone, and then crashed the server while building
 * it (a thread of 1,000 comments of 20,000 characters each needing HTML escapes did). Generous for
 * real use: 8 MiB of comment HTML is some 36,000 comments of a paragraph each.
 */
export const MAX_COMMENTS_PER_THREAD = 500;
export const MAX_DOCUMENT_COMMENT_HTML = 8 * 1024 * 1024;

/**
 * Refuses (422) a comment that would take a thread past its count or the document past its size.
 * `addedHtml` is the HTML length the change adds (an edit: the growth). Checked before the write,
 * outside its transaction: concurrent posts may overshoot by what they add, which stays bounded.
 */
export async function checkCommentBudget(where: { documentId: string; annotationId: string | null }, addedHtml: number, newComment: boolean): Promise<void> {
  const [row] = await db().$queryRaw<{ threadComments: bigint; documentHtml: bigint }[]>`
    SELECT
      (SELECT count(*) FROM "Comment" WHERE "annotationId" = ${where.annotationId ?? ''} AND "deletedAt" IS NULL) AS "threadComments",
      (SELECT COALESCE(sum(length(c.html)), 0) FROM "Comment" c JOIN "Annotation" a ON a.id = c."annotationId"
        WHERE a."documentId" = ${where.documentId} AND a."deletedAt" IS NULL AND c."deletedAt" IS NULL) AS "documentHtml"`;
  if (newComment && Number(row.threadComments) >= MAX_COMMENTS_PER_THREAD) {
    throw new AppError('unprocessable', `This thread has ${MAX_COMMENTS_PER_THREAD} comments, the most one thread can hold; start a new thread on the passage`, { reason: 'thread_full', limit: MAX_COMMENTS_PER_THREAD });
  }
  if (addedHtml > 0 && Number(row.documentHtml) + addedHtml > MAX_DOCUMENT_COMMENT_HTML) {
    throw new AppError('unprocessable', 'The discussion of this document has reached its size limit; resolve or delete old comments, or continue in a new document', { reason: 'document_full', limit: MAX_DOCUMENT_COMMENT_HTML });
  }
}
