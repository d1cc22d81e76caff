/**
 * P3 (docs/benchmarks.md): the reader page with 2,000 highlights, in Chromium.
 *
 *   npx tsx --conditions=react-server scripts/bench/reader-load.ts [--annotations 2000] [--port 3290] [--runs 5] [--no-profile]
 *
 * Starts the app (scripts/start.ts, which builds when stale) on a fresh embedded PostgreSQL in
 * .test-data/bench-reader, signs up the bench user (the first account: admin), imports a
 * ~10,000-word Markdown document generated from a fixed seed, and inserts N annotations on it and
 * on the default article straight into the database: selectors from describe() over each
 * revision's text, passages of 10-200 characters that may overlap, all three tags, ~20 % resolved,
 * ~10 % with 1-3 comments.
 *
 * Per document, `--runs` loads in one signed-in context, a fresh page each; the first is a warm-up
 * (cold HTTP cache), median / max are over the others (cached JS, like a returning reader):
 *  - painted: the `marginalia:highlights-painted` mark (components/reader/article.tsx) whose
 *    detail.count is the number of anchored annotations: the frame after all decorations.
 *  - FCP: first-contentful-paint; the server renders the highlights, so they show from here on.
 *  - anchoring + painting = painted − T0, T0 = max(domContentLoadedEventEnd, Next's client runtime
 *    start): the first moment the page has both its data (HTML and inline RSC payload parsed) and
 *    its code running. "Runtime start" is when app-index.js takes over `self.__next_f.push` (a
 *    setter on that array, installed before any script). So it is all the client-side work up to
 *    the frame with every highlight: hydrating the article and its highlight spans (the layout of
 *    selectors over blocks is recomputed in the browser), effects, then style, layout and paint.
 *  - DCL → painted: the same from domContentLoadedEventEnd alone.
 *  - highlight work: painted − the `marginalia:highlights-start` mark, i.e. building the ranges of
 *    the CSS highlights (> 300 highlights), registering them and the frame that paints them.
 *  - long tasks (PerformanceObserver 'longtask', buffered) starting before painted + 1 s.
 * Typing: click a highlight on screen, then its thread's Comment box, type 40 characters at 50 ms
 * a key. Event Timing (durationThreshold 16, the minimum) gives keydown and input durations; a key
 * without an entry took < 16 ms ("<16"). "focus click" is that click's Event Timing duration.
 * Then one profiled load per document: JS self time per function (CDP Profiler; minified names, so
 * each function's source start is shown), main-thread trace events. Prints Markdown + one JSON line; exits 0.
 */
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import postgres from 'postgres';
import { describe, trimRange } from '../../lib/domain/anchoring';
import { parseCommentBody } from '../../lib/domain/comment-body';
import { apiUser, firstDocument, startServer, stopServer, waitHealthy } from '../test/servers';
import { numberArg as arg } from './args';

const N = arg('annotations', 2000);
const PORT = arg('port', 3290);
const RUNS = Math.max(2, arg('runs', 5));
const BASE = `http://localhost:${PORT}`;
const DATA_DIR = '.test-data/bench-reader';
const USER = { email: 'reader-bench@example.test', name: 'Reader Bench', password: 'bench password' };
const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** mulberry32: a small seeded PRNG, so every run seeds the same passages. */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(r: () => number, xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;
const max = (xs: number[]) => (xs.length ? Math.max(...xs) : NaN);
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : 'n/a');
const ev = (n: number) => (n === 0 ? '<16' : ms(n)); // Event Timing: 0 = no entry, under the 16 ms threshold

const WORDS = ('analysts assessed the regional alliance supply artillery shells sanctions evidence reportedly officials satellite imagery suggests ' +
  'shipments rail port logistics minister visit treaty clause mutual defence missile technology transfer intelligence sources confirm deny likely ' +
  'unlikely moderate confidence timeline border naval fleet economic leverage oil payments barter workers troops deployment frontline drones ' +
  'components factory output estimates range between however although because therefore meanwhile which would could should may further').split(' ');

/** ~`words` words of Markdown: paragraphs of pseudo-random sentences, a heading every 7 paragraphs. */
function longArticle(words: number, r = rng(42)): string {
  const out = ['# Bench: ten thousand words', ''];
  for (let p = 0, n = 0; n < words; p++) {
    if (p % 7 === 0) out.push(`## Section ${p / 7 + 1}: ${pick(r, WORDS)} and ${pick(r, WORDS)}`, '');
    const sentences: string[] = [];
    for (let s = 3 + Math.floor(r() * 5); s > 0; s--) {
      const ws = Array.from({ length: 8 + Math.floor(r() * 14) }, () => pick(r, WORDS));
      sentences.push(`${ws[0][0].toUpperCase()}${ws.join(' ').slice(1)}.`);
      n += ws.length;
    }
    out.push(sentences.join(' '), '');
  }
  return out.join('\n');
}

/** Inserts N annotations (~10 % with 1-3 comments) on the document's current revision; returns how many are anchored. */
async function seed(sql: postgres.Sql, documentId: string, authorId: string, r: () => number): Promise<number> {
  const [{ revisionId, text }] = await sql<{ revisionId: string; text: string }[]>`
    SELECT d."currentRevisionId" AS "revisionId", r.text FROM "Document" d JOIN "DocumentRevision" r ON r.id = d."currentRevisionId" WHERE d.id = ${documentId}`;
  const [annotations, comments]: Record<string, unknown>[][] = [[], []];
  while (annotations.length < N) {
    const len = r() < 0.6 ? 10 + Math.floor(r() * 50) : 60 + Math.floor(r() * 141);
    const s0 = Math.floor(r() * (text.length - 10));
    const range = trimRange(text, s0, Math.min(text.length, s0 + len));
    if (!range || range.end - range.start < 10) continue;
    const { quote, position } = describe(text, range.start, range.end);
    const [id, createdAt] = [crypto.randomUUID(), new Date(Date.now() - (N - annotations.length) * 1000)];
    const tag = pick(r, ['evidence', 'speculation', 'assessment'] as const);
    annotations.push({ id, documentId, revisionId, authorId, tag, status: r() < 0.2 ? 'resolved' : 'open', ...quote, ...position, createdAt, updatedAt: createdAt });
    for (let c = r() < 0.1 ? 1 + Math.floor(r() * 3) : 0; c > 0; c--) {
      const { body, html, text: plain } = parseCommentBody({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Comment ${c}: ${pick(r, WORDS)} ${pick(r, WORDS)}.` }] }] });
      comments.push({ id: crypto.randomUUID(), annotationId: id, authorId, body, html, text: plain, createdAt: new Date(createdAt.getTime() + 10 - c) });
    }
  }
  for (let i = 0; i < annotations.length; i += 500) await sql`INSERT INTO "Annotation" ${sql(annotations.slice(i, i + 500) as never)}`;
  for (let i = 0; i < comments.length; i += 500) await sql`INSERT INTO "Comment" ${sql(comments.slice(i, i + 500) as never)}`;
  const [{ count }] = await sql<{ count: number }[]>`SELECT count(*)::int AS count FROM "Annotation" WHERE "documentId" = ${documentId} AND "deletedAt" IS NULL AND anchor = 'anchored'`;
  return count;
}

/** Runs in every page before its own scripts: long tasks, event timing, Next's client runtime start. */
function instrument() {
  const b = { longtasks: [] as number[][], events: [] as [string, number, number][], runtime: 0 };
  (window as unknown as { __bench: typeof b }).__bench = b;
  new PerformanceObserver((l) => l.getEntries().forEach((e) => b.longtasks.push([e.startTime, e.duration]))).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((l) => l.getEntries().forEach((e) => b.events.push([e.name, e.startTime, e.duration]))).observe({ type: 'event', durationThreshold: 16, buffered: true } as PerformanceObserverInit);
  const flight: unknown[] = []; // inline RSC chunks queue here until app-index.js sets its push. No arrow-function values: tsx adds __name()
  Object.defineProperty(flight, 'push', { configurable: true, get() { return Array.prototype.push; }, set(fn) {
    b.runtime = performance.now();
    Object.defineProperty(flight, 'push', { value: fn, writable: true, configurable: true });
  } });
  (window as unknown as { __next_f: unknown[] }).__next_f = flight;
}
type Bench = { longtasks: number[][]; events: [string, number, number][]; runtime: number };

/** Opens the document in a fresh page and waits for the painted mark with `count` highlights. */
async function open(context: BrowserContext, docId: string, count: number, page?: Page) {
  page ??= await context.newPage();
  if (page.url().startsWith(BASE)) await page.evaluate((url) => void (location.href = url), `${BASE}/documents/${docId}`); // keeps the renderer (profiling)
  else await page.goto(`${BASE}/documents/${docId}`, { waitUntil: 'commit' });
  const painted = (n: number) => performance.getEntriesByName('marginalia:highlights-painted').find((e) => (e as PerformanceMark).detail?.count === n)?.startTime;
  const mark = await page.waitForFunction(painted, count, { timeout: 120_000, polling: 50 });
  return { page, painted: (await mark.jsonValue()) as number };
}

async function load(context: BrowserContext, docId: string, count: number) {
  const { page, painted } = await open(context, docId, count);
  await page.waitForTimeout(1000);
  const m = await page.evaluate((painted) => { // times in ms since navigation start
    const b = (window as unknown as { __bench: Bench }).__bench;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const tasks = b.longtasks.filter(([s]) => s < painted + 1000).map(([, d]) => d);
    const hl = [...document.querySelectorAll('.article [data-annotation-id]')];
    return {
      // Our own highlight work: from building the CSS highlight ranges to the painted frame.
      highlightWork: (() => { const m = performance.getEntriesByName('marginalia:highlights-start').at(-1); return m ? painted - m.startTime : NaN; })(),
      painted, ttfb: nav.responseStart, fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN, fromResponse: painted - nav.responseEnd,
      fromDcl: painted - nav.domContentLoadedEventEnd, runtime: b.runtime, anchoring: b.runtime ? painted - Math.max(nav.domContentLoadedEventEnd, b.runtime) : NaN,
      longest: tasks.length ? Math.max(...tasks) : 0, over50: tasks.filter((d) => d > 50).length, over100: tasks.filter((d) => d > 100).length,
      elements: hl.length, distinct: new Set(hl.map((e) => e.getAttribute('data-annotation-id'))).size,
      // Ranges registered with the CSS Custom Highlight API (the reader's mode above 300 highlights).
      cssRanges: typeof CSS !== 'undefined' && 'highlights' in CSS ? [...CSS.highlights.values()].reduce((n, h) => n + h.size, 0) : 0,
      cards: document.querySelectorAll('[data-thread-id]').length, htmlKb: nav.transferSize / 1000,
    };
  }, painted);
  await page.close();
  return m;
}
type Load = Awaited<ReturnType<typeof load>>;

async function typing(context: BrowserContext, docId: string, count: number) {
  const { page } = await open(context, docId, count);
  try {
    // Highlights as elements: click one on screen. Painted as CSS highlights (> 300): focus a
    // thread from the margin instead (its "Add a comment").
    const id = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.article [data-annotation-id]')] // on screen, clear of the header
      .find((e) => { const r = e.getBoundingClientRect(); return r.top > 150 && r.bottom < innerHeight - 50 && r.width > 20; })?.dataset.annotationId);
    const t0 = await page.evaluate(() => performance.now());
    if (id) await page.locator(`.article [data-annotation-id="${id}"]`).first().click();
    else await page.locator('[data-thread-id] .add-comment').first().click();
    await page.getByRole('textbox', { name: 'Comment' }).click();
    const t1 = await page.evaluate(() => performance.now());
    await page.keyboard.type('The shipments line up with the rail data', { delay: 50 });
    await page.waitForTimeout(500);
    const b = await page.evaluate(() => (window as unknown as { __bench: Bench }).__bench);
    const of = (name: string) => {
      const got = b.events.filter(([n, s]) => n === name && s >= t1).map(([, , d]) => d);
      return [...got, ...Array<number>(Math.max(0, 40 - got.length)).fill(0)];
    };
    const click = b.events.filter(([n, s]) => n === 'click' && s >= t0 && s < t1).map(([, , d]) => d);
    const tasks = b.longtasks.filter(([s]) => s >= t1).map(([, d]) => d);
    return { keydown: of('keydown'), input: of('input'), click: click.length ? max(click) : 0, typingLongestTask: tasks.length ? max(tasks) : 0 };
  } finally {
    await page.close();
  }
}

/** One traced, profiled load: JS self time per function, main-thread time per trace event name. */
async function profile(browser: Browser, context: BrowserContext, docId: string, count: number) {
  const page = await context.newPage();
  try {
    await page.goto(`${BASE}/signin`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.setSamplingInterval', { interval: 100 }));
    await browser.startTracing(page, { categories: ['devtools.timeline'] }).then(() => cdp.send('Profiler.start'));
    await open(context, docId, count, page);
    const { profile: p } = await cdp.send('Profiler.stop');
    const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: { name: string; ph: string; ts: number; dur?: number; tid: number; args?: { name?: string } }[] };
    const [self, byFn, sources] = [new Map<number, number>(), new Map<string, number>(), new Map<string, Promise<string>>()];
    p.samples?.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas?.[i] ?? 0) / 1000));
    for (const n of p.nodes.filter((n) => !['(idle)', '(root)', '(program)'].includes(n.callFrame.functionName))) {
      const f = n.callFrame;
      const key = f.url ? `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/_next\//, '')}:${f.lineNumber + 1}:${f.columnNumber + 1}` : f.functionName;
      byFn.set(key, (byFn.get(key) ?? 0) + (self.get(n.id) ?? 0));
      if (f.url && !sources.has(f.url)) sources.set(f.url, fetch(f.url).then((r) => r.text(), () => ''));
    }
    const functions = await Promise.all([...byFn].sort((a, b) => b[1] - a[1]).slice(0, 10).map(async ([name, t]) => {
      const [, url, line, col] = /^\S+ (\S+):(\d+):(\d+)$/.exec(name) ?? [];
      const src = url ? (await sources.get(`${BASE}/_next/${url}`))?.split('\n')[+line - 1]?.slice(+col - 1, +col + 59) : undefined;
      return { name, ms: Math.round(t), src };
    }));
    // Main thread: total per event name, and style/layout forced from script (nested in a script event).
    const main = trace.traceEvents.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid;
    const xs = trace.traceEvents.filter((e) => e.tid === main && e.ph === 'X' && e.dur).sort((a, b) => a.ts - b.ts);
    const byEvent = new Map<string, number>();
    let scriptEnd = 0;
    for (const e of xs) {
      if (['FunctionCall', 'EvaluateScript', 'TimerFire', 'FireAnimationFrame', 'RunMicrotasks'].includes(e.name)) scriptEnd = Math.max(scriptEnd, e.ts + e.dur!);
      const name = (e.name === 'UpdateLayoutTree' || e.name === 'Layout') && e.ts < scriptEnd ? `${e.name} (forced by script)` : e.name;
      byEvent.set(name, (byEvent.get(name) ?? 0) + e.dur! / 1000);
    }
    const events = [...byEvent].filter(([n]) => n !== 'RunTask' && !n.startsWith('V8.')).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([name, t]) => ({ name, ms: Math.round(t) }));
    return { functions, events, program: Math.round(p.nodes.filter((n) => n.callFrame.functionName === '(program)').reduce((s, n) => s + (self.get(n.id) ?? 0), 0)) };
  } finally {
    await page.close();
  }
}

async function main() {
  let [server, browser, sql]: [ChildProcess | null, Browser | null, postgres.Sql | null] = [null, null, null];
  try {
    rmSync(DATA_DIR, { recursive: true, force: true }); // what start.ts --fresh does (startServer passes no flags)
    server = startServer(PORT, { DATA_DIR, AUTH_SECRET: 'bench-reader-secret-bench-reader-secret' }, { stdout: !!process.env.BENCH_LOG_LEVEL });
    await waitHealthy(BASE, 900_000);
    const auth = await apiUser(BASE, USER);
    const { id: articleId, text: articleText } = await firstDocument(BASE, auth);
    const source = longArticle(10_000);
    const body = JSON.stringify({ title: 'Bench: ten thousand words', format: 'markdown', source });
    const res = await fetch(`${BASE}/api/documents`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body });
    if (!res.ok) throw new Error(`could not create the long document (${res.status}): ${await res.text()}`);
    const longId = ((await res.json()) as { document: { id: string } }).document.id;

    sql = postgres(readFileSync(`${DATA_DIR}/database-url`, 'utf8'), { max: 2, onnotice: () => {} });
    const [{ id: authorId }] = await sql<{ id: string }[]>`SELECT id FROM "User" WHERE email = ${USER.email}`;
    const t0 = performance.now();
    const docs = [
      { name: 'default article', id: articleId, words: articleText.split(/\s+/).length, count: await seed(sql, articleId, authorId, rng(1)) },
      { name: '10k-word document', id: longId, words: source.split(/\s+/).length, count: await seed(sql, longId, authorId, rng(2)) },
    ];
    await sql`ANALYZE "Annotation", "Comment"`; // else until autovacuum's first pass (~1 min) the plan for _count takes ~1 s
    const seedMs = performance.now() - t0;

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(instrument);
    const page = await context.newPage(); // sign in through the form, as e2e/helpers.ts signIn does
    await page.goto(`${BASE}/signin`).then(() => page.getByLabel('Email').fill(USER.email)).then(() => page.getByLabel('Password').fill(USER.password));
    await page.getByRole('button', { name: 'Sign in' }).click().then(() => page.getByRole('heading', { name: 'Documents' }).waitFor()).then(() => page.close());

    const [keys, fail] = [['ttfb', 'fcp', 'painted', 'fromResponse', 'fromDcl', 'anchoring', 'highlightWork', 'longest', 'over50', 'over100'] as const, (e: Error) => ({ error: e.message })];
    const results = [];
    for (const d of docs) {
      const runs: Load[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await load(context, d.id, d.count));
      const rest = runs.slice(1);
      const stats = Object.fromEntries(keys.map((k) => [k, { median: median(rest.map((r) => r[k])), max: max(rest.map((r) => r[k])) }]));
      results.push({
        ...d, ...(stats as Record<(typeof keys)[number], { median: number; max: number }>), warmup: runs[0],
        elements: rest[0].elements, distinct: rest[0].distinct, cssRanges: rest[0].cssRanges, cards: rest[0].cards, htmlKb: rest[0].htmlKb,
        typing: await typing(context, d.id, d.count).catch(fail),
        profile: process.argv.includes('--no-profile') ? null : await profile(browser, context, d.id, d.count).catch(fail),
      });
    }

    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, Chromium ${browser.version()}`;
    console.log(`\n### ${new Date().toISOString().slice(0, 10)} — ${machine}\n`);
    console.log(`${N} annotations per document (seeded in ${seedMs.toFixed(0)} ms); ${RUNS} loads each, the first a warm-up; median / max of the other ${RUNS - 1}, in ms. Targets: anchoring + painting ≤ 300 ms, no task over 100 ms.\n`);
    console.log('| document | TTFB | FCP | nav → painted | responseEnd → painted | DCL → painted | anchoring + painting | highlight work | longest task | tasks > 50 / > 100 ms (median) | highlight elements (ids) / CSS ranges | thread cards | keydown p50 / max | input p50 / max | focus click / longest task while typing |');
    console.log(`|${'---|'.repeat(15)}`);
    const mm = (s: { median: number; max: number }) => `${ms(s.median)} / ${ms(s.max)}`;
    const pm = (xs?: number[]) => (xs ? `${ev(median(xs))} / ${ev(max(xs))}` : 'n/a');
    for (const r of results) {
      const [t, ok] = [r.typing, 'error' in r.typing ? null : r.typing];
      console.log(`| ${r.name} (${r.words} words, ${r.count} anchored, HTML ${r.htmlKb.toFixed(0)} kB) | ${mm(r.ttfb)} | ${mm(r.fcp)} | ${mm(r.painted)} | ${mm(r.fromResponse)} | ${mm(r.fromDcl)} | ${mm(r.anchoring)} | ${mm(r.highlightWork)} | ${mm(r.longest)} | ${ms(r.over50.median)} / ${ms(r.over100.median)} | ${r.elements} (${r.distinct}) / ${r.cssRanges} | ${r.cards} | ${pm(ok?.keydown)} | ${pm(ok?.input)} | ${ok ? `${ev(ok.click)} / ${ok.typingLongestTask ? ms(ok.typingLongestTask) : 'none'}` : 'n/a'} |`);
      if ('error' in t) console.log(`\ntyping on ${r.name} failed: ${t.error}`);
    }
    for (const { name, profile: p } of results.filter((r) => r.profile)) {
      console.log(`\n#### Profiled load (profiler + tracing on): ${name}\n`);
      if (!p || 'error' in p) { console.log(`profile failed: ${p?.error}`); continue; }
      console.log(`| JS self time, top 10 (plus ${p.program} ms "(program)": native work outside JS) | ms | source starts |\n|---|---|---|`);
      p.functions.forEach((f) => console.log(`| \`${f.name}\` | ${f.ms} | ${f.src ? `\`${f.src.replace(/\|/g, '\\|').replace(/`/g, "'")}\`` : ''} |`));
      console.log('\n| main-thread trace event (nested events also counted in their parents) | ms |\n|---|---|');
      p.events.forEach((f) => console.log(`| ${f.name} | ${f.ms} |`));
    }
    console.log(`\n${JSON.stringify({ bench: 'P3', date: new Date().toISOString(), machine, annotations: N, runs: RUNS, seedMs, results })}`);
  } catch (e) {
    console.error(`reader-load: ${e instanceof Error ? e.stack : String(e)}`);
  } finally {
    await sql?.end().catch(() => {});
    await browser?.close().catch(() => {});
    await stopServer(server);
    process.exit(0);
  }
}

await main();
