/**
 * First-start seed: when the database has no documents, the default article
 * (prisma/default-article.md, a copy of the shared Russia–North Korea essay) becomes the first
 * document. Safe to run on every start and from several processes at once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { firstHeading, markdownToDoc } from '@/lib/domain/markdown-import';
import { db } from '@/lib/server/db';
import { articleJson, insertDocument } from '@/lib/server/documents';

export const DEFAULT_ARTICLE = path.join(import.meta.dirname, 'default-article.md');

export async function seedDefaultDocument(): Promise<string | null> {
  const content = markdownToDoc(readFileSync(DEFAULT_ARTICLE, 'utf8'));
  const title = firstHeading(content) ?? 'Untitled';
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(72707371)`;
    if ((await tx.document.count()) > 0) return null;
    const { document } = await insertDocument(tx, title, articleJson(content), null);
    return document.id;
  });
}
