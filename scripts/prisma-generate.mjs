// postinstall: generate the Prisma client on any machine.
// `prisma generate` never runs the schema engine, but the CLI tries to download it first; on a
// machine without access to Prisma's binary host that download fails. Pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any executable skips the download (see docs/architecture.md).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const bin = 'node_modules/prisma/build/index.js';
if (!existsSync(bin)) {
  console.error('prisma CLI not installed; run npm install');
  process.exit(1);
}
const r = spawnSync(process.execPath, [bin, 'generate'], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
