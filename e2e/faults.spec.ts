/**
 * Database outage under load. A server process runs against its own embedded PostgreSQL, which
 * this test stops and starts again while a client keeps creating annotations and logs every
 * answer. Afterwards: every acknowledged (2xx) write is in the database, every other answer was
 * a 503 with Retry-After (none hung, none was a 500), the service answered 2xx again within 5 s
 * of the database being back, and a live stream said "reconnecting" and then resumed.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { startEmbeddedDb, type EmbeddedDb } from '../scripts/embedded-db';
import { apiUser, firstDocument, startServer, stopServer, waitHealthy } from '../scripts/test/servers';

const PORT = Number(process.env.E2E_FAULT_PORT ?? 3214);
const BASE = `http://localhost:${PORT}`;
const DATA_DIR = '.test-data/e2e-faults';

interface Answer { status: number; retryAfter: string | null; id?: string; at: number; error?: string }

/** Polls until `done()` holds; fails after `ms` naming what it waited for. */
async function until(done: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a database outage answers 503, loses no acknowledged write, and heals by itself', async () => {
  test.setTimeout(240_000);
  rmSync(DATA_DIR, { recursive: true, force: true });
  let db: EmbeddedDb = await startEmbeddedDb({ dataDir: DATA_DIR });
  const port = db.port;
  let server: ChildProcess | null = null;
  try {
    server = startServer(PORT, { DATABASE_URL: db.url, AUTH_SECRET: 'fault-secret-fault-secret-fault-secret', LOG_LEVEL: 'error' }, { stdout: !!process.env.E2E_SERVER_LOGS });
    await waitHealthy(BASE, 90_000);

    // A user with an API token, and the document's text to aim at.
    const json = { 'content-type': 'application/json' };
    const auth = await apiUser(BASE, { email: 'w@example.test', name: 'Writer', password: 'writer password' });
    const { id: docId, text } = await firstDocument(BASE, auth);

    // A live stream, to see it report the outage and resume.
    const stream = await fetch(`${BASE}/api/documents/${docId}/events`, { headers: auth });
    const sse: string[] = [];
    void (async () => {
      const reader = stream.body!.getReader();
      const dec = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        sse.push(dec.decode(value));
      }
    })();

    // The writer: one create at a time, the next as soon as the previous one is answered, each
    // with a 10 s timeout (a hang counts as a failure).
    const answers: Answer[] = [];
    let writing = true;
    const writer = (async () => {
      let n = 0;
      while (writing) {
        const start = (n * 37) % (text.length - 20);
        n++;
        const body = { tag: 'evidence', target: { quote: { exact: text.slice(start, start + 12) }, position: { start, end: start + 12 } } };
        try {
          const res = await fetch(`${BASE}/api/documents/${docId}/annotations`, { method: 'POST', headers: { ...json, ...auth }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
          const data = (await res.json().catch(() => null)) as { annotation?: { id: string } } | null;
          answers.push({ status: res.status, retryAfter: res.headers.get('retry-after'), id: data?.annotation?.id, at: Date.now() });
        } catch (e) {
          answers.push({ status: 0, retryAfter: null, at: Date.now(), error: String(e) });
        }
      }
    })();
    const ok2xx = (a: Answer) => a.status >= 200 && a.status < 300;

    // Each phase waits for what it needs to have seen, not for a guessed time.
    await until(() => answers.filter(ok2xx).length >= 5 && sse.join('').includes('"state":"live"'), 'writes acknowledged and the stream live');
    await db.stop();
    await until(() => answers.filter((a) => !ok2xx(a)).length >= 5 && sse.join('').includes('"state":"reconnecting"'), 'the outage refused writes and the stream said so');
    db = await startEmbeddedDb({ dataDir: DATA_DIR, port });
    const back = Date.now();
    await until(() => {
      const first = answers.find((a) => ok2xx(a) && a.at >= back);
      const all = sse.join('');
      const afterOutage = all.slice(all.indexOf('"state":"reconnecting"'));
      return !!first && afterOutage.includes('"state":"live"') && afterOutage.includes(`"id":"${first.id}"`);
    }, 'a write acknowledged after the database came back, and the stream carrying it');
    writing = false;
    await writer;

    const ok = answers.filter((a) => a.status >= 200 && a.status < 300);
    const failed = answers.filter((a) => !(a.status >= 200 && a.status < 300));
    const recovery = (ok.find((a) => a.at >= back)?.at ?? NaN) - back;
    console.log(`fault test: ${answers.length} writes, ${ok.length} acknowledged, ${failed.length} refused (${[...new Set(failed.map((a) => a.status))].join(',')}), first 2xx ${recovery} ms after the database was back`);
    expect(failed.length, 'the outage produced failures').toBeGreaterThan(0);
    expect(failed.filter((a) => a.status !== 503 || !a.retryAfter), JSON.stringify(failed.slice(0, 5))).toEqual([]);
    const firstOkAfter = ok.find((a) => a.at >= back);
    expect(firstOkAfter, 'service came back').toBeDefined();
    expect(firstOkAfter!.at - back).toBeLessThanOrEqual(5000);

    const sql = postgres(db.url, { max: 1 });
    const stored = await sql<{ id: string }[]>`SELECT id FROM "Annotation" WHERE id = ANY(${ok.map((a) => a.id!)})`;
    await sql.end();
    expect(stored.length).toBe(ok.length);

    const all = sse.join('');
    expect(all).toContain('"state":"reconnecting"');
    const afterOutage = all.slice(all.indexOf('"state":"reconnecting"'));
    expect(afterOutage).toContain('"state":"live"');
    expect(afterOutage).toContain(`"id":"${firstOkAfter!.id}"`);
    await stream.body?.cancel().catch(() => {});
  } finally {
    await stopServer(server);
    await db.stop().catch(() => {});
    rmSync(DATA_DIR, { recursive: true, force: true });
  }
});
