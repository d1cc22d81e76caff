/**
 * Notification fan-out against the real database and a real SMTP server (smtp-server, started
 * here on a free loopback port): who gets what, nothing for one's own action, preferences, the
 * per-thread email limit, mention validation, the sanitised mention, the live announcement.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describe as describeRange } from '@/lib/domain/anchoring';
import type { AppError } from '@/lib/domain/errors';
import type { JsonNode } from '@/lib/domain/document-text';
import { doc, makeDocument, makeUser, resetDb, sessionToken } from '@/scripts/test/db';
import { request as httpRequest, type RouteHandler } from '@/scripts/test/http';
import * as notificationEvents from '@/app/api/notifications/events/route';
import { createAnnotation } from './annotations';
import { createComment, patchComment } from './comments';
import { db } from './db';
import { emailsSettled } from './mailer';
import { listNotifications, markRead, mentionableUsers, setPreferences } from './notifications';
import { signOutEverywhere } from './users';

interface Mail { to: string; subject: string; body: string }

/** =XX escapes (quoted-printable, and Q-encoded words with `_` for space) to UTF-8 text. */
const unQ = (s: string) => Buffer.from(s.replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
const decodeHeader = (h: string) => h.replace(/\r\n[ \t]/g, ' ').replace(/=\?UTF-8\?Q\?([^?]*)\?=\s*/gi, (_, w: string) => unQ(w.replace(/_/g, ' ')));
const decodeBody = (head: string, b: string) => (/quoted-printable/i.test(head) ? unQ(b.replace(/=\r\n/g, '')) : b);
const inbox: Mail[] = [];
let smtp: SMTPServer;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, done) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        const [head, ...rest] = raw.split('\r\n\r\n');
        const subject = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(head)?.[1] ?? '';
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject: decodeHeader(subject), body: decodeBody(head, rest.join('\r\n\r\n')) });
        done();
      });
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  process.env.APP_URL = 'https://marginalia.example';
});
afterAll(async () => {
  await emailsSettled();
  delete process.env.SMTP_URL;
  delete process.env.APP_URL;
  await new Promise<void>((r) => smtp.close(() => r()));
});

const mention = (u: { id: string; name: string }): JsonNode => ({ type: 'mention', attrs: { id: u.id, label: u.name } });
const body = (...content: JsonNode[]) => ({ type: 'doc', content: [{ type: 'paragraph', content }] });
const text = (t: string): JsonNode => ({ type: 'text', text: t });
const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: AppError) => e.code);
const reasons = async (u: { id: string; role: 'admin' | 'analyst' | 'viewer' }) =>
  (await listNotifications(u, { limit: 50 })).notifications.map((n) => `${n.actor.name}:${n.reason}`);

describe('notifications', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  async function setup() {
    // Emails of the previous test go out before its users are gone.
    await emailsSettled();
    await resetDb();
    inbox.length = 0;
    const document = await makeDocument();
    const ana = await makeUser('analyst', 'Ana');
    const ben = await makeUser('viewer', 'Ben');
    const cy = await makeUser('analyst', 'Cy');
    const dee = await makeUser('viewer', 'Dee');
    const i = document.revision.text.indexOf('artillery');
    const annotation = (await createAnnotation(ana, document.id, { tag: 'speculation', target: describeRange(document.revision.text, i, i + 9) })).body.annotation;
    return { document, ana, ben, cy, dee, annotation };
  }
  beforeEach(async () => {
    ctx = await setup();
  });

  it('fans out: the highlight author and commenters get "thread", the replied-to "reply", the mentioned "mention"; one each, never the actor', async () => {
    const { ana, ben, cy, dee, annotation } = ctx;
    const first = (await createComment(ben, annotation.id, { body: doc('First') })).body.comment;
    expect(await reasons(ana)).toEqual(['Ben:thread']);
    expect(await reasons(ben)).toEqual([]);

    // Cy replies to Ben and mentions Dee and Ben (Ben: mention beats reply) and himself (nothing).
    await createComment(cy, annotation.id, { body: body(text('Agree '), mention(dee), mention(ben), mention(cy)), parentId: first.id });
    expect(await reasons(ben)).toEqual(['Cy:mention']);
    expect(await reasons(dee)).toEqual(['Cy:mention']);
    expect(await reasons(ana)).toEqual(['Cy:thread', 'Ben:thread']);
    expect(await reasons(cy)).toEqual([]);

    // Ana answers Cy in her own thread: Cy a reply, Ben a thread note; nothing for Ana.
    const cyComment = await db().comment.findFirstOrThrow({ where: { authorId: cy.id } });
    await createComment(ana, annotation.id, { body: doc('Thanks'), parentId: cyComment.id });
    expect((await reasons(cy))[0]).toBe('Ana:reply');
    expect((await reasons(ben))[0]).toBe('Ana:thread');
    expect(await reasons(ana)).toEqual(['Cy:thread', 'Ben:thread']);

    const page = await listNotifications(ana, { limit: 1 });
    expect(page).toMatchObject({ unread: 2, notifications: [{ reason: 'thread', quote: 'artillery', url: `/documents/${ctx.document.id}#a-${annotation.id}` }] });
    expect(page.next).toBe(page.notifications[0].id);
    const older = await listNotifications(ana, { limit: 5, before: page.next! });
    expect(older.notifications.map((n) => n.actor.name)).toEqual(['Ben']);
    expect(older.next).toBeNull();
  });

  it('marks read by id (only your own) or all, and the unread count follows', async () => {
    const { ana, ben, cy, annotation } = ctx;
    await createComment(ben, annotation.id, { body: doc('one') });
    await createComment(cy, annotation.id, { body: doc('two') });
    const mine = (await listNotifications(ana, { limit: 10 })).notifications;
    expect(await markRead(ben, { ids: [mine[0].id] })).toEqual({ updated: 0, unread: 1 });
    expect(await markRead(ana, { ids: [mine[0].id] })).toEqual({ updated: 1, unread: 1 });
    expect(await markRead(ana, { all: true })).toEqual({ updated: 1, unread: 0 });
    expect((await listNotifications(ana, { limit: 10 })).notifications.every((n) => n.readAt)).toBe(true);
  });

  it('validates mentions: an id that is not a user is 422, the label is the server\'s name, the HTML a safe span', async () => {
    const { ben, dee, annotation } = ctx;
    expect(await code(createComment(ben, annotation.id, { body: body(mention({ id: 'cnotauser0000000000000000', name: 'X' })) }))).toBe('unprocessable');
    expect(await code(createComment(ben, annotation.id, { body: body({ type: 'mention', attrs: { id: '<img src=x>', label: 'x' } }) }))).toBe('bad_request');
    const c = (await createComment(ben, annotation.id, { body: body(text('hey '), { type: 'mention', attrs: { id: dee.id, label: '<b>Admin</b>' } }) })).body.comment;
    expect(c.html).toBe(`<p>hey <span class="mention" data-user-id="${dee.id}">@Dee</span></p>`);
    expect((await db().comment.findUniqueOrThrow({ where: { id: c.id } })).text).toBe('hey @Dee');
    // Nothing was written for the refused ones.
    expect(await db().notification.count()).toBe(2); // Dee's mention, Ana's thread
  });

  it('an edit that adds a mention notifies the newly mentioned only; a first comment on a new highlight notifies its mentions', async () => {
    const { ana, ben, cy, dee, annotation, document } = ctx;
    const c = (await createComment(ben, annotation.id, { body: body(text('hi '), mention(cy)) })).body.comment;
    await patchComment(ben, c.id, { body: body(text('hi '), mention(cy), mention(dee), mention(ana)), version: 1 });
    expect(await reasons(cy)).toEqual(['Ben:mention']);
    expect(await reasons(dee)).toEqual(['Ben:mention']);
    // Ana had "thread" for this comment: the mention makes it a mention, unread again.
    expect(await reasons(ana)).toEqual(['Ben:mention']);

    const i = document.revision.text.indexOf('measurable');
    await createAnnotation(cy, document.id, { tag: 'evidence', target: describeRange(document.revision.text, i, i + 10), comment: { body: body(text('see '), mention(dee), mention(cy)) } });
    expect(await reasons(dee)).toEqual(['Cy:mention', 'Ben:mention']);
    expect(await reasons(cy)).toEqual(['Ben:mention']);
  });

  it('deactivated users get nothing; the mention lookup lists active members by name, emails only for admins', async () => {
    const { ana, ben, dee, annotation } = ctx;
    await db().user.update({ where: { id: dee.id }, data: { active: false } });
    await createComment(ben, annotation.id, { body: body(mention(dee)) });
    expect(await reasons(dee)).toEqual([]);
    expect((await mentionableUsers(ben, 'a')).map((u) => u)).toEqual([{ id: ana.id, name: 'Ana' }]);
    expect(await mentionableUsers(ben, 'de')).toEqual([]);
    const admin = await makeUser('admin', 'Zed Admin');
    const anaEmail = (await db().user.findUniqueOrThrow({ where: { id: ana.id } })).email;
    const local = anaEmail.split('@')[0];
    expect(await mentionableUsers(admin, local)).toEqual([{ id: ana.id, name: 'Ana', email: anaEmail }]);
    // A non-admin finds someone only by their whole email, and never sees it.
    expect(await mentionableUsers(ben, local)).toEqual([]);
    expect(await mentionableUsers(ben, anaEmail.toUpperCase())).toEqual([{ id: ana.id, name: 'Ana' }]);
    expect(await mentionableUsers(ben, 'adm')).toEqual([{ id: admin.id, name: 'Zed Admin' }]);
    expect(await mentionableUsers(ben, '%')).toEqual([]);
  });

  it('emails by preference, at most one per thread per recipient per 10 minutes, with the text and a link, nothing for your own action', async () => {
    const { ana, ben, cy, dee, annotation, document } = ctx;
    const email = async (u: { id: string }) => (await db().user.findUniqueOrThrow({ where: { id: u.id } })).email;
    await setPreferences(cy, { email: 'all' });
    await setPreferences(dee, { email: 'none' });
    // Ana (default: mentions) gets a thread note: no email. Dee is mentioned but wants none.
    await createComment(ben, annotation.id, { body: body(text('Ping '), mention(dee), text(' about <script>')) });
    await emailsSettled();
    expect(inbox).toEqual([]);

    // Cy (all) and Ana (mentioned) are emailed; Ben gets a thread note only (default: mentions).
    await createComment(dee, annotation.id, { body: body(text('Source? '), mention(ana)) });
    await emailsSettled();
    expect(inbox.map((m) => m.to).sort()).toEqual([await email(ana)].sort());
    // Cy took no part yet: he is not a recipient at all. Now he comments (nothing for himself).
    await createComment(cy, annotation.id, { body: doc('I can source it') });
    await emailsSettled();
    expect(inbox.map((m) => m.to)).not.toContain(await email(cy));
    const [mail] = inbox;
    expect(mail.subject).toBe('Dee mentioned you on “Sample”');
    expect(mail.body).toContain('Source? @Ana');
    expect(mail.body).toContain(`https://marginalia.example/documents/${document.id}#a-${annotation.id}`);

    // Within 10 minutes: Ana is mentioned again in the same thread: no second email for her, while
    // Cy (who now took part, and wants everything) gets his first one.
    inbox.length = 0;
    await createComment(ben, annotation.id, { body: body(mention(ana), text(' again')) });
    await emailsSettled();
    expect(inbox.map((m) => m.to)).toEqual([await email(cy)]);
    expect(inbox[0].subject).toBe('Ben commented in a thread you are in on “Sample”');
    // Ten minutes later (the persisted claims moved back): the next ones go out.
    inbox.length = 0;
    await db().emailThrottle.updateMany({ data: { sentAt: new Date(Date.now() - 11 * 60_000) } });
    await createComment(ben, annotation.id, { body: body(mention(ana), text(' and again')) });
    await createComment(dee, annotation.id, { body: body(text('Cy, '), mention(cy)) });
    await emailsSettled();
    expect(inbox.map((m) => m.to).sort()).toEqual([await email(ana), await email(cy)].sort());
  });

  it('a mail server that refuses does not fail the comment, and the slot is released for the next try', async () => {
    const { ben, dee, annotation } = ctx;
    await setPreferences(dee, { email: 'all' });
    process.env.SMTP_URL = 'smtp://127.0.0.1:1';
    try {
      const r = await createComment(ben, annotation.id, { body: body(mention(dee)) });
      expect(r.status).toBe(201);
      await emailsSettled();
      expect(await db().emailThrottle.count()).toBe(0);
    } finally {
      process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    }
  });

  it('announces on commit with NOTIFY user_notifications, for the recipient only', async () => {
    const { ben, dee, annotation } = ctx;
    const sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    const heard: string[] = [];
    try {
      await sql.listen('user_notifications', (id) => heard.push(id));
      await createComment(ben, annotation.id, { body: body(mention(dee)) });
      await expect.poll(() => heard.slice().sort()).toEqual([ctx.ana.id, dee.id].sort());
    } finally {
      await sql.end();
    }
  });

  it('the notification stream sends the unread count when it opens and after every change, to its user only, and ends with the session', async () => {
    const { ana, ben, dee, annotation } = ctx;
    const open = async (userId: string) => {
      const controller = new AbortController();
      const req = new (await import('next/server')).NextRequest(httpRequest('GET', '/api/notifications/events', { cookie: await sessionToken(userId) }), { signal: controller.signal });
      const res = await (notificationEvents.GET as unknown as RouteHandler)(req, { params: Promise.resolve({}) });
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events: { event: string; data: unknown }[] = [];
      const reader = res.body!.getReader();
      void (async () => {
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
          if (done) return events.push({ event: 'end', data: null });
          buf += new TextDecoder().decode(value);
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            if (event) events.push({ event, data: JSON.parse(/^data: (.*)$/m.exec(block)![1]) });
          }
        }
      })();
      return { events, close: () => controller.abort() };
    };
    const counts = (s: { events: { event: string; data: unknown }[] }) => s.events.filter((e) => e.event === 'notifications').map((e) => (e.data as { unread: number }).unread);
    const deeStream = await open(dee.id);
    const anaStream = await open(ana.id);
    try {
      await expect.poll(() => counts(deeStream)).toEqual([0]);
      await expect.poll(() => counts(anaStream)).toEqual([0]);
      await createComment(ben, annotation.id, { body: body(mention(dee)) });
      await expect.poll(() => counts(deeStream)).toEqual([0, 1]);
      await expect.poll(() => counts(anaStream)).toEqual([0, 1]);
      // Marked read elsewhere (another tab): the count follows; Ana's stream hears nothing of it.
      await markRead(dee, { all: true });
      await expect.poll(() => counts(deeStream)).toEqual([0, 1, 0]);
      expect(counts(anaStream)).toEqual([0, 1]);
      // Signing out everywhere ends the stream.
      await signOutEverywhere(dee);
      await expect.poll(() => deeStream.events.map((e) => e.event).slice(-2)).toEqual(['revoked', 'end']);
    } finally {
      deeStream.close();
      anaStream.close();
    }
  });
});
