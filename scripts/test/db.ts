/** Helpers for integration tests: a clean database and users of each role. */
import type { Actor } from '@/lib/domain/policy';
import type { Role } from '@/lib/domain/tags';
import { db } from '@/lib/server/db';
import { snapshotsStored } from '@/lib/server/snapshots';
import { articleJson, insertDocument } from '@/lib/server/documents';
import { markdownToDoc } from '@/lib/domain/markdown-import';

export async function resetDb(): Promise<void> {
  // A snapshot still being stored from the last test would write into the emptied tables.
  await snapshotsStored();
  const tables = await db().$queryRaw<{ tablename: string }[]>`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
  if (tables.length) await db().$executeRawUnsafe(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
}

let n = 0;
export async function makeUser(role: Role, name?: string): Promise<Actor & { name: string }> {
  // Counted on every call (not only when no name is given): two users made within one
  // millisecond must not share an email.
  const k = ++n;
  const u = await db().user.create({
    data: { email: `${role}-${k}-${Date.now()}@example.test`, name: name ?? `${role} ${k}`, role, passwordHash: 'x' },
  });
  return { id: u.id, role: u.role, name: u.name };
}

export const SAMPLE_MD = `# Sample

The first paragraph says something measurable about artillery shells.

## Section

A second paragraph with “curly quotes” – and an en dash.
`;

export async function makeDocument(md = SAMPLE_MD) {
  const created = await db().$transaction((tx) => insertDocument(tx, 'Sample', articleJson(markdownToDoc(md)), null));
  return created.document;
}

export const doc = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

/** A session cookie value for `uid` as next-auth issues it at sign-in (with its server-side session row). */
export async function sessionToken(uid: string, sv = 0): Promise<string> {
  const { encode } = await import('next-auth/jwt');
  const { startSession } = await import('@/lib/server/sessions');
  return encode({ token: { uid, sv, sid: await startSession(uid) }, secret: process.env.AUTH_SECRET! });
}
