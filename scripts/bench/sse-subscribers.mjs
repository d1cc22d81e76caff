/**
 * SSE readers of a document for the benchmarks (scripts/bench/live-load.ts, briefing.ts), in a
 * worker thread: parsing many streams' events on the load generator's own event loop would delay
 * its requests. Plain JavaScript (worker threads do not get tsx's loader) and plain `node:http`
 * with string chunks rather than fetch's web streams, so the readers cost the shared cores as
 * little as they can.
 *
 * workerData: { urls, authorization | authorizations (one per url), spreadMs?, milestones? }.
 * Stream i opens at i × spreadMs / urls.length ms (all at once without spreadMs).
 * Messages posted: 'ready' once every stream answered (with `failed`: status codes other than
 * 200); 'live' { live } when the number of streams that said `status: live` reaches one of
 * `milestones`. On 'report' it posts { seen (annotations per stream), live, presence }; on
 * 'reset' it forgets the latencies and presence frames so far; on 'stop' it closes the streams
 * and posts 'done' { latencies, seen (per stream, the annotation ids received), duplicates,
 * presence, spread (per event, the latency of its first and of its last receipt) }. `presence`: frames received in all, the most any stream received, the mean and
 * highest broadcasts per second per stream (see presence()), and the count the last frame of
 * each stream said, lowest and highest.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { urls, authorization, authorizations, spreadMs = 0, milestones = [] } = workerData;
/**
 * Kept small for the garbage collector: 2,000 readers of 600 events are 1.2 million receipts, and
 * a worker holding a parsed object, a string and a Set entry for each spends its time (and pauses)
 * collecting them, which the latencies it measures would include. Each event is parsed once (by
 * its SSE id) and numbered; a reader keeps the numbers it received and a byte per number;
 * latencies go in an Int32Array.
 */
const events = new Map(); // SSE id -> { index, createdAt (ms), first and last receipt's latency }
const annotationIds = []; // index -> annotation id
let latencies = new Int32Array(1 << 16);
let receipts = 0;
const seen = urls.map(() => []); // per stream, the indexes received
const got = urls.map(() => new Uint8Array(64)); // per stream, 1 at each index received
let duplicates = 0;
const requests = [];
let answered = 0;
const failed = [];
let live = 0;
// Per stream: presence frames, when it went live (ms), the count its last presence frame said.
const presenceFrames = urls.map(() => 0);
const liveAt = urls.map(() => null);
const presenceCount = urls.map(() => 0);
let presenceSince = Date.now();

/** A typed array twice as long with the same start. */
function grow(a) {
  const b = new a.constructor(a.length * 2);
  b.set(a);
  return b;
}

const answer = () => {
  if (++answered === urls.length) parentPort.postMessage({ type: 'ready', failed });
};

const open = (url, i) => new Promise((resolve) => {
  let buf = '';
  const headers = { authorization: authorizations?.[i] ?? authorization, accept: 'text/event-stream' };
  const req = http.get(url, { headers }, (res) => {
    if (res.statusCode !== 200) failed.push(res.statusCode);
    answer();
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      buf += chunk;
      let k;
      while ((k = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, k);
        buf = buf.slice(k + 2);
        if (block.startsWith('event: presence')) {
          presenceFrames[i]++;
          presenceCount[i] = JSON.parse(block.slice(block.indexOf('data: ') + 6)).count;
          continue;
        }
        if (liveAt[i] === null && block.startsWith('event: status') && block.includes('"live"')) {
          liveAt[i] = Date.now();
          if (milestones.includes(++live)) parentPort.postMessage({ type: 'live', live });
          continue;
        }
        if (!block.startsWith('id: ') || !block.includes('\nevent: annotation.created\n')) continue;
        const sseId = block.slice(4, block.indexOf('\n'));
        let e = events.get(sseId);
        if (!e) {
          const data = JSON.parse(block.slice(block.indexOf('data: ') + 6));
          e = { index: annotationIds.push(data.id) - 1, createdAt: Date.parse(data.createdAt) };
          events.set(sseId, e);
        }
        if (receipts === latencies.length) latencies = grow(latencies);
        const latency = Date.now() - e.createdAt;
        latencies[receipts++] = latency;
        e.first ??= latency;
        e.last = latency;
        while (got[i].length <= e.index) got[i] = grow(got[i]);
        if (got[i][e.index]) duplicates++;
        got[i][e.index] = 1;
        seen[i].push(e.index);
      }
    });
    res.on('end', resolve);
    res.on('close', resolve);
  });
  req.on('error', () => {
    failed.push('error');
    answer();
    resolve();
  });
  requests.push(req);
});

const streams = urls.map((url, i) => new Promise((resolve) => setTimeout(() => open(url, i).then(resolve), (i * spreadMs) / urls.length)));

/**
 * A stream's first presence frame is who was there when it joined (sent to it alone); the rest are
 * the document's broadcasts. Rates are broadcasts per second over the time each stream was live
 * (since the last reset), the highest among streams live for at least 5 s.
 */
function presence() {
  const now = Date.now();
  const rates = presenceFrames.flatMap((n, i) => {
    if (liveAt[i] === null) return [];
    const seconds = (now - Math.max(liveAt[i], presenceSince)) / 1000;
    const broadcasts = liveAt[i] >= presenceSince ? Math.max(0, n - 1) : n;
    return seconds >= 5 ? [broadcasts / seconds] : [];
  });
  return {
    frames: presenceFrames.reduce((a, b) => a + b, 0),
    maxFrames: Math.max(...presenceFrames),
    meanPerSecond: rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length),
    maxPerSecond: Math.max(0, ...rates),
    lowestCount: Math.min(...presenceCount),
    highestCount: Math.max(...presenceCount),
  };
}

parentPort.on('message', async (m) => {
  // After the warm-up: forget its latencies (ids stay, for the gap check).
  if (m.type === 'reset') {
    receipts = 0;
    presenceFrames.fill(0);
    presenceSince = Date.now();
  }
  if (m.type === 'report') parentPort.postMessage({ type: 'report', seen: seen.map((s) => s.length), live, presence: presence() });
  if (m.type !== 'stop') return;
  const last = presence();
  requests.forEach((r) => r.destroy());
  await Promise.allSettled(streams);
  parentPort.postMessage({
    type: 'done', latencies: Array.from(latencies.subarray(0, receipts)), seen: seen.map((indexes) => indexes.map((k) => annotationIds[k])), duplicates, presence: last,
    spread: [...events.values()].map((e) => [e.first, e.last]),
  });
});
