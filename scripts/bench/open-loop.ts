/**
 * An open-loop HTTP load generator: requests are scheduled at a constant rate (one every
 * 1000/rate ms, spread over the targets in turn) whatever the server does, over a fixed pool of
 * keep-alive connections per target. Latency is measured from each request's *scheduled* time to
 * the end of its response, so a request that waited for a free connection counts that wait (no
 * coordinated omission).
 *
 * Why not autocannon's `overallRate`: autocannon limits each connection to rate/connections
 * requests per second with a token bucket that refills on a 1 s interval, and every connection's
 * interval starts together. "200 req/s over 50 connections" then means a burst of 200 requests at
 * the top of every second and silence after it, so its latencies measure how long the server takes
 * to drain a burst, not the latency at a steady 200 req/s.
 */
import http from 'node:http';

export interface OpenLoopOptions {
  urls: string[];
  method: string;
  headers: Record<string, string>;
  /** Requests per second, in total over all urls. */
  rate: number;
  durationS: number;
  /** Keep-alive connections in total, split evenly over the urls. */
  connections: number;
  body?: () => string;
  timeoutMs?: number;
}

export interface OpenLoopResult {
  latencies: number[];
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** Completed requests per second over the run. */
  achieved: number;
  /** Worst lag of the scheduler itself behind the schedule (ms): a busy generator shows here. */
  maxSchedulerLagMs: number;
  /** Responses by status code other than 2xx, so a failing run says how it failed. */
  failures: Record<number, number>;
}

export async function openLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const perTarget = Math.max(1, Math.floor(o.connections / o.urls.length));
  const agents = o.urls.map(() => new http.Agent({ keepAlive: true, maxSockets: perTarget, maxFreeSockets: perTarget }));
  const targets = o.urls.map((u, i) => ({ url: new URL(u), agent: agents[i] }));
  const interval = 1000 / o.rate;
  const total = Math.round(o.rate * o.durationS);
  const latencies: number[] = [];
  let ok = 0;
  let non2xx = 0;
  const failures: Record<number, number> = {};
  let errors = 0;
  let maxLag = 0;
  const inflight = new Set<Promise<void>>();

  const send = (i: number, scheduled: number) => {
    const { url, agent } = targets[i % targets.length];
    const body = o.body?.();
    const p = new Promise<void>((resolve) => {
      const req = http.request(
        { hostname: url.hostname, port: url.port, path: url.pathname + url.search, method: o.method, agent, timeout: o.timeoutMs ?? 30_000,
          headers: { ...o.headers, ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}) } },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - scheduled);
            if (res.statusCode && res.statusCode >= 200 && res.statusCode < 300) ok++;
            else {
              non2xx++;
              failures[res.statusCode ?? 0] = (failures[res.statusCode ?? 0] ?? 0) + 1;
            }
            resolve();
          });
          res.on('error', () => {
            errors++;
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
    inflight.add(p);
    void p.then(() => inflight.delete(p));
  };

  const t0 = performance.now();
  let next = 0;
  while (next < total) {
    const now = performance.now();
    // Send everything that is due (after a timer that fired late, several at once, each with its
    // own scheduled time), then sleep until the next one.
    while (next < total && t0 + next * interval <= now) {
      const scheduled = t0 + next * interval;
      maxLag = Math.max(maxLag, now - scheduled);
      send(next, scheduled);
      next++;
    }
    const wait = t0 + next * interval - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  while (inflight.size) await Promise.all([...inflight]);
  const elapsed = (performance.now() - t0) / 1000;
  agents.forEach((a) => a.destroy());
  return { latencies, sent: total, ok, non2xx, errors, achieved: (ok + non2xx) / elapsed, maxSchedulerLagMs: maxLag, failures };
}
