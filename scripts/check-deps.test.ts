import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDependencies, importsOf, packageOf, sourcesOf, type SourceFile } from './check-deps';

describe('check-deps', () => {
  it('names the package of a specifier: scoped, subpaths, builtins and the @/ alias', () => {
    expect(packageOf('react')).toBe('react');
    expect(packageOf('next/navigation')).toBe('next');
    expect(packageOf('@tiptap/react')).toBe('@tiptap/react');
    expect(packageOf('@prisma/schema-engine-wasm/schema_engine_bg')).toBe('@prisma/schema-engine-wasm');
    expect(packageOf('node:fs')).toBeNull();
    expect(packageOf('fs/promises')).toBeNull();
    expect(packageOf('@/lib/server/db')).toBeNull();
    expect(packageOf('./x')).toBeNull();
    expect(packageOf('../x')).toBeNull();
  });

  it('reads every kind of import, and none from comments or strings', () => {
    const text = `
      import a from 'pkg-a';
      import type { B } from 'pkg-b';
      import 'pkg-c/side-effect.css';
      export { d } from 'pkg-d';
      const e = await import('pkg-e');
      const f = require('pkg-f');
      // import g from 'pkg-g';
      /* import('pkg-h') */
      const s = "import i from 'pkg-i'";
    `;
    expect(importsOf(text).sort()).toEqual(['pkg-a', 'pkg-b', 'pkg-c/side-effect.css', 'pkg-d', 'pkg-e', 'pkg-f']);
  });

  const files: SourceFile[] = [
    { path: 'lib/server/db.ts', text: "import { Pool } from 'pg-pool';\nimport { readFile } from 'node:fs/promises';\nimport type { X } from '@/lib/x';" },
    { path: 'app/page.tsx', text: "import { redirect } from 'next/navigation';\nimport { Editor } from '@tiptap/react';" },
    { path: 'lib/domain/a.test.ts', text: "import { it } from 'vitest';" },
    { path: 'e2e/a.spec.ts', text: "import { test } from '@playwright/test';" },
  ];
  const manifest = {
    dependencies: { 'pg-pool': '1', next: '16', '@tiptap/react': '3', typescript: '5' },
    devDependencies: { vitest: '4', '@playwright/test': '1', '@types/node': '20', '@types/pg-pool': '2' },
  };

  it('accepts a manifest that matches the fixture exactly', () => {
    expect(checkDependencies(files, manifest, { typescript: 'tsc' })).toEqual([]);
  });

  it('reports an undeclared import, a production import of a devDependency, and an unused package', () => {
    const more = [...files, { path: 'components/b.tsx', text: "import x from 'left-pad';\nimport { it } from 'vitest';" }];
    const declared = { ...manifest, dependencies: { ...manifest.dependencies, lodash: '4' } };
    expect(checkDependencies(more, declared, { typescript: 'tsc' }).sort()).toEqual([
      'components/b.tsx: imports left-pad, which package.json does not declare',
      'components/b.tsx: imports vitest, which runs in production but is only in devDependencies',
      'lodash is declared in package.json but nothing imports it',
    ]);
  });

  it('keeps @types packages only for what is used, and CLI-only packages only when allowlisted', () => {
    const noBuiltins = files.map((f) => ({ ...f, text: f.text.replace(/.*node:fs.*\n/, '') }));
    expect(checkDependencies(noBuiltins, manifest, {})).toEqual([
      'typescript is declared in package.json but nothing imports it',
      '@types/node is declared in package.json but nothing imports it',
    ]);
  });

  it('reports a dependency that only tests import (it belongs in devDependencies)', () => {
    const moved = { ...manifest, dependencies: { ...manifest.dependencies, vitest: '4' }, devDependencies: { '@playwright/test': '1', '@types/node': '20', '@types/pg-pool': '2' } };
    expect(checkDependencies(files, moved, { typescript: 'tsc' })).toEqual([
      'vitest is in dependencies but only tests, benchmarks or tool configs import it: move it to devDependencies',
    ]);
  });

  it('reports a package declared twice', () => {
    const twice = { ...manifest, devDependencies: { ...manifest.devDependencies, next: '16' } };
    expect(checkDependencies(files, twice, { typescript: 'tsc' })).toEqual(['next is in both dependencies and devDependencies']);
  });

  it('scans the repository: its directories and the configs at its root', () => {
    const root = path.resolve(import.meta.dirname, '..');
    const files = sourcesOf(root);
    expect(files.some((f) => f.path === 'lib/server/db.ts')).toBe(true);
    expect(files.some((f) => f.path === 'next.config.js')).toBe(true);
  });
});
