/**
 * P4 (docs/benchmarks.md): first-load JavaScript of the document page, gzip, from `next build`.
 *
 *   npx tsx scripts/bench/first-load-js.ts [--route /documents/[id]] [--no-build]
 *
 * Target: ≤ 170 kB gzip (kB = 1000 bytes), and the comment composer (components/threads/composer.tsx,
 * next/dynamic in comment-view.tsx) must not be in the first-load set. Prints a table, then one
 * JSON line with the totals. Always exits 0: a benchmark reports, it never fails a build.
 *
 * Why from manifests: Next 16 `next build` no longer prints per-route "First Load JS" (checked on
 * 16.4.6 with Turbopack, the default; the route list has no size columns), and the page needs a
 * session and a database, so its HTML cannot be fetched without running the whole app.
 *
 * What "first load" is here, i.e. the <script> tags in the server-rendered HTML of the route:
 *  1. `.next/build-manifest.json` → `rootMainFilesTree[appPath] ?? rootMainFiles`: the bootstrap
 *     scripts (React DOM, Next's app router, the Turbopack runtime). app-render emits them as
 *     bootstrap / preinit scripts on every App Router page (server/app-render/required-scripts.js).
 *  2. `.next/server/app/<appPath>_client-reference-manifest.js` → `entryJSFiles`, the union over
 *     all its keys: one per segment of the route's tree (root layout, error.tsx, not-found.tsx,
 *     global-error, the page). app-render emits each layer's entryJSFiles as `<script async>`
 *     (get-layer-assets.js, create-component-styles-and-scripts.js), and the RSC payload references
 *     the error / not-found client components, so the browser fetches them before hydrating.
 *  Excluded: `polyfillFiles` (`<script noModule>`, ignored by every module-capable browser) and
 *  CSS. Chunks behind next/dynamic or import() are only fetched when rendered: they are "lazy".
 * This is the definition Next itself uses for `.next/diagnostics/route-bundle-stats.json`
 * (build/route-bundle-stats.js, raw bytes only). Two cross-checks are printed on every run: that
 * file's chunk list for the route, and the <script src> tags of the prerendered
 * `.next/server/app/_not-found.html` (the one page whose HTML exists without a DB) against this
 * method applied to /_not-found.
 *
 * Sizes: raw bytes on disk and gzip via node:zlib at the default level 6 (what nginx / most CDNs
 * use on the fly; level 9 saves only ~0.2 % here). Per-chunk "looks like" labels are heuristics on the
 * minified text; "via" says which manifest entry put a chunk in the set.
 *
 * Composer: a chunk holds the composer if it contains one of MARKERS, strings that composer.tsx
 * renders and that no other source file contains (checked at run time; a warning otherwise).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';

const ROOT = process.cwd();
const DIST = join(ROOT, '.next');
const TARGET_GZIP = 170_000;
const COMPOSER_SRC = 'components/threads/composer.tsx';
const MARKERS = ['Ctrl+Enter to send', 'composer-tools'];
/** First match wins; checked by hand against a source-map build (productionBrowserSourceMaps). */
const LABELS: [string, RegExp][] = [
  ['react-dom + next bootstrap', /__reactContainer/],
  ['tiptap + prosemirror', /@tiptap|prosemirror-/i],
  ['next-auth/react', /next-auth/],
  ['turbopack runtime', /TURBOPACK_CHUNK/],
  ['next router + react flight client', /createFromReadableStream/],
  ['react + next client core', /react\.transitional\.element/],
  ['next segment components', /ClientSegmentRoot|HTTPAccessFallbackBoundary/],
  ['our components', /data-comment-id|composer|className:"(auth|doc|app|user)-/],
  ['import() stub', /^\(globalThis\.TURBOPACK[^\n]{0,400}Promise\.all\(\[[^\n]{0,400}$/],
  ['next client (misc)', /__next_error__|PageNotFoundError/],
];

const argv = process.argv.slice(2);
const route = argv.includes('--route') ? argv[argv.indexOf('--route') + 1] : '/documents/[id]';
const kB = (n: number) => (n / 1000).toFixed(1);
const readJson = <T>(p: string): T => JSON.parse(readFileSync(join(DIST, p), 'utf8')) as T;
const warn = (msg: string) => console.log(`! ${msg}`);

interface BuildManifest { rootMainFiles: string[]; rootMainFilesTree?: Record<string, string[]>; polyfillFiles: string[] }
interface Chunk { file: string; raw: number; gzip: number; via: string[]; looks: string }

function build(): boolean {
  console.error('$ npx next build   (output on stderr)');
  const r = spawnSync('npx', ['next', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  return r.status === 0;
}

/** app path ("/documents/[id]/page") of a route, from app-path-routes-manifest.json. */
function appPathOf(r: string): string | undefined {
  const m = readJson<Record<string, string>>('app-path-routes-manifest.json');
  return Object.keys(m).find((k) => m[k] === r && k.endsWith('/page'));
}

/** file → the manifest entries that put it in the first-load set. */
function firstLoad(appPath: string): Map<string, string[]> {
  const bm = readJson<BuildManifest>('build-manifest.json');
  const set = new Map<string, string[]>();
  const add = (f: string, via: string) => f.endsWith('.js') && set.set(f, [...(set.get(f) ?? []), via]);
  for (const f of bm.rootMainFilesTree?.[appPath] ?? bm.rootMainFiles) add(f, 'rootMain');
  const sandbox: { globalThis?: unknown; __RSC_MANIFEST?: Record<string, { entryJSFiles: Record<string, string[]> }> } = {};
  sandbox.globalThis = sandbox;
  runInNewContext(readFileSync(join(DIST, 'server/app', `${appPath}_client-reference-manifest.js`), 'utf8'), sandbox);
  const entries = sandbox.__RSC_MANIFEST?.[appPath]?.entryJSFiles ?? {};
  for (const [seg, files] of Object.entries(entries)) {
    const name = seg.endsWith('/page') ? 'page' : seg.replace(/^.*\//, ''); // layout, error, not-found, global-error
    for (const f of files) add(f, name);
  }
  return set;
}

const sizeCache = new Map<string, { raw: number; gzip: number; text: string }>();
function sizes(file: string) {
  let s = sizeCache.get(file);
  if (!s) {
    const buf = readFileSync(join(DIST, file));
    s = { raw: buf.length, gzip: gzipSync(buf, { level: 6 }).length, text: buf.toString('utf8') };
    sizeCache.set(file, s);
  }
  return s;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(tsx?|jsx?)$/.test(n) ? [p] : [];
  });
}

function main() {
  if (!argv.includes('--no-build') && !build()) return warn('next build failed; nothing measured');
  if (!existsSync(join(DIST, 'build-manifest.json'))) return warn('no .next/build-manifest.json: run without --no-build');
  const appPath = appPathOf(route);
  if (!appPath) return warn(`route ${route} is not an App Router page in .next/app-path-routes-manifest.json`);

  const chunks: Chunk[] = [...firstLoad(appPath)].map(([file, via]) => {
    const s = sizes(file);
    const looks = LABELS.find(([, re]) => re.test(s.text))?.[0] ?? '?';
    return { file, raw: s.raw, gzip: s.gzip, via, looks };
  });
  chunks.sort((a, b) => b.gzip - a.gzip);
  const raw = chunks.reduce((t, c) => t + c.raw, 0);
  const gzip = chunks.reduce((t, c) => t + c.gzip, 0);

  console.log(`\nP4 first-load JS of ${route} (${appPath}), gzip level 6, kB = 1000 B\n`);
  console.log(`${'chunk'.padEnd(40)} ${'raw kB'.padStart(8)} ${'gzip kB'.padStart(8)}  via / looks like`);
  for (const c of chunks) console.log(`${c.file.padEnd(40)} ${kB(c.raw).padStart(8)} ${kB(c.gzip).padStart(8)}  ${c.via.join('+')} / ${c.looks}`);
  console.log(`${'TOTAL'.padEnd(40)} ${kB(raw).padStart(8)} ${kB(gzip).padStart(8)}  ${chunks.length} files; target ≤ ${kB(TARGET_GZIP)} gzip: ${gzip <= TARGET_GZIP ? 'MET' : `MISSED by ${kB(gzip - TARGET_GZIP)} kB`}`);
  const poly = readJson<BuildManifest>('build-manifest.json').polyfillFiles.map((f) => `${f} ${kB(sizes(f).gzip)} kB`);
  console.log(`(not counted: noModule polyfills ${poly.join(', ') || 'none'})`);

  // Composer: markers unique to composer.tsx in our sources, then which chunks hold them.
  const srcHits = ['app', 'components', 'lib'].flatMap((d) => sourceFiles(join(ROOT, d)))
    .filter((p) => MARKERS.some((m) => readFileSync(p, 'utf8').includes(m))).map((p) => relative(ROOT, p));
  if (srcHits.join() !== COMPOSER_SRC) warn(`markers ${JSON.stringify(MARKERS)} are in [${srcHits.join(', ')}], expected only ${COMPOSER_SRC}: pick new ones`);
  const all = readdirSync(join(DIST, 'static/chunks')).filter((n) => n.endsWith('.js')).map((n) => `static/chunks/${n}`);
  const composerChunks = all.filter((f) => MARKERS.some((m) => sizes(f).text.includes(m)));
  const inFirst = composerChunks.filter((f) => chunks.some((c) => c.file === f));
  console.log(`\nComposer (${COMPOSER_SRC}; markers ${MARKERS.map((m) => JSON.stringify(m)).join(', ')}):`);
  if (!composerChunks.length) warn('no chunk contains a marker: the detection is broken or the composer was removed');
  for (const f of composerChunks) {
    const name = f.split('/').pop()!;
    // The dynamic-import loader: Promise.all(["static/chunks/…", …].map(load)) in a first-load chunk.
    const re = new RegExp(`Promise\\.all\\(\\[([^\\]]*${name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}[^\\]]*)\\]`);
    const loaders = chunks.map((c) => ({ file: c.file, group: sizes(c.file).text.match(re)?.[1] })).filter((l) => l.group);
    const onDemand = loaders[0]?.group?.match(/static\/chunks\/[^"']+\.js/g) ?? [f];
    const extra = onDemand.filter((g) => !chunks.some((c) => c.file === g));
    console.log(`  ${f}: ${kB(sizes(f).raw)} kB raw, ${kB(sizes(f).gzip)} kB gzip — ${inFirst.includes(f) ? 'IN THE FIRST-LOAD SET' : 'lazy (not in the first-load set)'}`);
    if (loaders.length) console.log(`    import() loader in ${loaders.map((l) => l.file).join(', ')}; fetches [${onDemand.join(', ')}], ${kB(extra.reduce((t, g) => t + sizes(g).gzip, 0))} kB gzip not already loaded`);
  }

  // Cross-check 1: Next's own route-bundle-stats.json (same definition, raw bytes).
  const statsFile = join(DIST, 'diagnostics/route-bundle-stats.json');
  if (existsSync(statsFile)) {
    const row = (JSON.parse(readFileSync(statsFile, 'utf8')) as { route: string; firstLoadUncompressedJsBytes: number; firstLoadChunkPaths: string[] }[]).find((r) => r.route === route);
    const theirs = new Set(row?.firstLoadChunkPaths.map((p) => p.replace(/^\.next\//, '')) ?? []);
    const same = theirs.size === chunks.length && chunks.every((c) => theirs.has(c.file));
    console.log(`\nCross-check route-bundle-stats.json: ${row ? `${theirs.size} files, ${kB(row.firstLoadUncompressedJsBytes)} kB raw — ${same ? 'same set' : 'DIFFERENT set'}` : 'route missing'}`);
  }
  // Cross-check 2: the prerendered /_not-found HTML's scripts vs. this method for /_not-found.
  const html = join(DIST, 'server/app/_not-found.html');
  if (existsSync(html)) {
    const tags = readFileSync(html, 'utf8').match(/<script[^>]*\ssrc="[^"]+"[^>]*>/g) ?? [];
    const fromHtml = new Set(tags.filter((t) => !/noModule/i.test(t)).map((t) => t.match(/src="\/_next\/([^"?]+)/)?.[1] ?? ''));
    const mine = [...firstLoad('/_not-found/page').keys()];
    const same = fromHtml.size === mine.length && mine.every((f) => fromHtml.has(f));
    console.log(`Cross-check _not-found.html <script src>: ${fromHtml.size} in HTML, ${mine.length} from manifests — ${same ? 'same set' : 'DIFFERENT set'}`);
  }

  console.log(JSON.stringify({
    bench: 'P4-first-load-js', route, files: chunks.length, rawBytes: raw, gzipBytes: gzip, gzipLevel: 6,
    targetGzipBytes: TARGET_GZIP, met: gzip <= TARGET_GZIP, composerChunks, composerInFirstLoad: inFirst.length > 0,
  }));
}

try {
  main();
} catch (e) {
  warn(`benchmark error: ${e instanceof Error ? e.stack : String(e)}`);
}
process.exit(0);
