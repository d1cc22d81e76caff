/**
 * The P2 readers (plain JavaScript: worker threads do not get tsx's loader) of scripts/bench/live-load.ts, in a worker thread: parsing 100 streams' events
 * on the load generator's own event loop would delay autocannon's requests and inflate P1.
 * workerData: { urls, authorization }. Messages: 'ready' once every stream answered; on
 * 'stop', it aborts the streams and posts { latencies, ids } (per subscriber, the
 * annotation ids received) and { duplicates }.
 */
import { parentPort, workerData } from 'node:worker_threads';

const { urls, authorization } = workerData;
const latencies = [];
const seen = urls.map(() => []);
let duplicates = 0;
const aborts = [];
let opened = 0;

const streams = urls.map(async (url, i) => {
  const ac = new AbortController();
  aborts.push(ac);
  const ids = new Set();
  const res = await fetch(url, { headers: { authorization }, signal: ac.signal });
  if (++opened === urls.length) parentPort.postMessage({ type: 'ready' });
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
    if (done) return;
    buf += dec.decode(value, { stream: true });
    let k;
    while ((k = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, k);
      buf = buf.slice(k + 2);
      if (!block.includes('event: annotation.created')) continue;
      const data = JSON.parse(block.slice(block.indexOf('data: ') + 6));
      latencies.push(Date.now() - Date.parse(data.createdAt));
      if (ids.has(data.id)) duplicates++;
      ids.add(data.id);
      seen[i].push(data.id);
    }
  }
});

parentPort.on('message', async (m) => {
  if (m.type === 'report') parentPort.postMessage({ type: 'report', seen: seen.map((s) => s.length) });
  if (m.type !== 'stop') return;
  aborts.forEach((a) => a.abort());
  await Promise.allSettled(streams);
  parentPort.postMessage({ type: 'done', latencies, seen, duplicates });
});
