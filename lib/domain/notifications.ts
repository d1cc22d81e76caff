/**
 * Who is notified of a new comment, and who also gets an email: pure rules, shared by the server
 * (lib/server/notifications.ts) and its tests.
 *
 * - `mention`: the comment mentions you;
 * - `reply`: it answers a comment of yours;
 * - `thread`: it is in a thread you took part in (you made the highlight or commented on it).
 *
 * One notification per recipient per comment: the strongest reason wins (mention, then reply, then
 * thread). Never for your own comment. Email follows each user's preference: `none` (in-app only),
 * `mentions` (email for mentions only), `all` (email for every notification).
 */
export const NOTIFICATION_REASONS = ['mention', 'reply', 'thread'] as const;
export type NotificationReason = (typeof NOTIFICATION_REASONS)[number];

export const EMAIL_PREFERENCES = ['none', 'mentions', 'all'] as const;
export type EmailPreference = (typeof EMAIL_PREFERENCES)[number];

/** Words for the settings page. */
export const EMAIL_PREFERENCE_LABELS: Record<EmailPreference, string> = {
  none: 'In the app only',
  mentions: 'Also by email when someone mentions me',
  all: 'Also by email for every notification',
};

/** At most one email per thread per recipient in this window. */
export const EMAIL_WINDOW_MINUTES = 10;

export interface CommentFacts {
  actorId: string;
  /** Users the comment mentions. */
  mentions: readonly string[];
  /** The author of the comment replied to, if it is a reply. */
  parentAuthorId: string | null;
  /** The highlight's author and everyone who commented on the thread before (any order, repeats allowed). */
  participants: readonly string[];
}

/** Each recipient with the strongest reason they have; the actor is never among them. */
export function notificationRecipients(f: CommentFacts): Map<string, NotificationReason> {
  const out = new Map<string, NotificationReason>();
  const add = (id: string | null, reason: NotificationReason) => {
    if (id && id !== f.actorId && !out.has(id)) out.set(id, reason);
  };
  // Strongest first: a later, weaker reason never replaces an earlier one.
  for (const id of f.mentions) add(id, 'mention');
  add(f.parentAuthorId, 'reply');
  for (const id of f.participants) add(id, 'thread');
  return out;
}

/** Whether a notification for `reason` is also emailed under `preference`. */
export function wantsEmail(preference: EmailPreference, reason: NotificationReason): boolean {
  return preference === 'all' || (preference === 'mentions' && reason === 'mention');
}

/** What a notification says happened: "mentioned you", "replied to your comment", … */
export function reasonText(reason: NotificationReason): string {
  return reason === 'mention' ? 'mentioned you' : reason === 'reply' ? 'replied to your comment' : 'commented in a thread you are in';
}

/** The link to a thread: the document page with the highlight's hash. */
export function threadPath(documentId: string, annotationId: string): string {
  return `/documents/${encodeURIComponent(documentId)}#a-${encodeURIComponent(annotationId)}`;
}
