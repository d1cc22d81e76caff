/**
 * Request schemas and answer types of the notification, preference and mention-lookup endpoints
 * (docs/api.md, "Notifications"). Strings are `safeText` like every other client string.
 */
import { z } from 'zod';
import { EMAIL_PREFERENCES, NOTIFICATION_REASONS } from './notifications';
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

// The answers, as zod schemas (for the OpenAPI description, lib/domain/openapi.ts) with the types
// the code uses inferred from them, so the two cannot differ.
const iso = z.string().describe('ISO 8601 date-time');

export const ZApiNotification = z.object({
  id: z.string(),
  reason: z.enum(NOTIFICATION_REASONS),
  /** Who wrote the comment. */
  actor: z.object({ id: z.string(), name: z.string() }),
  document: z.object({ id: z.string(), title: z.string() }),
  annotationId: z.string(),
  commentId: z.string(),
  /** The highlighted passage (at most 200 characters). */
  quote: z.string(),
  /** The comment's text (at most 200 characters). */
  excerpt: z.string(),
  /** The thread: `/documents/:id#a-<annotationId>`. */
  url: z.string(),
  createdAt: iso,
  readAt: iso.nullable(),
});
export type ApiNotification = z.infer<typeof ZApiNotification>;

export const ZApiNotificationPage = z.object({
  notifications: z.array(ZApiNotification),
  /** All of the caller's unread notifications, not only this page's. */
  unread: z.number().int(),
  /** Pass as `before` for the next (older) page; null on the last one. */
  next: z.string().nullable(),
});
export type ApiNotificationPage = z.infer<typeof ZApiNotificationPage>;

export const ZApiReadAnswer = z.object({ updated: z.number().int(), unread: z.number().int() });

export const ZApiPreferences = z.object({
  email: z.enum(EMAIL_PREFERENCES),
  /** Whether this server sends email at all (SMTP_URL is set). */
  emailEnabled: z.boolean(),
});
export type ApiPreferences = z.infer<typeof ZApiPreferences>;

/** A member one may mention; `email` only for admins. */
export const ZApiMentionable = z.object({ id: z.string(), name: z.string(), email: z.string().optional() });
export type ApiMentionable = z.infer<typeof ZApiMentionable>;
