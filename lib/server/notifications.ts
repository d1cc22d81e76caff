import 'server-only';
import { randomBytes } from 'node:crypto';
import { mentionIdsOf, parseCommentBody, type CommentContent } from '@/lib/domain/comment-body';
import { notFound } from '@/lib/domain/errors';
import type { ApiMentionable, ApiNotification, ApiNotificationPage, ApiPreferences, TListNotificationsQuery, TPatchPreferences, TReadNotifications } from '@/lib/domain/notification-api';
import { MAX_MENTIONABLE } from '@/lib/domain/notification-api';
import { notificationRecipients, threadPath, type NotificationReason } from '@/lib/domain/notifications';
import { authorize, can, type Actor } from '@/lib/domain/policy';
import { Prisma } from '@/generated/prisma/client';
import { db, type Tx } from './db';
import { env } from './env';
import { queueNotificationEmails } from './mailer';

/**
 * Notifications (docs/architecture.md, "Notifications"): written in the comment's transaction,
 * announced on commit with `NOTIFY user_notifications, '<user id>'` (the event hub hands it to the
 * user's notification streams, lib/server/notification-stream.ts), emailed after the commit
 * (lib/server/mailer.ts). Who gets what is decided by lib/domain/notifications.ts.
 */

/** Parses a comment body, looking up the users it mentions first (422 for one that is not a user). */
export async function parseCommentWithMentions(input: unknown): Promise<CommentContent> {
  const ids = mentionIdsOf(input);
  const users = ids.length ? await db().user.findMany({ where: { id: { in: ids.slice(0, 200) } }, select: { id: true, name: true } }) : [];
  return parseCommentBody(input, new Map(users.map((u) => [u.id, u.name])));
}

/** A new recipient of a comment's notification, for the email step after the commit. */
export interface Notified {
  userId: string;
  reason: NotificationReason;
}

// Same shape as Prisma's cuid() ids (a letter, then base-36 time and randomness).
const newId = () => `n${Date.now().toString(36)}${randomBytes(9).toString('hex')}`;

/**
 * Writes the notifications of a comment in its transaction (call before the event is recorded:
 * event writes come last) and queues their announcement. Only active users are notified; a
 * recipient who already has one for this comment keeps it, unless the new reason is stronger (an
 * edit that adds a mention), which makes it unread and new again. Returns who was notified.
 */
export async function insertNotifications(
  tx: Tx,
  c: { id: string; annotationId: string; documentId: string; authorId: string },
  recipients: Map<string, NotificationReason>,
): Promise<Notified[]> {
  if (recipients.size === 0) return [];
  const entries = [...recipients];
  const rows = await tx.$queryRaw<Notified[]>`
    WITH n AS (
      INSERT INTO "Notification" (id, "userId", "actorId", "commentId", "annotationId", "documentId", reason)
      SELECT r.id, r.uid, ${c.authorId}, ${c.id}, ${c.annotationId}, ${c.documentId}, r.reason::"NotificationReason"
      FROM unnest(${entries.map(newId)}::text[], ${entries.map(([u]) => u)}::text[], ${entries.map(([, r]) => r)}::text[]) AS r(id, uid, reason)
      JOIN "User" u ON u.id = r.uid AND u.active
      ON CONFLICT ("userId", "commentId") DO UPDATE SET reason = EXCLUDED.reason, "readAt" = NULL, "createdAt" = now()
        WHERE EXCLUDED.reason < "Notification".reason
      RETURNING "userId", reason::text AS reason)
    SELECT "userId", reason, pg_notify('user_notifications', "userId")::text AS notified FROM n`;
  return rows.map((r) => ({ userId: r.userId, reason: r.reason }));
}

/**
 * The notifications of a new comment: mentions, the author of the comment it answers, and everyone
 * who took part in the thread (the highlight's author and earlier commenters).
 */
export async function notifyNewComment(
  tx: Tx,
  c: { id: string; annotationId: string; documentId: string; authorId: string; parentId: string | null },
  mentions: string[],
): Promise<Notified[]> {
  const rows = await tx.$queryRaw<{ kind: 'parent' | 'participant'; id: string }[]>`
    SELECT 'participant' AS kind, "authorId" AS id FROM "Annotation" WHERE id = ${c.annotationId}
    UNION ALL
    SELECT DISTINCT 'participant', "authorId" FROM "Comment" WHERE "annotationId" = ${c.annotationId} AND "deletedAt" IS NULL AND id <> ${c.id}
    UNION ALL
    SELECT 'parent', "authorId" FROM "Comment" WHERE id = ${c.parentId}::text`;
  const recipients = notificationRecipients({
    actorId: c.authorId,
    mentions,
    parentAuthorId: rows.find((r) => r.kind === 'parent')?.id ?? null,
    participants: rows.filter((r) => r.kind === 'participant').map((r) => r.id),
  });
  return insertNotifications(tx, c, recipients);
}

/** After an edit: people mentioned now who were not before. */
export async function notifyNewMentions(
  tx: Tx,
  c: { id: string; annotationId: string; documentId: string; authorId: string },
  before: string[],
  after: string[],
): Promise<Notified[]> {
  const added = after.filter((id) => !before.includes(id));
  return insertNotifications(tx, c, notificationRecipients({ actorId: c.authorId, mentions: added, parentAuthorId: null, participants: [] }));
}

/** Starts the emails of a committed comment (never awaited by the request; failures are logged). */
export function afterCommentCommitted(commentId: string, notified: Notified[], origin: string | null): void {
  if (notified.length && env.smtpUrl()) queueNotificationEmails(commentId, notified, env.appUrl() ?? origin);
}

/** Mentions already in a stored body (an edit notifies only the new ones). */
export const storedMentions = (body: unknown): string[] => mentionIdsOf(body);

// ---- reading and marking ---------------------------------------------------------------------

const visible = { comment: { deletedAt: null, annotation: { deletedAt: null, document: { deletedAt: null } } } } as const;
const clip = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

async function unreadCount(userId: string): Promise<number> {
  return db().notification.count({ where: { userId, readAt: null, ...visible } });
}

/** The caller's notifications, newest first, `limit` a page, with their unread count. */
export async function listNotifications(actor: Actor, q: TListNotificationsQuery): Promise<ApiNotificationPage> {
  authorize(actor, 'notification.read');
  let cursor: { createdAt: Date; id: string } | null = null;
  if (q.before) {
    cursor = await db().notification.findFirst({ where: { id: q.before, userId: actor.id }, select: { createdAt: true, id: true } });
    if (!cursor) throw notFound('Notification');
  }
  const rows = await db().notification.findMany({
    where: {
      userId: actor.id,
      ...visible,
      ...(cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
    include: {
      actor: { select: { id: true, name: true } },
      comment: { select: { text: true, annotation: { select: { exact: true, document: { select: { id: true, title: true } } } } } },
    },
  });
  const page = rows.slice(0, q.limit);
  const notifications: ApiNotification[] = page.map((n) => ({
    id: n.id,
    reason: n.reason,
    actor: n.actor,
    document: n.comment.annotation.document,
    annotationId: n.annotationId,
    commentId: n.commentId,
    quote: clip(n.comment.annotation.exact),
    excerpt: clip(n.comment.text),
    url: threadPath(n.documentId, n.annotationId),
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt?.toISOString() ?? null,
  }));
  return { notifications, unread: await unreadCount(actor.id), next: rows.length > q.limit ? page[page.length - 1].id : null };
}

/** Marks some (or all) of the caller's notifications read; other people's ids are ignored. */
export async function markRead(actor: Actor, input: TReadNotifications): Promise<{ updated: number; unread: number }> {
  authorize(actor, 'notification.read');
  const ids = 'ids' in input ? input.ids : null;
  const updated = await db().$transaction(async (tx) => {
    const { count } = await tx.notification.updateMany({
      where: { userId: actor.id, readAt: null, ...(ids ? { id: { in: ids } } : {}) },
      data: { readAt: new Date() },
    });
    // The user's other tabs update their count too.
    if (count) await tx.$executeRaw`SELECT pg_notify('user_notifications', ${actor.id})`;
    return count;
  });
  return { updated, unread: await unreadCount(actor.id) };
}

/** The unread count alone (the notification stream sends it). */
export async function unreadFor(userId: string): Promise<number> {
  return unreadCount(userId);
}

// ---- preferences and the mention lookup ------------------------------------------------------

export async function getPreferences(actor: Actor): Promise<ApiPreferences> {
  const u = await db().user.findUnique({ where: { id: actor.id }, select: { emailNotifications: true } });
  if (!u) throw notFound('User');
  return { email: u.emailNotifications, emailEnabled: env.smtpUrl() !== null };
}

export async function setPreferences(actor: Actor, input: TPatchPreferences): Promise<ApiPreferences> {
  await db().user.update({ where: { id: actor.id }, data: { emailNotifications: input.email } });
  return getPreferences(actor);
}

const likePattern = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Active members to mention, by name: a name or one of its words starting with `q`. Everyone may
 * also find a member by their whole email address (which they must already know); only admins
 * search by the start of an email and see emails in the answer.
 */
export async function mentionableUsers(actor: Actor, q: string): Promise<ApiMentionable[]> {
  authorize(actor, 'user.lookup');
  const admin = can(actor, 'user.manage');
  const p = likePattern(q.toLowerCase());
  const rows = await db().$queryRaw<{ id: string; name: string; email: string }[]>`
    SELECT id, name, email FROM "User"
    WHERE active AND (${q} = '' OR lower(name) LIKE ${`${p}%`} OR lower(name) LIKE ${`% ${p}%`} OR lower(email) = ${q.toLowerCase()}
          ${admin ? Prisma.sql`OR email LIKE ${`${p}%`}` : Prisma.empty})
    ORDER BY (lower(name) LIKE ${`${p}%`}) DESC, lower(name), id
    LIMIT ${MAX_MENTIONABLE}`;
  return rows.map((r) => (admin ? { id: r.id, name: r.name, email: r.email } : { id: r.id, name: r.name }));
}
