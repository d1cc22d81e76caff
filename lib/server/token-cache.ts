import 'server-only';
import type postgres from 'postgres';
import type { SessionUser } from './sessions';
import { pgClient } from './pg-client';
import { log } from './log';

/**
 * The bearer-token check without a round trip (docs/benchmarks.md, "P1b"): each process keeps
 * the tokens it has seen, with their user, for as long as the database can tell it of a change.
 *
 * - A change is announced by `NOTIFY user_changed` (a user id), sent by triggers whenever a user's
 *   active, role or sessionVersion changes, a session ends or an API token is revoked (see the
 *   `presence_per_user` and `credential_changed` migrations), whoever writes it. This cache
 *   LISTENs on a connection of its own and drops that user's tokens when it hears one.
 * - Entries are used only while that connection is listening: before it is, after it drops and
 *   until it is back, every request asks the database (and the cache is emptied on reconnect,
 *   since announcements may have been missed meanwhile).
 * - A lookup that started before an announcement arrived is not stored (a generation counter),
 *   so a read racing a revocation cannot put the revoked token back.
 * - Writes made by this process (revoking a token, deactivating or signing out a user) also drop
 *   the entries at once, without waiting for their own announcement; another process's
 *   revocation takes effect here when its NOTIFY arrives (on commit, a millisecond or so later).
 * - Entries expire after TTL_MS whatever happens (a user's name is not announced; the app never
 *   changes it, but a hand edit in the database shows within a minute).
 *
 * The per-token rate limit (RateLimit table, shared by every process) is still counted: a cached
 * request counts locally and the counts are added to the table every FLUSH_MS in one statement.
 * Near the limit (NEAR of it) every request goes to the database again and is counted there
 * exactly, so the limit holds to within what other processes counted in their last FLUSH_MS.
 */
export interface TokenUser extends SessionUser {
  tokenId: string;
  lastUsedAt: Date | null;
}

interface Entry {
  user: TokenUser;
  fetchedAt: number;
  /** Start (ms) of the rate-limit window `base` and `pending` count in. */
  window: number;
  /** The window's count in the database as last read or written. */
  base: number;
  /** Requests counted here and not yet added to the database. */
  pending: number;
  /** Requests counted here that a flush is adding to the database right now. */
  flushing: number;
}

const TTL_MS = 60_000;
const FLUSH_MS = 1000;
const NEAR = 0.8;
const RETRY_LISTEN_MS = 5000;
const WINDOW_MS = 60_000;

export const windowOf = (now = Date.now()) => Math.floor(now / WINDOW_MS) * WINDOW_MS;

type Flush = (window: Date, counts: { tokenId: string; n: number }[]) => Promise<Map<string, number>>;

export class TokenCache {
  private entries = new Map<string, Entry>();
  private generation = 0;
  private listening = false;
  private sql: postgres.Sql | null = null;
  private starting: Promise<void> | null = null;
  private lastAttempt = 0;
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing = false;
  /** Counters for tests and benchmarks. */
  readonly stats = { hits: 0, misses: 0 };

  constructor(private readonly flush: Flush) {}

  /** Opens the LISTEN connection (once; again after a failure, at most every RETRY_LISTEN_MS). */
  private start(): void {
    if (this.starting || Date.now() - this.lastAttempt < RETRY_LISTEN_MS) return;
    this.lastAttempt = Date.now();
    this.starting = (async () => {
      this.sql ??= pgClient('tokens', {
        max: 1,
        // Not listening any more: nothing cached may be trusted until the LISTEN is back.
        onclose: () => this.reset(false),
      });
      // onlisten runs on the first LISTEN and after every reconnect: what was cached before may
      // have been changed unheard, so start empty.
      await this.sql.listen('user_changed', (userId) => this.forgetUser(userId), () => this.reset(true));
    })().catch((e: unknown) => {
      this.starting = null;
      log('warn', 'token cache not listening; tokens are checked in the database', { err: e instanceof Error ? e.message : String(e) });
    });
  }

  private reset(listening: boolean): void {
    this.listening = listening;
    this.generation++;
    this.entries.clear();
  }

  /** Drops every cached token of the user (an announcement, or a change made by this process). */
  forgetUser(userId: string): void {
    this.generation++;
    for (const [digest, e] of this.entries) if (e.user.id === userId) this.entries.delete(digest);
  }

  forgetToken(tokenId: string): void {
    this.generation++;
    for (const [digest, e] of this.entries) if (e.user.tokenId === tokenId) this.entries.delete(digest);
  }

  /** Taken before a database lookup; `store` refuses the result if anything was forgotten since. */
  mark(): number {
    this.start();
    return this.generation;
  }

  /**
   * The cached user of a token with this request counted (`requests`: the window's count so far),
   * or null: not cached, not trusted now, or near the rate limit. `pending` is what this process
   * counted and has not written yet; the database lookup adds it with the request.
   */
  use(digest: string, limit: number, now = Date.now()): { user: TokenUser; requests: number } | { pending: number } {
    const e = this.entries.get(digest);
    if (!e) return this.miss(0);
    if (!this.listening || now - e.fetchedAt > TTL_MS) {
      this.entries.delete(digest);
      return this.miss(e.window === windowOf(now) ? e.pending : 0);
    }
    const w = windowOf(now);
    if (e.window !== w) Object.assign(e, { window: w, base: 0, pending: 0, flushing: 0 });
    if (e.base + e.flushing + e.pending + 1 > limit * NEAR) {
      const pending = e.pending;
      e.pending = 0;
      return this.miss(pending);
    }
    e.pending++;
    this.stats.hits++;
    this.scheduleFlush();
    return { user: e.user, requests: e.base + e.flushing + e.pending };
  }

  private miss(pending: number) {
    this.stats.misses++;
    return { pending };
  }

  /** Remembers a token read from the database (its window's count included), if still valid. */
  store(digest: string, user: TokenUser, requests: number, generation: number, now = Date.now()): void {
    if (!this.listening || generation !== this.generation || !user.active) return;
    this.entries.set(digest, { user, fetchedAt: now, window: windowOf(now), base: requests, pending: 0, flushing: 0 });
  }

  touch(digest: string, at: Date): void {
    const e = this.entries.get(digest);
    if (e) e.user = { ...e.user, lastUsedAt: at };
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flushNow();
    }, FLUSH_MS);
    this.flushTimer.unref();
  }

  /** Adds the counts made here to the database (counts of a window that has ended are dropped). */
  async flushNow(): Promise<void> {
    if (this.flushing) return this.scheduleFlush();
    const w = windowOf();
    const taken = [...this.entries.values()].filter((e) => e.pending > 0 && e.window === w).map((e) => ({ e, n: e.pending }));
    if (!taken.length) return;
    this.flushing = true;
    for (const t of taken) {
      t.e.pending -= t.n;
      t.e.flushing += t.n;
    }
    const settle = (t: { e: Entry; n: number }) => {
      if (t.e.window !== w) return false; // reset meanwhile
      t.e.flushing -= t.n;
      return true;
    };
    try {
      const counts = await this.flush(new Date(w), taken.map((t) => ({ tokenId: t.e.user.tokenId, n: t.n })));
      for (const t of taken) {
        const c = counts.get(t.e.user.tokenId);
        if (settle(t) && c !== undefined) t.e.base = Math.max(t.e.base + t.n, c);
      }
    } catch (err) {
      for (const t of taken) if (settle(t)) t.e.pending += t.n; // tried again on the next flush
      log('warn', 'token rate-limit counts not written yet', { err: err instanceof Error ? err.message : String(err) });
    } finally {
      this.flushing = false;
    }
    if (taken.some((t) => t.e.pending > 0)) this.scheduleFlush();
  }
}
