/**
 * Request schemas and answer types of the notification, preference and mention-lookup endpoints
 * (docs/api.md, "Notifications"). Strings are `safeText` like every other client string.
 */
import { z } from 'zod';
import { EMAIL_PREFERENCES, type EmailPreference, type NotificationReason } from './notifications';
import { safeText, ZId } from './text';

/** `GET /api/notifications?before=<id>&limit=`: newest first, `before` pages back. */
export const MAX_NOTIFICATIONS_PAGE = 50;
export const ZListNotificationsQuerySchema = z.object({
  before: ZId.optional(),
  limit: z.coerce.number().int('must be an integer').min(1).max(MAX_NOTIFICATIONS_PAGE).default(20),
});
export type TListNotificationsQuery = z.infer<typeof ZListNotificationsQuerySchema>;

/** `POST /api/notifications/read`: some of mine by id, or all of them. */
export const MAX_READ_IDS = 100;
export const ZReadNotificationsSchema = z.union([
  z.object({ ids: z.array(ZId).min(1).max(MAX_READ_IDS) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);
export type TReadNotifications = z.infer<typeof ZReadNotificationsSchema>;

/** `PATCH /api/me/preferences`. */
export const ZPatchPreferencesSchema = z.object({ email: z.enum(EMAIL_PREFERENCES) }).strict();
export type TPatchPreferences = z.infer<typeof ZPatchPreferencesSchema>;

/** `GET /api/users/mentionable?q=`: at most this many, by name. */
export const MAX_MENTIONABLE = 8;
export const ZMentionableQuerySchema = z.object({ q: safeText({ max: 100, trim: true }).default('') });

export interface ApiNotification {
  id: string;
  reason: NotificationReason;
  /** Who wrote the comment. */
  actor: { id: string; name: string };
  document: { id: string; title: string };
  annotationId: string;
  commentId: string;
  /** The highlighted passage (at most 200 characters; "" for a note on the whole document). */
  quote: string;
  /** The comment's text (at most 200 characters). */
  excerpt: string;
  /** The thread: `/documents/:id#a-<annotationId>`. */
  url: string;
  createdAt: string;
  readAt: string | null;
}

export interface ApiNotificationPage {
  notifications: ApiNotification[];
  /** All of the caller's unread notifications, not only this page's. */
  unread: number;
  /** Pass as `before` for the next (older) page; null on the last one. */
  next: string | null;
}

export interface ApiPreferences {
  email: EmailPreference;
  /** Whether this server sends email at all (SMTP_URL is set). */
  emailEnabled: boolean;
}

/** A member one may mention; `email` only for admins. */
export interface ApiMentionable {
  id: string;
  name: string;
  email?: string;
}
