/**
 * Integration tests run against a real PostgreSQL: DATABASE_URL when given, else an embedded
 * server on a throw-away data directory. Migrations are applied exactly as on `npm start`.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedDb } from '../embedded-db';
import { migrate } from '../migrate';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  let url = process.env.DATABASE_URL;
  let stop = async () => {};
  const dataDir = path.resolve(import.meta.dirname, '../../.test-data', `vitest-${process.pid}`);
  if (!url) {
    rmSync(dataDir, { recursive: true, force: true });
    const db = await startEmbeddedDb({ dataDir });
    url = db.url;
    stop = async () => {
      await db.stop();
      rmSync(dataDir, { recursive: true, force: true });
    };
  }
  await migrate(url);
  project.provide('databaseUrl', url);
  return stop;
}
