import 'server-only';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { EMAIL_WINDOW_MINUTES, reasonText, threadPath, wantsEmail, type NotificationReason } from '@/lib/domain/notifications';
import { db } from './db';
import { env } from './env';
import { log } from './log';

/**
 * Notification emails (when SMTP_URL is set), sent after the comment's transaction has committed
 * and never awaited by its request: a slow or failing mail server cannot delay or fail a comment.
 * Failures are logged. Each recipient gets at most one email per thread per EMAIL_WINDOW_MINUTES:
 * the `EmailThrottle` row is claimed in the database before sending (one statement, so two server
 * processes cannot both claim it) and released again if the send fails.
 */
let transport: { url: string; t: Transporter } | null = null;
function transporter(url: string): Transporter {
  if (transport?.url !== url) transport = { url, t: nodemailer.createTransport(url) };
  return transport.t;
}

const inFlight = new Set<Promise<void>>();

/** Resolves when every queued email has been sent or has failed (tests, shutdown). */
export async function emailsSettled(): Promise<void> {
  while (inFlight.size) await Promise.all([...inFlight]);
}

export function queueNotificationEmails(commentId: string, notified: { userId: string; reason: NotificationReason }[], baseUrl: string | null): void {
  const p: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => sendNotificationEmails(commentId, notified, baseUrl))
    .catch((e) => log('warn', 'notification emails failed', { commentId, err: String(e) }))
    .finally(() => inFlight.delete(p));
  inFlight.add(p);
}

interface Facts {
  actorName: string;
  title: string;
  quote: string;
  text: string;
  documentId: string;
  annotationId: string;
}

async function sendNotificationEmails(commentId: string, notified: { userId: string; reason: NotificationReason }[], baseUrl: string | null): Promise<void> {
  const url = env.smtpUrl();
  if (!url) return;
  const facts = await db().comment.findFirst({
    where: { id: commentId, deletedAt: null },
    select: { text: true, author: { select: { name: true } }, annotation: { select: { id: true, exact: true, document: { select: { id: true, title: true } } } } },
  });
  if (!facts) return;
  const f: Facts = {
    actorName: facts.author.name, title: facts.annotation.document.title, quote: facts.annotation.exact, text: facts.text,
    documentId: facts.annotation.document.id, annotationId: facts.annotation.id,
  };
  const users = await db().user.findMany({ where: { id: { in: notified.map((n) => n.userId) }, active: true }, select: { id: true, email: true, name: true, emailNotifications: true } });
  for (const u of users) {
    const reason = notified.find((n) => n.userId === u.id)!.reason;
    if (!wantsEmail(u.emailNotifications, reason)) continue;
    if (!(await claim(u.id, f.annotationId))) continue;
    try {
      await transporter(url).sendMail({ from: sender(baseUrl), to: { name: u.name, address: u.email }, ...message(f, reason, baseUrl) });
    } catch (e) {
      log('warn', 'notification email not sent', { commentId, userId: u.id, err: String(e) });
      await release(u.id, f.annotationId).catch(() => {});
    }
  }
}

/** Claims the thread's email slot for the user: true when none was sent in the window. */
async function claim(userId: string, annotationId: string): Promise<boolean> {
  const rows = await db().$queryRaw<unknown[]>`
    INSERT INTO "EmailThrottle" ("userId", "annotationId", "sentAt") VALUES (${userId}, ${annotationId}, now())
    ON CONFLICT ("userId", "annotationId") DO UPDATE SET "sentAt" = EXCLUDED."sentAt"
      WHERE "EmailThrottle"."sentAt" <= EXCLUDED."sentAt" - make_interval(mins => ${EMAIL_WINDOW_MINUTES})
    RETURNING 1`;
  return rows.length > 0;
}

async function release(userId: string, annotationId: string): Promise<void> {
  await db().emailThrottle.deleteMany({ where: { userId, annotationId } });
}

function sender(baseUrl: string | null): string {
  const configured = env.mailFrom();
  if (configured) return configured;
  let host = 'localhost';
  try {
    if (baseUrl) host = new URL(baseUrl).hostname || host;
  } catch {}
  return `Marginalia <marginalia@${host}>`;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** Header text on one line (names and titles cannot break out of the Subject). */
const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, ' ');

/** The email: plain text only, so nothing in a comment can become markup in a mail client. */
export function message(f: Facts, reason: NotificationReason, baseUrl: string | null): { subject: string; text: string } {
  const base = (baseUrl ?? '').replace(/\/+$/, '');
  const link = `${base}${threadPath(f.documentId, f.annotationId)}`;
  const subject = oneLine(`${f.actorName} ${reasonText(reason)} on “${clip(f.title, 80)}”`);
  const text = [
    `${f.actorName} ${reasonText(reason)} on “${f.title}”:`,
    '',
    clip(f.text, 4000),
    '',
    ...(f.quote ? [`On the passage: “${clip(f.quote, 300)}”`, ''] : []),
    `Open the thread: ${link}`,
    '',
    `You get at most one email per thread every ${EMAIL_WINDOW_MINUTES} minutes. Choose what you get by email: ${base}/settings`,
  ].join('\n');
  return { subject, text };
}
