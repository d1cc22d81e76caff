import 'server-only';
import postgres from 'postgres';
import { can } from '@/lib/domain/policy';
import type { Role } from '@/lib/domain/tags';
import { env } from './env';
import { log } from './log';

/**
 * The per-process event hub (DESIGN.md decision 3).
 *
 * One dedicated postgres.js connection LISTENs on `doc_events` (event ids, sent on commit by
 * events.ts) and `doc_presence` (document ids whose presence changed). On each notification the
 * hub reads every event after the last one it dispatched, in id order, and hands them to the
 * subscribers of their document. Event ids are in commit order (events.ts), so "after the last
 * id" has no gaps; when the connection comes back after an outage the same read catches up.
 *
 * Before sending, every receiver is re-checked: the user must still exist, be active, keep the
 * session version the stream was opened with, and be allowed to read the document. Receivers
 * that fail are closed, and nothing is sent to them.
 *
 * A probe every few seconds tells subscribers whether the database is reachable, so streams can
 * say "reconnecting" while it is not.
 */
export interface HubEvent {
  id: bigint;
  documentId: string;
  type: string;
  payload: unknown;
}

export interface Subscriber {
  userId: string;
  sessionVersion: number;
  onEvents(events: HubEvent[]): void;
  onPresence(users: PresenceUser[]): void;
  onStatus(state: 'live' | 'reconnecting'): void;
  /** The receiver lost access (deactivated, signed out everywhere): close the stream. */
  onRevoked(): void;
  /** This process is shutting down: end the stream so the browser reconnects elsewhere. */
  onShutdown(): void;
}

export interface PresenceUser {
  id: string;
  name: string;
}

const PROBE_MS = 2000;
const PRESENCE_TTL_S = 30;
/** How long the first notification waits for others before one catch-up reads them all. */
const BATCH_MS = 25;

class EventHub {
  private sql: postgres.Sql | null = null;
  private started: Promise<void> | null = null;
  private subscribers = new Map<string, Set<Subscriber>>();
  private lastId: bigint | null = null;
  private chain: Promise<void> = Promise.resolve();
  private healthy = true;
  private probe: NodeJS.Timeout | null = null;
  private presenceConnections = new Map<string, { documentId: string; userId: string; name: string }>();

  private pending = false;

  private client(): postgres.Sql {
    this.sql ??= postgres(env.databaseUrl(), {
      max: 4,
      idle_timeout: 0,
      connect_timeout: 3,
      onnotice: () => {},
      connection: { application_name: 'marginalia-events' },
    });
    return this.sql;
  }

  private start(): Promise<void> {
    this.started ??= (async () => {
      const sql = this.client();
      const [{ max }] = await sql<{ max: string | null }[]>`SELECT max(id)::text AS max FROM "Event"`;
      this.lastId = max === null ? 0n : BigInt(max);
      // onlisten runs on the first LISTEN and again after every reconnect: catch up then.
      await sql.listen('doc_events', () => this.enqueue(), () => this.enqueue());
      await sql.listen('doc_presence', (documentId) => void this.sendPresence(documentId));
      this.probe = setInterval(() => void this.tick(), PROBE_MS);
      this.probe.unref();
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
      const rows: { id: string; documentId: string; type: string; payload: unknown }[] = await this.client()<{ id: string; documentId: string; type: string; payload: unknown }[]>`
        SELECT e.id::text AS id, e."documentId", e.type, e.payload FROM "Event" e WHERE e.id > ${after.toString()}::bigint ORDER BY e.id LIMIT 500`;
      if (rows.length === 0) return;
      const byDoc = new Map<string, HubEvent[]>();
      for (const r of rows) {
        const e = { id: BigInt(r.id), documentId: r.documentId, type: r.type, payload: r.payload };
        byDoc.set(r.documentId, [...(byDoc.get(r.documentId) ?? []), e]);
      }
      this.lastId = BigInt(rows[rows.length - 1].id);
      for (const [documentId, events] of byDoc) await this.deliver(documentId, events);
      if (rows.length < 500) return;
    }
  }

  /** Re-checks each receiver of a document, then sends. */
  private async deliver(documentId: string, events: HubEvent[]): Promise<void> {
    const subs = [...(this.subscribers.get(documentId) ?? [])];
    if (subs.length === 0) return;
    const allowed = await this.stillAllowed(subs);
    for (const s of subs) {
      if (allowed.has(s)) s.onEvents(events);
      else s.onRevoked();
    }
  }

  private async stillAllowed(subs: Subscriber[]): Promise<Set<Subscriber>> {
    const ids = [...new Set(subs.map((s) => s.userId))];
    const users = await this.client()<{ id: string; role: Role; active: boolean; sessionVersion: number }[]>`
      SELECT id, role, active, "sessionVersion" FROM "User" WHERE id = ANY(${ids})`;
    const byId = new Map(users.map((u) => [u.id, u]));
    return new Set(
      subs.filter((s) => {
        const u = byId.get(s.userId);
        return !!u && u.active && u.sessionVersion === s.sessionVersion && can({ id: u.id, role: u.role }, 'document.read');
      }),
    );
  }

  private async tick(): Promise<void> {
    const sql = this.client();
    let ok = true;
    try {
      await sql`SELECT 1`;
      if (this.presenceConnections.size) {
        await sql`UPDATE "Presence" SET "lastSeen" = now() WHERE "connectionId" = ANY(${[...this.presenceConnections.keys()]})`;
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
      for (const set of this.subscribers.values()) for (const s of set) s.onStatus(ok ? 'live' : 'reconnecting');
      if (ok) {
        await this.restorePresence().catch(() => {});
        this.enqueue();
      }
    }
  }

  private shutdown(): void {
    if (this.probe) clearInterval(this.probe);
    for (const set of this.subscribers.values()) for (const s of [...set]) s.onShutdown();
  }

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
    set.add(sub);
    return () => {
      set.delete(sub);
      if (set.size === 0) this.subscribers.delete(documentId);
    };
  }

  /** The last event id this process has dispatched (replay boundary for new streams). */
  async lastDispatchedId(): Promise<bigint> {
    await this.start();
    await this.chain;
    return this.lastId ?? 0n;
  }

  async join(connectionId: string, documentId: string, user: PresenceUser): Promise<void> {
    this.presenceConnections.set(connectionId, { documentId, userId: user.id, name: user.name });
    const sql = this.client();
    await sql`INSERT INTO "Presence" ("connectionId", "documentId", "userId", name, "lastSeen")
              VALUES (${connectionId}, ${documentId}, ${user.id}, ${user.name}, now())
              ON CONFLICT ("connectionId") DO UPDATE SET "lastSeen" = now()`;
    await sql`SELECT pg_notify('doc_presence', ${documentId})`;
  }

  async leave(connectionId: string): Promise<void> {
    const c = this.presenceConnections.get(connectionId);
    this.presenceConnections.delete(connectionId);
    if (!c) return;
    const sql = this.client();
    await sql`DELETE FROM "Presence" WHERE "connectionId" = ${connectionId}`;
    await sql`SELECT pg_notify('doc_presence', ${c.documentId})`;
  }

  /** After an outage the rows may have expired: write this process's connections again. */
  private async restorePresence(): Promise<void> {
    for (const [connectionId, c] of this.presenceConnections) {
      await this.join(connectionId, c.documentId, { id: c.userId, name: c.name });
    }
  }

  async presence(documentId: string): Promise<PresenceUser[]> {
    const rows = await this.client()<PresenceUser[]>`
      SELECT DISTINCT ON ("userId") "userId" AS id, name FROM "Presence"
      WHERE "documentId" = ${documentId} AND "lastSeen" > now() - make_interval(secs => ${PRESENCE_TTL_S})
      ORDER BY "userId", "lastSeen" DESC`;
    return rows.sort((a, b) => a.name.localeCompare(b.name));
  }

  private async sendPresence(documentId: string): Promise<void> {
    const subs = this.subscribers.get(documentId);
    if (!subs?.size) return;
    try {
      const users = await this.presence(documentId);
      for (const s of subs) s.onPresence(users);
    } catch (e) {
      log('warn', 'presence read failed', { err: String(e) });
    }
  }
}

const holder = globalThis as unknown as { __marginaliaHub?: EventHub };
export function eventHub(): EventHub {
  holder.__marginaliaHub ??= new EventHub();
  return holder.__marginaliaHub;
}
