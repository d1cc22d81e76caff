import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startEmbeddedDb, type EmbeddedDb } from './embedded-db';

const dirs: string[] = [];
const dir = (name: string) => {
  const d = path.join(tmpdir(), `marginalia-embedded-${process.pid}-${name}`);
  rmSync(d, { recursive: true, force: true });
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

it('says why PostgreSQL did not start, and waits for a previous server on the same directory', { timeout: 120_000 }, async () => {
  const data = dir('a');
  const first: EmbeddedDb = await startEmbeddedDb({ dataDir: data });
  try {
    // The directory is in use: a clear message naming the other server, not "undefined".
    await expect(startEmbeddedDb({ dataDir: data, waitForPreviousMs: 300 })).rejects.toThrow(/another PostgreSQL \(pid \d+\) is still running/);
    // The port is in use: PostgreSQL's own words.
    await expect(startEmbeddedDb({ dataDir: dir('b'), port: first.port })).rejects.toThrow(/PostgreSQL did not start on port \d+ .*(FATAL|could not)/);
  } finally {
    await first.stop();
  }
  // Stopped: the same directory starts again.
  const again = await startEmbeddedDb({ dataDir: data });
  await again.stop();
});
