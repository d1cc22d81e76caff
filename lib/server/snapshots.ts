import 'server-only';
/**
 * Per-document snapshots (docs/architecture.md, "Snapshots"): what every reader of a document's
 * current revision sees in common — its live annotations, the links among them and the visible
 * comments — built once per document state and shared by every request of this process, instead
 * of being read from PostgreSQL and decoded by Prisma on every page view.
 *
 * - **Key.** A snapshot is as new as the document's newest event id. Every change to what it
 *   holds writes an event of the document in the same transaction, and event ids are in commit
 *   order (events.ts), so "every event up to id N" is an exact state. A build reads the rows and
 *   that id in one REPEATABLE READ transaction, so the two agree.
 * - **Kept current.** A request first reads the document's newest event id (one index probe).
 *   When the snapshot is behind, the events after it are read and applied where that is simple
 *   (annotations and comments created or edited, annotations deleted, links); anything else (a
 *   deleted comment, whose tombstone depends on its replies; a revision; more than
 *   MAX_APPLIED events) rebuilds it. Updates of one document run one at a time.
 * - **Serialised once.** The JSON of each variant (with or without comments) and its gzip are
 *   made once per state, off the request thread for the gzip (zlib's thread pool), and answered as
 *   bytes.
 * - **Shared by every process.** After a build, the snapshot's full answer (gzipped) is stored
 *   in the `DocumentSnapshot` row of its document, and again whenever it is STORE_AFTER events
 *   ahead of that row. A process that has no snapshot (just started, evicted it, or behind
 *   another revision) starts from the row when it is of the current revision and not newer than
 *   the head, and applies the events after it as above; only when that fails does it build.
 * - **Bounded.** At most CACHE_BYTES of snapshots (their JSON length, times 3 for the objects),
 *   least recently used first out; when the heap is over 3/4 of its limit every snapshot but the
 *   one being read is dropped.
 *
 * Per-user parts are never in a snapshot: filters ("mine", an author, a search) and older
 * revisions are read from the database by lib/server/annotations.ts as before.
 */
import { getHeapStatistics } from 'node:v8';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { ApiAnnotation, ApiComment, ApiLink } from '@/lib/domain/api-types';
import { notFound } from '@/lib/domain/errors';
import { encodePaintPlan, highlightSpecs, paintIntervals, SPAN_LIMIT } from '@/lib/domain/highlight';
import { db, type Tx } from './db';
import { encode, negotiateEncoding } from './content-encoding';
import { bytesResponse } from './direct-body';
import { env } from './env';
import { log } from './log';
import { annotationInclude, commentInclude, toApiAnnotation, toApiLink, visibleComments } from './serialize';

const gunzipAsync = promisify(gunzip);

/** Events applied to a snapshot before a rebuild is cheaper. */
const MAX_APPLIED = 500;
/** Events a snapshot may be ahead of its stored row before it is stored again. */
const STORE_AFTER = 200;

export interface SnapshotBody {
  json: Buffer;
  gzip: Buffer;
  /** Brotli, made on the first request that takes it (~15 % smaller than the gzip for these answers). */
  br?: Promise<Buffer>;
}

interface Snapshot {
  documentId: string;
  revisionId: string;
  eventId: bigint;
  annotations: Map<string, ApiAnnotation>;
  comments: Map<string, ApiComment>;
  links: Map<string, ApiLink>;
  /** Serialised answers by variant, made on first use after each change. */
  bodies: Map<Variant, Promise<SnapshotBody>>;
  /** Bytes counted against the cache (an estimate). */
  bytes: number;
  /** The visible comments by annotation, oldest first; made on first use after each change. */
  byThread?: Map<string, ApiComment[]>;
  /** The page's paint plan (paintPlanOf); made on first use after each change. */
  paintPlan?: PaintPlan | null;
  /** The event id of this revision's stored row (DocumentSnapshot) as far as this process knows; -1n: none. */
  storedEventId: bigint;
}

export type Variant = 'annotations' | 'annotations+comments';

interface Cache {
  snapshots: Map<string, Snapshot>;
  /** Builds and updates in flight, one per document. */
  inFlight: Map<string, Promise<Snapshot>>;
  /** Bytes counted against SNAPSHOT_CACHE_MB. */
  bytes: number;
  stats: { builds: number; applied: number; hits: number; evicted: number; loaded: number; stored: number };
  /** Stores in flight (snapshotsStored). */
  storing: Set<Promise<void>>;
}
/**
 * One per process, on globalThis: Next compiles instrumentation.ts's imports (lib/server/direct.ts,
 * which serves the list) apart from the routes' copy of this module, and two module-level caches
 * would hold every document twice, each under its own bound (docs/architecture.md).
 */
const shared = ((globalThis as unknown as { __marginaliaSnapshots?: Cache }).__marginaliaSnapshots ??= {
  snapshots: new Map(), inFlight: new Map(), bytes: 0, stats: { builds: 0, applied: 0, hits: 0, evicted: 0, loaded: 0, stored: 0 }, storing: new Set(),
});
const { snapshots: cache, inFlight, storing } = shared;
export const snapshotStats = shared.stats;

/** Page notes first, then by position, then by age (the list API's order). */
function byPlace(a: ApiAnnotation, b: ApiAnnotation): number {
  if (a.scope !== b.scope) return a.scope === 'document' ? -1 : 1;
  const d = a.target.position.start - b.target.position.start;
  if (d) return d;
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const byAge = <T extends { createdAt: string; id: string }>(a: T, b: T) =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** A document's current revision and newest event id, as read by documentHead (or conditional.ts). */
export interface DocumentHead {
  revisionId: string;
  eventId: bigint;
}

/** The document's current revision and newest event id; null when it does not exist or was deleted. */
export async function documentHead(documentId: string, client: Pick<Tx, '$queryRaw'> = db()): Promise<DocumentHead | null> {
  const rows = await client.$queryRaw<{ revisionId: string | null; eventId: bigint | null }[]>`
    SELECT d."currentRevisionId" AS "revisionId",
           (SELECT e.id FROM "Event" e WHERE e."documentId" = d.id ORDER BY e.id DESC LIMIT 1) AS "eventId"
    FROM "Document" d WHERE d.id = ${documentId} AND d."deletedAt" IS NULL`;
  const r = rows[0];
  return r?.revisionId ? { revisionId: r.revisionId, eventId: r.eventId ?? 0n } : null;
}

/** Reads the snapshot's rows and the event id they are as new as, in one consistent view. */
async function build(documentId: string): Promise<Snapshot | null> {
  snapshotStats.builds++;
  return db().$transaction(async (tx) => {
    const head = await documentHead(documentId, tx);
    if (!head) return null;
    const { revisionId } = head;
    const [annotations, comments, links] = await Promise.all([
      tx.annotation.findMany({ where: { documentId, revisionId, deletedAt: null }, include: annotationInclude }),
      tx.comment.findMany({
        where: { annotation: { documentId, revisionId, deletedAt: null } },
        include: commentInclude,
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }),
      tx.annotationLink.findMany({ where: { documentId, source: { deletedAt: null }, target: { deletedAt: null } } }),
    ]);
    const live = new Set(annotations.map((a) => a.id));
    return {
      documentId, revisionId, eventId: head.eventId,
      annotations: new Map(annotations.map((a) => [a.id, toApiAnnotation(a)])),
      comments: new Map(visibleComments(comments).map((c) => [c.id, c])),
      links: new Map(links.filter((l) => live.has(l.sourceId) || live.has(l.targetId)).map((l) => [l.id, toApiLink(l)])),
      bodies: new Map(), bytes: 0, storedEventId: -1n,
    };
  }, { isolationLevel: 'RepeatableRead' });
}

/** The document's stored snapshot when it is of this head's revision and not newer than it. */
async function loadStored(documentId: string, head: DocumentHead): Promise<Snapshot | null> {
  const rows = await db().$queryRaw<{ eventId: bigint; data: Buffer }[]>`
    SELECT "eventId", data FROM "DocumentSnapshot"
    WHERE "documentId" = ${documentId} AND "revisionId" = ${head.revisionId} AND "eventId" <= ${head.eventId}`;
  const row = rows[0];
  if (!row) return null;
  const gz = Buffer.from(row.data);
  let s: Snapshot;
  try {
    const json = await gunzipAsync(gz);
    const { annotations, links, comments } = JSON.parse(json.toString('utf8')) as { annotations: ApiAnnotation[]; links: ApiLink[]; comments: ApiComment[] };
    s = {
      documentId, revisionId: head.revisionId, eventId: row.eventId,
      annotations: new Map(annotations.map((a) => [a.id, a])),
      comments: new Map(comments.map((c) => [c.id, c])),
      links: new Map(links.map((l) => [l.id, l])),
      // The stored bytes are this state's answer with comments.
      bodies: new Map([['annotations+comments', Promise.resolve({ json, gzip: gz })]]),
      bytes: 0, storedEventId: row.eventId,
    };
  } catch (e) {
    // A row that does not read back (damaged, or written by an incompatible version) is built
    // again, and removed so that build's row can take its place (a row is only ever replaced by
    // a newer one, and this one may be as new as the document).
    log('warn', 'stored snapshot unreadable; building', { documentId, err: String(e) });
    await db().$executeRaw`DELETE FROM "DocumentSnapshot" WHERE "documentId" = ${documentId} AND "eventId" = ${row.eventId}`;
    return null;
  }
  snapshotStats.loaded++;
  return s;
}

/** Stores the snapshot for other processes unless a newer one is stored; in the background, never failing a request. */
function persist(s: Snapshot) {
  s.storedEventId = s.eventId;
  const p = (async () => {
    const { gzip: data } = await snapshotBody(s, 'annotations+comments');
    await db().$executeRaw`
      INSERT INTO "DocumentSnapshot" ("documentId", "revisionId", "eventId", data, "updatedAt")
      VALUES (${s.documentId}, ${s.revisionId}, ${s.eventId}, ${data}, now())
      ON CONFLICT ("documentId") DO UPDATE
        SET "revisionId" = EXCLUDED."revisionId", "eventId" = EXCLUDED."eventId", data = EXCLUDED.data, "updatedAt" = now()
        WHERE "DocumentSnapshot"."eventId" < EXCLUDED."eventId"`;
    snapshotStats.stored++;
  })()
    .catch((e) => log('warn', 'snapshot not stored', { documentId: s.documentId, err: String(e) }))
    .finally(() => storing.delete(p));
  storing.add(p);
}

/** For tests: settles when every snapshot being stored is. */
export async function snapshotsStored(): Promise<void> {
  while (storing.size) await Promise.all([...storing]);
}

/**
 * Applies the events after `base` to a copy of it (a request still serialising `base` is not
 * disturbed); null when there are more than MAX_APPLIED or one needs a rebuild.
 */
async function caughtUp(base: Snapshot): Promise<Snapshot | null> {
  const events = await db().$queryRaw<StoredEvent[]>`
    SELECT id, type, payload FROM "Event" WHERE "documentId" = ${base.documentId} AND id > ${base.eventId}
    ORDER BY id LIMIT ${MAX_APPLIED + 1}`;
  if (events.length === 0) return base;
  const next: Snapshot = { ...base, annotations: new Map(base.annotations), comments: new Map(base.comments), links: new Map(base.links), bodies: new Map(), byThread: undefined, paintPlan: undefined };
  if (events.length > MAX_APPLIED || !apply(next, events)) return null;
  snapshotStats.applied += events.length;
  return next;
}

interface StoredEvent { id: bigint; type: string; payload: unknown }

/** Applies the events in place; false when one of them needs a rebuild instead. */
function apply(s: Snapshot, events: StoredEvent[]): boolean {
  for (const e of events) {
    switch (e.type) {
      case 'annotation.created':
      case 'annotation.updated': {
        const a = e.payload as ApiAnnotation;
        if (a.revisionId !== s.revisionId) return false;
        const prev = s.annotations.get(a.id);
        if (!prev || prev.version <= a.version) s.annotations.set(a.id, { ...a, commentCount: liveComments(s, a.id) });
        break;
      }
      case 'annotation.deleted': {
        const id = (e.payload as { id: string }).id;
        s.annotations.delete(id);
        for (const [cid, c] of s.comments) if (c.annotationId === id) s.comments.delete(cid);
        // Its links were deleted in the same transaction, each with its own event.
        for (const [lid, l] of s.links) if (l.sourceId === id || l.targetId === id) s.links.delete(lid);
        break;
      }
      case 'comment.created':
      case 'comment.updated': {
        const c = e.payload as ApiComment;
        const a = s.annotations.get(c.annotationId);
        if (!a) break; // on an annotation this snapshot does not hold (deleted meanwhile)
        const prev = s.comments.get(c.id);
        if (!prev || prev.version <= c.version) s.comments.set(c.id, c);
        s.annotations.set(a.id, { ...a, commentCount: liveComments(s, a.id) });
        break;
      }
      case 'link.created': {
        const l = e.payload as ApiLink;
        if (s.annotations.has(l.sourceId) || s.annotations.has(l.targetId)) s.links.set(l.id, l);
        break;
      }
      case 'link.deleted':
        s.links.delete((e.payload as { id: string }).id);
        break;
      case 'suggestion.dismissed':
      case 'suggestion.restored':
      case 'document.renamed':
        break; // not in a snapshot
      default:
        return false; // a deleted comment, a revision, a deletion: rebuild
    }
    s.eventId = e.id;
  }
  return true;
}

function liveComments(s: Snapshot, annotationId: string): number {
  let n = 0;
  for (const c of s.comments.values()) if (c.annotationId === annotationId && !c.deleted) n++;
  return n;
}

/**
 * Brings the document's snapshot up to `known` (the caller's fresh read of its head) or to its
 * newest event, building it when there is none. A snapshot newer than `known` (another request
 * updated it meanwhile) is as good.
 */
async function update(documentId: string, known?: DocumentHead): Promise<Snapshot> {
  const head = known ?? (await documentHead(documentId));
  if (!head) {
    drop(documentId);
    throw notFound('Document');
  }
  const have = cache.get(documentId);
  if (have && have.revisionId === head.revisionId && have.eventId >= head.eventId) {
    snapshotStats.hits++;
    touch(have);
    return have;
  }
  // Kept current from the events since: this process's snapshot, else the one any process
  // stored (of this revision), else a build.
  let next = have && have.revisionId === head.revisionId ? await caughtUp(have) : null;
  if (!next) {
    const stored = await loadStored(documentId, head);
    next = stored && (await caughtUp(stored));
  }
  if (next) {
    if (next.eventId - next.storedEventId >= STORE_AFTER) persist(next);
    store(next);
    return next;
  }
  const built = await build(documentId);
  if (!built) {
    drop(documentId);
    throw notFound('Document');
  }
  store(built);
  persist(built);
  return built;
}

/**
 * The document's current snapshot (one update at a time per document). `head`: the document's
 * head when the caller has just read it (conditional.ts), saving a query.
 */
export async function currentSnapshot(documentId: string, head?: DocumentHead): Promise<Snapshot> {
  for (;;) {
    const running = inFlight.get(documentId);
    if (!running) break;
    await running.catch(() => {});
  }
  const p = update(documentId, head);
  inFlight.set(documentId, p);
  try {
    return await p;
  } finally {
    if (inFlight.get(documentId) === p) inFlight.delete(documentId);
  }
}

export function snapshotLists(s: Snapshot): { annotations: ApiAnnotation[]; links: ApiLink[]; comments: ApiComment[] } {
  return {
    annotations: [...s.annotations.values()].sort(byPlace),
    links: [...s.links.values()].sort(byAge),
    comments: [...s.comments.values()].sort(byAge),
  };
}

export interface PaintPlan {
  /** encodePaintPlan's text (lib/domain/highlight.ts). */
  plan: string;
  /** The highlights it paints. */
  count: number;
}

/** Ranges beyond which the page carries no plan (the reader paints from the list): ~25 kB of it. */
const MAX_PLAN_RANGES = 4000;

/**
 * The highlights of the snapshot merged per tag and status, encoded for the document page's
 * inline painter (lib/client/early-paint-entry.ts); null at or under SPAN_LIMIT highlights, which
 * the reader draws as elements, and over MAX_PLAN_RANGES ranges. A few kB for 2,000 highlights
 * (162 ranges on the default article, 1,392 on a 10,000-word one), made once per state.
 */
export function paintPlanOf(s: Snapshot): PaintPlan | null {
  if (s.paintPlan === undefined) {
    const specs = highlightSpecs([...s.annotations.values()]);
    const intervals = specs.length > SPAN_LIMIT ? paintIntervals(specs) : null;
    const ranges = intervals ? [...intervals.values()].reduce((n, list) => n + list.length, 0) : 0;
    s.paintPlan = intervals && ranges <= MAX_PLAN_RANGES ? { plan: encodePaintPlan(intervals), count: specs.length } : null;
  }
  return s.paintPlan;
}

/**
 * The snapshot this process holds for the document, as it is (maybe some events behind; no
 * query, no build, not counted as a use): for what may be a little old, like the page's plan.
 */
export function heldSnapshot(documentId: string): Snapshot | null {
  return cache.get(documentId) ?? null;
}

/** The visible comments of these annotations (oldest first), and the ids the snapshot does not hold. */
export function threadComments(s: Snapshot, annotationIds: string[]): { comments: ApiComment[]; missing: string[] } {
  if (!s.byThread) {
    s.byThread = new Map();
    for (const c of [...s.comments.values()].sort(byAge)) {
      const list = s.byThread.get(c.annotationId);
      if (list) list.push(c);
      else s.byThread.set(c.annotationId, [c]);
    }
  }
  const comments: ApiComment[] = [];
  const missing: string[] = [];
  for (const id of new Set(annotationIds)) {
    if (!s.annotations.has(id)) missing.push(id);
    else comments.push(...(s.byThread.get(id) ?? []));
  }
  return { comments, missing };
}

/** The snapshot as the list API's JSON answer (`{ annotations, links[, comments] }`) and its gzip. */
export function snapshotBody(s: Snapshot, variant: Variant): Promise<SnapshotBody> {
  let body = s.bodies.get(variant);
  if (!body) {
    const { annotations, links, comments } = snapshotLists(s);
    const json = Buffer.from(JSON.stringify(variant === 'annotations' ? { annotations, links } : { annotations, links, comments }));
    body = encode('gzip', json).then((z) => ({ json, gzip: z }));
    s.bodies.set(variant, body);
    countBody(s, variant, body);
  }
  return body;
}

/** A body counts against the bound once made (its JSON three times, for the objects, plus the gzip); a failed one is forgotten. */
function countBody(s: Snapshot, variant: Variant, body: Promise<SnapshotBody>) {
  void body.then((b) => account(s, b.json.length * 3 + b.gzip.length), () => s.bodies.delete(variant));
}

function account(s: Snapshot, bytes: number) {
  if (cache.get(s.documentId) !== s) return;
  shared.bytes += bytes;
  s.bytes += bytes;
  evict(s);
}

function store(s: Snapshot) {
  drop(s.documentId);
  cache.set(s.documentId, s);
  s.bytes = 0;
  // Bodies it came with (a stored snapshot's) count as those made later do.
  for (const [variant, body] of s.bodies) countBody(s, variant, body);
}

function touch(s: Snapshot) {
  cache.delete(s.documentId);
  cache.set(s.documentId, s);
}

function drop(documentId: string) {
  const s = cache.get(documentId);
  if (!s) return;
  cache.delete(documentId);
  shared.bytes -= s.bytes;
}

/** Least recently used out until under the cap; everything but `keep` when the heap is nearly full. */
function evict(keep: Snapshot) {
  const heap = getHeapStatistics();
  const pressed = heap.used_heap_size > heap.heap_size_limit * 0.75;
  for (const id of [...cache.keys()]) {
    if (!pressed && shared.bytes <= env.snapshotCacheBytes()) break;
    if (id === keep.documentId) continue;
    drop(id);
    snapshotStats.evicted++;
  }
}

/** For tests: forget every snapshot. */
export function clearSnapshots() {
  cache.clear();
  shared.bytes = 0;
}

/** The body in brotli, made once on first demand and counted against the bound while the snapshot is cached. */
function brotliOf(s: Snapshot, body: SnapshotBody): Promise<Buffer> {
  if (!body.br) {
    const br = encode('br', body.json);
    body.br = br;
    br.then((b) => account(s, b.length), () => body.br === br && delete body.br);
  }
  return body.br;
}

/**
 * The list API's answer from a snapshot: its bytes in the coding the client prefers of brotli and
 * gzip (lib/server/content-encoding.ts) when the server in front says it passes a route's own
 * encoding on (scripts/serve.mjs), else as JSON.
 */
export async function snapshotResponse(acceptEncoding: string | null, s: Snapshot, variant: Variant): Promise<Response> {
  const body = await snapshotBody(s, variant);
  const coding = process.env.MARGINALIA_PASSES_ENCODING === '1' ? negotiateEncoding(acceptEncoding) : null;
  // Brotli failing (it should not) leaves the gzip, which every client taking br takes too.
  const br = coding === 'br' ? await brotliOf(s, body).catch(() => null) : null;
  const sent = br ? 'br' : coding && 'gzip';
  const bytes = br ?? (sent === 'gzip' ? body.gzip : body.json);
  return bytesResponse(bytes, {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(bytes.byteLength),
      // Private data: never kept by a browser or a proxy (conditional.ts adds the same).
      'cache-control': 'no-store',
      vary: 'Accept-Encoding',
      // Next drops a route's Content-Encoding; scripts/serve.mjs turns this header into it.
      ...(sent ? { 'x-marginalia-content-encoding': sent } : {}),
    },
  });
}
