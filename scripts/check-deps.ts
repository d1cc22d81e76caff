/**
 * Checks that package.json says exactly what the code imports (run by `npm test`):
 *
 * - every package imported anywhere is declared; one imported by code that runs in production
 *   (the app, its server modules, `npm start`'s scripts) is in `dependencies`, since a production
 *   install leaves devDependencies out; tests, end-to-end tests, benchmarks and tool configs may
 *   use devDependencies, and a package only they import belongs there;
 * - every declared package is imported somewhere, is the `@types/` package of one that is (or of
 *   Node, when a builtin is), or is on the commented allowlist of packages used only as a CLI.
 *
 * Imports are read with TypeScript's own pre-processor (import, export-from, import type,
 * dynamic import(), require()), so comments and strings are never mistaken for imports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

/** Declared but never imported, on purpose: each is run as a command or loaded by a tool. */
export const CLI_ONLY: Record<string, string> = {
  typescript: 'tsc, for npm run typecheck (and the parser of this check)',
  eslint: 'the eslint command of npm run lint; its config imports eslint-config-next, not eslint',
  prisma: 'the prisma CLI: prisma generate (postinstall) and migrations',
  tsx: "the TypeScript loader of npm start (node --import tsx) and of this check's script",
  '@prisma/client': 'imported by the client that prisma generate writes to generated/ (git-ignored)',
};

/** Directories scanned, and root files with these extensions (configs, proxy.ts). */
const DIRS = ['app', 'components', 'lib', 'prisma', 'scripts', 'e2e'];
const CODE = /\.(?:[cm]?[jt]s|tsx|jsx)$/;

/** Code that never runs in production: tests, e2e, benchmarks, test harness, tool configs. */
const DEV_ONLY = [
  /\.(?:test|spec)\.[cm]?[jt]sx?$/,
  /^e2e\//,
  /^scripts\/(?:test|bench)\//,
  /^scripts\/(?:check-deps|readme-screenshot)\.ts$/,
  /^(?:vitest|playwright)\.config\.ts$/,
  /^eslint\.config\.mjs$/,
];

export interface SourceFile {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  text: string;
}

export interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const builtins = new Set(builtinModules);

/** The package an import specifier names, or null for relative, aliased and builtin modules. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('@/')) return null;
  if (specifier.startsWith('node:') || builtins.has(specifier.split('/')[0])) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every module specifier the file imports, requires or imports dynamically. */
export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

export const isDevOnly = (file: string) => DEV_ONLY.some((re) => re.test(file));

/** `@types/a__b` describes `@a/b`; `@types/node` describes the builtins. */
const typedPackage = (types: string) => {
  const name = types.slice('@types/'.length);
  return name.includes('__') ? `@${name.replace('__', '/')}` : name;
};

/** The problems, one line each; empty when package.json matches the code. */
export function checkDependencies(files: SourceFile[], manifest: Manifest, cliOnly: Record<string, string> = CLI_ONLY): string[] {
  const deps = new Set(Object.keys(manifest.dependencies ?? {}));
  const devDeps = new Set(Object.keys(manifest.devDependencies ?? {}));
  const used = new Set<string>();
  const usedInProduction = new Set<string>();
  let usesBuiltins = false;
  const problems: string[] = [];

  for (const file of files) {
    for (const specifier of importsOf(file.text)) {
      const pkg = packageOf(specifier);
      if (pkg === null) {
        usesBuiltins ||= specifier.startsWith('node:') || builtins.has(specifier.split('/')[0]);
        continue;
      }
      used.add(pkg);
      if (!isDevOnly(file.path)) usedInProduction.add(pkg);
      if (deps.has(pkg)) continue;
      if (devDeps.has(pkg)) {
        if (!isDevOnly(file.path)) problems.push(`${file.path}: imports ${pkg}, which runs in production but is only in devDependencies`);
      } else {
        problems.push(`${file.path}: imports ${pkg}, which package.json does not declare`);
      }
    }
  }

  for (const pkg of [...deps, ...devDeps]) {
    if (deps.has(pkg) && devDeps.has(pkg)) problems.push(`${pkg} is in both dependencies and devDependencies`);
    if (deps.has(pkg) && used.has(pkg) && !usedInProduction.has(pkg)) {
      problems.push(`${pkg} is in dependencies but only tests, benchmarks or tool configs import it: move it to devDependencies`);
    }
    if (used.has(pkg) || pkg in cliOnly) continue;
    if (pkg.startsWith('@types/')) {
      const typed = typedPackage(pkg);
      if (used.has(typed) || (typed === 'node' && usesBuiltins)) continue;
    }
    problems.push(`${pkg} is declared in package.json but nothing imports it`);
  }
  return [...new Set(problems)];
}

function walk(root: string, dir: string, out: SourceFile[]): void {
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(root, rel, out);
    } else if (CODE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push({ path: rel, text: readFileSync(path.join(root, rel), 'utf8') });
    }
  }
}

/** The scanned sources of a checkout: DIRS, plus the code files at its root. */
export function sourcesOf(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isFile() && CODE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      files.push({ path: entry.name, text: readFileSync(path.join(root, entry.name), 'utf8') });
    }
  }
  for (const dir of DIRS) walk(root, dir, files);
  return files;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = path.resolve(import.meta.dirname, '..');
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
  const files = sourcesOf(root);
  const problems = checkDependencies(files, manifest);
  if (problems.length) {
    console.error(`package.json does not match the imports:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`package.json matches the imports of ${files.length} files.`);
}
