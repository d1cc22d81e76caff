/**
 * Prisma's schema engine, WebAssembly build, driven through @prisma/adapter-pg.
 *
 * Prisma's CLI needs a native schema-engine binary that it downloads from Prisma's binary host;
 * machines without that host cannot run `prisma migrate diff`. The same engine ships on npm as
 * `@prisma/schema-engine-wasm` (a bundler-style wasm-bindgen module, so it is instantiated here by
 * hand). Only the datamodel -> datamodel diff is used: it produces the SQL of a migration.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

type Engine = Awaited<ReturnType<typeof bg.SchemaEngine.new>>;
let loaded = false;

async function loadWasm(): Promise<void> {
  if (loaded) return;
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const bytes = readFileSync(path.join(dir, 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports });
  (bg as unknown as { __wbg_set_wasm(x: unknown): void }).__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
  loaded = true;
}

/** SQL that takes a database from the `from` datamodel (null = empty database) to `to`. */
export async function diffDatamodels(databaseUrl: string, from: string | null, to: string): Promise<string> {
  await loadWasm();
  // The engine expects the error-capturing wrapper that Prisma's own CLI binds around a factory.
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: databaseUrl }));
  let engine: Engine | undefined;
  try {
    engine = await bg.SchemaEngine.new({ datamodels: undefined }, () => {}, adapter);
    const target = (content: string) => ({ tag: 'schemaDatamodel' as const, files: [{ path: 'schema.prisma', content }] });
    const result = await engine.diff({
      from: from === null ? { tag: 'empty' } : target(from),
      to: target(to),
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.stdout ?? '';
  } finally {
    engine?.free();
  }
}
