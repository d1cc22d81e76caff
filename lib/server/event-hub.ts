import 'server-only';
import type { Credential } from './auth';
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { AppError } from '@/lib/domain/errors';
import { can } from '@/lib/domain/policy';
import type { Role } from '@/lib/domain/tags';
import { env } from './env';
import { pgClient } from './pg-client';
import { currentState, type StreamEvent } from './event-replay';
import { log } from './log';
import { ownOpenFilesLimit, streamCeiling } from './stream-limit';

/**
 * The per-process event hub: one LISTEN connection fans the database's notifications out to
 * this process's open streams (docs/architecture.md, "Live updates").
 *
 * - `doc_events` (event ids, sent on commit by events.ts): the hub reads every event after the
 *   last one it dispatched, in id order, and hands each document's events to that document's
 *   streams. Event ids are in commit order (events.ts), so "after the last id" has no gaps; when
 *   the connection comes back after an outage the same read catches up.
 * - `user_changed` (a user id, sent by triggers when the user's active, role or sessionVersion
 *   changes, when one of their sessions ends, or when one of their API tokens is revoked): that
 *   user's streams are re-checked at once.
 * - `doc_presence` (a document id whose presence changed): the document's streams get who is
 *   there, at most once a second per document however many changes there were.
 * - `user_notifications` (a user id, sent on commit when the user got a notification or marked
 *   some read): that user's notification streams are told (subscribeUser), and each reads the
 *   unread count itself. After a reconnect every notification stream is told, for what was missed.
 *
 * Before events are sent, every receiver is re-checked: the user must still exist, be active,
 * keep the session version the stream was opened with, and be allowed to read the document.
 * Receivers that fail are revoked (the stream says so and closes), and nothing is sent to them.
 *
 * Bounds, so one account cannot load the process for everyone: a user holds at most
 * STREAMS_PER_USER streams here and the process at most STREAMS_PER_PROCESS, lowered to what its
 * open-files limit leaves room for (stream-limit.ts) (admit, 429 beyond);
 * presence is one row per (document, user, process) counting that process's streams, written
 * only when the count changes and announced only when a row appears or goes; one timer sends
 * every stream's heartbeat. Whatever goes to many streams (events, presence, heartbeats) goes
 * FANOUT_SLICE streams per turn of the event loop, so other requests are served in between.
 */
export type HubEvent = StreamEvent;

export interface PresenceUser {
  id: string;
  name: string;
}

/** Who has a document open: how many people, and the first few of them by name. */
export interface PresenceSnapshot {
  count: number;
  users: PresenceUser[];
}

export interface Subscriber {
  userId: string;
  sessionVersion: number;
  /** The receiver's role as last told to them; a change is sent with onRole. */
  role: Role;
  /** The session or API token the stream was opened with: when it ends, so does the stream. */
  credential: Credential;
  onEvents(events: HubEvent[]): void;
  onPresence(presence: PresenceSnapshot): void;
  onStatus(state: 'live' | 'reconnecting'): void;
  /** Keeps proxies from closing an idle stream. */
  onPing(): void;
  /** The receiver lost access (deactivated, signed out everywhere): close the stream. */
  onRevoked(): void;
  /** The receiver may still read but their role changed (a demotion): their page adapts live. */
  onRole(role: Role): void;
  /** This process is shutting down: end the stream so the browser reconnects elsewhere. */
  onShutdown(): void;
}

/** A user's notification stream (lib/server/notification-stream.ts): not tied to a document. */
export interface UserSubscriber extends Omit<Subscriber, 'onEvents' | 'onPresence'> {
  /** The user's notifications changed (or may have, after a reconnect). */
  onNotify(): void;
}

const PROBE_MS = 2000;
const HEARTBEAT_MS = 15_000;
const PRESENCE_TTL_S = 30;
/** At most one presence broadcast per document per this interval. */
const PRESENCE_EVERY_MS = 1000;
/** Names sent with each presence broadcast; `count` says how many people there are in all. */
const PRESENCE_NAMES = 12;
/** How long the first notification waits for others before one catch-up reads them all. */
const BATCH_MS = 25;
/** Receivers served per turn of the event loop when one event or presence goes to many (fanOut). */
const FANOUT_SLICE = 100;
/** A stream slot frees when a stream closes; 15 s is a reasonable time to try again. */
const RETRY_AFTER_S = '15';

interface PresenceEntry {
  documentId: string;
  userId: string;
  name: string;
  /** This process's open streams of the user on the document. */
  streams: number;
}

const presenceKey = (documentId: string, userId: string) => `${documentId}\u0000${userId}`;

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

/**
 * Calls `fn` for every receiver, FANOUT_SLICE at a time with a turn of the event loop between.
 * Each receiver costs a socket write (25–37 µs of CPU measured, docs/benchmarks.md P7): 1,000 of
 * them in one go held the process for ~30 ms, hundreds under CPU contention, and every request of
 * every user waited behind the fan-out (creates took 1.4 s at p95 during a 2,000-reader briefing).
 */
async function fanOut<T>(receivers: T[], fn: (receiver: T) => void): Promise<void> {
  for (let i = 0; i < receivers.length; i++) {
    if (i > 0 && i % FANOUT_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    fn(receivers[i]);
  }
}

class EventHub {
  /** Names this process's presence rows. */
  readonly processId = randomUUID();
  private sql: postgres.Sql | null = null;
  private started: Promise<void> | null = null;
  private subscribers = new Map<string, Set<Subscriber>>();
  /** Notification streams by user id. */
  private userSubscribers = new Map<string, Set<UserSubscriber>>();
  private lastId: bigint | null = null;
  private chain: Promise<void> = Promise.resolve();
  private healthy = true;
  private timers: NodeJS.Timeout[] = [];
  private pending = false;

  private openByUser = new Map<string, number>();
  private openTotal = 0;

  private presenceEntries = new Map<string, PresenceEntry>();
  /** Per presence row, the write in flight; writes of one row run one after another. */
  private presenceWrites = new Map<string, Promise<void>>();
  /** Rows with a write queued that has not started yet (it will write the latest state). */
  private presenceQueued = new Set<string>();
  private broadcasts = new Map<string, { last: number; seq: number; timer?: NodeJS.Timeout }>();
  /** The last presence sent per document, for streams that join between broadcasts. */
  private snapshots = new Map<string, PresenceSnapshot>();

  private client(): postgres.Sql {
    this.sql ??= pgClient('events', { max: 4 });
    return this.sql;
  }

  private start(): Promise<void> {
    this.started ??= (async () => {
      const sql = this.client();
      const [{ max }] = await sql<{ max: string | null }[]>`SELECT max(id)::text AS max FROM "Event"`;
      this.lastId = max === null ? 0n : BigInt(max);
      // onlisten runs on the first LISTEN and again after every reconnect: catch up then.
      await sql.listen('doc_events', () => this.enqueue(), () => this.enqueue());
      await sql.listen('doc_presence', (documentId) => this.schedulePresence(documentId));
      await sql.listen('user_notifications', (userId) => this.notifyUser(userId), () => this.notifyUser(null));
      // Changes made while the connection was down were not heard: re-check everyone on reconnect.
      await sql.listen('user_changed', (userId) => void this.recheck(userId), () => void this.recheck(null));
      this.timers.push(setInterval(() => void this.tick(), PROBE_MS), setInterval(() => this.ping(), HEARTBEAT_MS));
      const ceiling = streamCeiling(env.streamsPerProcess(), ownOpenFilesLimit());
      if (ceiling < env.streamsPerProcess()) {
        log('warn', 'live streams per process lowered to fit the open-files limit; raise `ulimit -n` to hold STREAMS_PER_PROCESS', { streams: ceiling, openFiles: ownOpenFilesLimit(), streamsPerProcess: env.streamsPerProcess() });
      }
      for (const t of this.timers) t.unref();
      // Open streams would keep a stopping server alive; end them so clients reconnect elsewhere.
      const shutdown = () => this.shutdown();
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
    })().catch((e) => {
      this.started = null;
      throw e;
    });
    return this.started;
  }

  /**
   * Reserves a stream slot for the user, synchronously, before the stream opens; the returned
   * function frees it (once, however often it is called).
   */
  admit(userId: string): () => void {
    const perUser = env.streamsPerUser();
    // Never more than the process has file descriptors for (stream-limit.ts).
    const perProcess = streamCeiling(env.streamsPerProcess(), ownOpenFilesLimit());
    const mine = this.openByUser.get(userId) ?? 0;
    if (mine >= perUser) {
      throw new AppError('rate_limited', `You already have ${perUser} live streams open; close some tabs and try again`, { limit: perUser }, { 'Retry-After': RETRY_AFTER_S });
    }
    if (this.openTotal >= perProcess) {
      throw new AppError('rate_limited', 'This server has too many live streams open; try again shortly', { limit: perProcess }, { 'Retry-After': RETRY_AFTER_S });
    }
    this.openByUser.set(userId, mine + 1);
    this.openTotal++;
    return once(() => {
      const n = (this.openByUser.get(userId) ?? 1) - 1;
      if (n > 0) this.openByUser.set(userId, n);
      else this.openByUser.delete(userId);
      this.openTotal--;
    });
  }

  /**
   * Serialises catch-up reads so events go out once and in order, and coalesces notifications:
   * at most one catch-up is waiting, BATCH_MS after the first notification, so under load one
   * read and one write per stream carry many events (100 readers × 200 events/s would otherwise
   * be 20,000 socket writes a second). A notification arriving while a catch-up runs schedules
   * the next one, so nothing is missed.
   */
  private enqueue(): void {
    if (this.pending) return;
    this.pending = true;
    setTimeout(() => {
      this.chain = this.chain
        .then(() => {
          this.pending = false;
          return this.catchUp();
        })
        .catch((e) => log('warn', 'event hub catch-up failed', { err: String(e) }));
    }, BATCH_MS);
  }

  private async catchUp(): Promise<void> {
    // Nobody listening here: nothing to read. The next subscriber re-bases lastId (subscribe).
    if (this.lastId === null || this.subscribers.size === 0) return;
    for (;;) {
      const after: bigint = this.lastId;
      const rows = await this.client()<{ id: string; documentId: string; type: string; resourceId: string; payload: unknown }[]>`
        SELECT e.id::text AS id, e."documentId", e.type, e."resourceId", e.payload FROM "Event" e
        WHERE e.id > ${after.toString()}::bigint ORDER BY e.id LIMIT 500`;
      if (rows.length === 0) return;
      const byDoc = new Map<string, HubEvent[]>();
      for (const r of rows) {
        const e = { ...r, id: BigInt(r.id) };
        byDoc.set(r.documentId, [...(byDoc.get(r.documentId) ?? []), e]);
      }
      this.lastId = BigInt(rows[rows.length - 1].id);
      // A batch (many events after an outage, or a burst) is a replay too: current state only.
      for (const [documentId, events] of byDoc) await this.deliver(documentId, currentState(events));
      if (rows.length < 500) return;
    }
  }

  /** Re-checks each receiver of a document, then sends. */
  private async deliver(documentId: string, events: HubEvent[]): Promise<void> {
    const subs = [...(this.subscribers.get(documentId) ?? [])];
    if (subs.length === 0) return;
    const allowed = await this.stillAllowed(subs);
    // The chain waits for the whole fan-out, so the next batch still goes out after this one.
    await fanOut(subs, (s) => (allowed.has(s) ? s.onEvents(events) : s.onRevoked()));
  }

  /** The receivers that may still read, each with their current role. */
  private async stillAllowed<S extends Subscriber | UserSubscriber>(subs: S[]): Promise<Map<S, Role>> {
    const ids = [...new Set(subs.map((s) => s.userId))];
    const credentialIds = (kind: Credential['kind']) => [...new Set(subs.filter((s) => s.credential.kind === kind).map((s) => s.credential.id))];
    // One round trip: the users, and which of the streams' sessions and tokens are still live.
    const rows = await this.client()<{ id: string | null; role: Role | null; active: boolean | null; sessionVersion: number | null; credential: string | null }[]>`
      SELECT id, role::text AS role, active, "sessionVersion", NULL AS credential FROM "User" WHERE id = ANY(${ids})
      UNION ALL
      SELECT NULL, NULL, NULL, NULL, 'session:' || id FROM "Session" WHERE id = ANY(${credentialIds('session')}) AND "expiresAt" > now()
      UNION ALL
      SELECT NULL, NULL, NULL, NULL, 'token:' || id FROM "ApiToken" WHERE id = ANY(${credentialIds('token')}) AND "revokedAt" IS NULL`;
    const byId = new Map(rows.flatMap((u) => (u.id ? [[u.id, u] as const] : [])));
    const liveCredentials = new Set(rows.flatMap((r) => (r.credential ? [r.credential] : [])));
    const allowed = new Map<S, Role>();
    for (const s of subs) {
      const u = byId.get(s.userId);
      if (!u?.role || !u.active || u.sessionVersion !== s.sessionVersion) continue;
      if (liveCredentials.has(`${s.credential.kind}:${s.credential.id}`) && can({ id: s.userId, role: u.role }, 'document.read')) allowed.set(s, u.role);
    }
    return allowed;
  }

  /** Every stream, the document ones and the notification ones. */
  private allStreams(): (Subscriber | UserSubscriber)[] {
    return [...this.subscribers.values(), ...this.userSubscribers.values()].flatMap((set) => [...set]);
  }

  /** Tells one user's notification streams (or everyone's, null) that their notifications changed. */
  private notifyUser(userId: string | null): void {
    const sets = userId === null ? [...this.userSubscribers.values()] : [this.userSubscribers.get(userId) ?? new Set<UserSubscriber>()];
    for (const set of sets) for (const s of set) s.onNotify();
  }

  /** Adds a user's notification stream; the returned function removes it (once). */
  async subscribeUser(sub: UserSubscriber): Promise<() => void> {
    await this.start();
    let set = this.userSubscribers.get(sub.userId);
    if (!set) this.userSubscribers.set(sub.userId, (set = new Set()));
    const mine = set;
    mine.add(sub);
    return once(() => {
      mine.delete(sub);
      if (mine.size === 0 && this.userSubscribers.get(sub.userId) === mine) this.userSubscribers.delete(sub.userId);
    });
  }

  /** Revokes the streams (of one user, or all) whose receiver may no longer read. */
  private async recheck(userId: string | null): Promise<void> {
    const subs = this.allStreams().filter((s) => userId === null || s.userId === userId);
    if (subs.length === 0) return;
    try {
      const allowed = await this.stillAllowed(subs);
      for (const s of subs) {
        const role = allowed.get(s);
        if (!role) s.onRevoked();
        else if (role !== s.role) {
          s.role = role;
          s.onRole(role);
        }
      }
    } catch (e) {
      log('warn', 'event hub re-check failed', { err: String(e) });
    }
  }

  private ping(): void {
    void fanOut(this.allStreams(), (s) => s.onPing());
  }

  private async tick(): Promise<void> {
    const sql = this.client();
    let ok = true;
    try {
      await sql`SELECT 1`;
      const refreshed = await sql<{ documentId: string; userId: string }[]>`
        UPDATE "Presence" SET "lastSeen" = now() WHERE "processId" = ${this.processId} RETURNING "documentId", "userId"`;
      // A row another process expired (this one stalled past the TTL) is written again.
      const present = new Set(refreshed.map((r) => presenceKey(r.documentId, r.userId)));
      for (const [key, e] of this.presenceEntries) {
        if (!present.has(key) && !this.presenceWrites.has(key)) this.writePresence(e.documentId, e.userId);
      }
      // Rows of processes that died without saying goodbye expire.
      const gone = await sql<{ documentId: string }[]>`
        DELETE FROM "Presence" WHERE "lastSeen" < now() - make_interval(secs => ${PRESENCE_TTL_S}) RETURNING "documentId"`;
      for (const d of new Set(gone.map((g) => g.documentId))) await sql`SELECT pg_notify('doc_presence', ${d})`;
    } catch {
      ok = false;
    }
    if (ok !== this.healthy) {
      this.healthy = ok;
      for (const s of this.allStreams()) s.onStatus(ok ? 'live' : 'reconnecting');
      if (ok) {
        await this.reconcilePresence().catch(() => {});
        this.enqueue();
        // Presence changes announced during the outage were not heard.
        for (const documentId of this.subscribers.keys()) this.schedulePresence(documentId);
      }
    }
  }

  private shutdown(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const s of this.allStreams()) s.onShutdown();
  }

  /** Adds a stream to its document's receivers; the returned function removes it (once). */
  async subscribe(documentId: string, sub: Subscriber): Promise<() => void> {
    await this.start();
    if (this.subscribers.size === 0) {
      // Events that went by while nobody listened are the new stream's replay, not ours to send:
      // start from "now". Checked again inside the chain, after any subscriber queued before us
      // was added, so a re-base never jumps past events an existing subscriber still needs.
      this.chain = this.chain.then(async () => {
        if (this.subscribers.size > 0) return;
        const [{ max }] = await this.client()<{ max: string | null }[]>`SELECT max(id)::text AS max FROM "Event"`;
        this.lastId = max === null ? 0n : BigInt(max);
      });
      await this.chain.catch(() => {});
    }
    let set = this.subscribers.get(documentId);
    if (!set) this.subscribers.set(documentId, (set = new Set()));
    const mine = set;
    mine.add(sub);
    return once(() => {
      mine.delete(sub);
      if (mine.size > 0 || this.subscribers.get(documentId) !== mine) return;
      this.subscribers.delete(documentId);
      clearTimeout(this.broadcasts.get(documentId)?.timer);
      this.broadcasts.delete(documentId);
      this.snapshots.delete(documentId);
    });
  }

  /** The last event id this process has dispatched (replay boundary for new streams). */
  async lastDispatchedId(): Promise<bigint> {
    await this.start();
    await this.chain;
    return this.lastId ?? 0n;
  }

  /**
   * Counts a live stream of the user on the document; the returned function uncounts it (once).
   * Synchronous, so a stream that is closing cannot slip in after its own goodbye: the row follows
   * the count through writes queued per row. The stream hears who is there now.
   */
  join(documentId: string, user: PresenceUser, sub: Subscriber): () => void {
    const key = presenceKey(documentId, user.id);
    const entry = this.presenceEntries.get(key) ?? { documentId, userId: user.id, name: user.name, streams: 0 };
    entry.streams++;
    this.presenceEntries.set(key, entry);
    this.writePresence(documentId, user.id);
    const known = this.snapshots.get(documentId);
    if (known) sub.onPresence(known);
    // Nothing sent on this document yet: read it once this stream's row is written, so the
    // reader is in it.
    else void this.presenceWrites.get(key)?.then(() => this.schedulePresence(documentId));
    return once(() => {
      entry.streams--;
      if (entry.streams === 0 && this.presenceEntries.get(key) === entry) this.presenceEntries.delete(key);
      this.writePresence(documentId, user.id);
    });
  }

  /** Queues a write that makes the row match this process's count (upsert, or delete at 0). */
  private writePresence(documentId: string, userId: string): void {
    const key = presenceKey(documentId, userId);
    if (this.presenceQueued.has(key)) return;
    this.presenceQueued.add(key);
    const next: Promise<void> = (this.presenceWrites.get(key) ?? Promise.resolve())
      .then(() => {
        this.presenceQueued.delete(key);
        return this.syncPresenceRow(documentId, userId);
      })
      .catch((e) => log('warn', 'presence write failed', { err: String(e) }))
      .finally(() => {
        if (this.presenceWrites.get(key) === next) this.presenceWrites.delete(key);
      });
    this.presenceWrites.set(key, next);
  }

  /** Announces the document only when its row appears or goes (not when the count changes). */
  private async syncPresenceRow(documentId: string, userId: string): Promise<void> {
    const sql = this.client();
    const e = this.presenceEntries.get(presenceKey(documentId, userId));
    if (e) {
      await sql`
        WITH up AS (
          INSERT INTO "Presence" ("documentId", "userId", "processId", name, streams, "lastSeen")
          VALUES (${documentId}, ${userId}, ${this.processId}, ${e.name}, ${e.streams}, now())
          ON CONFLICT ("documentId", "userId", "processId") DO UPDATE SET streams = EXCLUDED.streams, "lastSeen" = now()
          RETURNING (xmax = 0) AS inserted)
        SELECT pg_notify('doc_presence', ${documentId}) FROM up WHERE inserted`;
    } else {
      await sql`
        WITH gone AS (
          DELETE FROM "Presence" WHERE "documentId" = ${documentId} AND "userId" = ${userId} AND "processId" = ${this.processId} RETURNING 1)
        SELECT pg_notify('doc_presence', ${documentId}) FROM gone`;
    }
  }

  /** After an outage: rows may have expired, and goodbyes may have failed. Make them match again. */
  private async reconcilePresence(): Promise<void> {
    const rows = await this.client()<{ documentId: string; userId: string }[]>`
      SELECT "documentId", "userId" FROM "Presence" WHERE "processId" = ${this.processId}`;
    for (const r of rows) if (!this.presenceEntries.has(presenceKey(r.documentId, r.userId))) this.writePresence(r.documentId, r.userId);
    for (const e of this.presenceEntries.values()) this.writePresence(e.documentId, e.userId);
  }

  /** Coalesces presence broadcasts: the first goes at once, then at most one per PRESENCE_EVERY_MS. */
  private schedulePresence(documentId: string): void {
    if (!this.subscribers.has(documentId)) return;
    let b = this.broadcasts.get(documentId);
    if (!b) this.broadcasts.set(documentId, (b = { last: 0, seq: 0 }));
    if (b.timer) return;
    const state = b;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      state.last = Date.now();
      void this.broadcastPresence(documentId, state, ++state.seq);
    }, Math.max(0, state.last + PRESENCE_EVERY_MS - Date.now()));
  }

  private async broadcastPresence(documentId: string, state: { seq: number }, seq: number): Promise<void> {
    try {
      const snapshot = await this.presence(documentId);
      // A later broadcast overtook this one, or everybody left: nothing to say.
      if (state.seq !== seq || this.broadcasts.get(documentId) !== state) return;
      this.snapshots.set(documentId, snapshot);
      await fanOut([...(this.subscribers.get(documentId) ?? [])], (s) => s.onPresence(snapshot));
    } catch (e) {
      log('warn', 'presence read failed', { err: String(e) });
    }
  }

  /** Who has the document open, across every process: one entry per user. */
  async presence(documentId: string): Promise<PresenceSnapshot> {
    const rows = await this.client()<(PresenceUser & { total: number })[]>`
      SELECT "userId" AS id, min(name) AS name, (count(*) OVER ())::int AS total FROM "Presence"
      WHERE "documentId" = ${documentId} AND "lastSeen" > now() - make_interval(secs => ${PRESENCE_TTL_S})
      GROUP BY "userId" ORDER BY min(name), "userId" LIMIT ${PRESENCE_NAMES}`;
    return { count: rows[0]?.total ?? 0, users: rows.map((r) => ({ id: r.id, name: r.name })) };
  }

  /** What this process holds: for tests and diagnostics. */
  stats(): { streams: number; subscribers: number; presenceEntries: number } {
    let subscribers = 0;
    for (const set of this.subscribers.values()) subscribers += set.size;
    return { streams: this.openTotal, subscribers, presenceEntries: this.presenceEntries.size };
  }

  /** Resolves when every queued presence write has reached the database. */
  async presenceSettled(): Promise<void> {
    while (this.presenceWrites.size > 0) await Promise.all([...this.presenceWrites.values()]);
  }
}

const holder = globalThis as unknown as { __marginaliaHub?: EventHub };
export function eventHub(): EventHub {
  holder.__marginaliaHub ??= new EventHub();
  return holder.__marginaliaHub;
}
