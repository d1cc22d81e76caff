/**
 * The P2 readers (plain JavaScript: worker threads do not get tsx's loader) of scripts/bench/live-load.ts, in a worker thread: parsing 100 streams' events
 * on the load generator's own event loop would delay its requests and inflate P1. Plain
 * `node:http` with string chunks rather than fetch's web streams, so the readers cost the shared
 * cores as little as they can.
 * workerData: { urls, authorization }. Messages: 'ready' once every stream answered; on
 * 'reset', it forgets the latencies so far; on 'stop', it closes the streams and posts { latencies, seen } (per subscriber, the
 * annotation ids received) and { duplicates }.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { urls, authorization } = workerData;
const latencies = [];
const seen = urls.map(() => []);
let duplicates = 0;
const requests = [];
let opened = 0;

const streams = urls.map((url, i) => new Promise((resolve) => {
  const ids = new Set();
  let buf = '';
  const req = http.get(url, { headers: { authorization, accept: 'text/event-stream' } }, (res) => {
    if (++opened === urls.length) parentPort.postMessage({ type: 'ready' });
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      buf += chunk;
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
    });
    res.on('end', resolve);
    res.on('close', resolve);
  });
  req.on('error', resolve);
  requests.push(req);
}));

parentPort.on('message', async (m) => {
  // After the warm-up: forget its latencies (ids stay, for the gap check).
  if (m.type === 'reset') latencies.length = 0;
  if (m.type === 'report') parentPort.postMessage({ type: 'report', seen: seen.map((s) => s.length) });
  if (m.type !== 'stop') return;
  requests.forEach((r) => r.destroy());
  await Promise.allSettled(streams);
  parentPort.postMessage({ type: 'done', latencies, seen, duplicates });
});
