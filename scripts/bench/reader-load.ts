/**
 * P3 (docs/benchmarks.md): the reader page with 2,000 highlights, in Chromium.
 *
 *   npx tsx --conditions=react-server scripts/bench/reader-load.ts [--annotations 2000] [--small 250]
 *     [--port 3290] [--data-dir .test-data/bench-reader] [--runs 21] [--typing-runs 5] [--keys 40]
 *     [--key-delay 50] [--no-profile]
 *
 * Starts the app (scripts/start.ts, which builds when stale) on a fresh embedded PostgreSQL in
 * the data dir, signs up the bench user (the first account: admin), imports a ~10,000-word
 * Markdown document generated from a fixed seed and a copy of the default article (same content,
 * published as a revision), and inserts annotations straight into the database: selectors from
 * describe() over each revision's text, passages of 10-200 characters that may overlap, all three
 * tags, ~20 % resolved, ~10 % with 1-3 comments. N (2,000) on the default article and on the long
 * document, `--small` (250) on the copy: the same seed, so they are the first 250 of the
 * article's 2,000, drawn as elements (≤ 300) instead of CSS highlights.
 *
 * Loads: per document `--runs` loads in one signed-in context (1400×900, so the margin sits beside
 * the article), a fresh page each; the first is a warm-up (cold HTTP cache), p50 / p95 / max are
 * over the others (cached JS, like a returning reader). Percentiles are nearest-rank: p95 of 20 is
 * the 19th smallest. Times are from the navigation's start unless said otherwise.
 *  - painted: the `marginalia:highlights-painted` mark (components/reader/article.tsx) whose
 *    detail.count is the number of anchored annotations, set in a task queued from the
 *    requestAnimationFrame after the highlights were registered, i.e. after that frame.
 *  - ranges / highlight work: the `marginalia:highlights-start` mark (CSS highlights only: the
 *    ranges start being built) to `…-applied` (registered) and to painted.
 *  - anchoring + painting = painted − T0, T0 = max(domContentLoadedEventEnd, Next's client runtime
 *    start): the first moment the page has both its data (HTML and inline RSC payload parsed) and
 *    its code running. "Runtime start" is when app-index.js takes over `self.__next_f.push` (a
 *    setter on that array, installed before any script). So it is all the client-side work up to
 *    the frame with every highlight: hydration, effects, ranges, style, layout and paint.
 *  - margin placed: the first frame in which the margin's cards sit beside their passages
 *    (`.threads-beside[data-measured=true]` has a card: components/threads/thread-list.tsx after
 *    lib/client/anchor-tops.ts measured every passage), seen by a MutationObserver, then
 *    requestAnimationFrame + setTimeout 0 as for painted.
 *  - longest task: PerformanceObserver 'longtask' (buffered, from an init script) over tasks that
 *    start before max(painted, margin placed) + 1 s: the whole load including the margin. The
 *    warm-up load checks that the observer reports an 80 ms task made on purpose. Also the longest
 *    'long-animation-frame' (LoAF: a frame's tasks plus its rendering) in the same window.
 * Typing (`--typing-runs` sessions per document, each on a freshly loaded page): a card's "Add a
 * comment" in the margin (a different card on screen each session) opens the composer (the
 * lazily loaded Tiptap editor, a contenteditable `role=textbox` named "Comment"), then `--keys`
 * characters at `--key-delay` ms a key. keystroke → paint: a capturing keydown listener installed
 * before the page's own reads `event.timeStamp` (when the browser received the key) and queues
 * requestAnimationFrame → setTimeout 0; the delay until that task runs covers queueing, every
 * handler (ProseMirror, React updates flushed synchronously for discrete events), and the
 * main thread's style, layout and paint of the frame that shows the character. Cross-checked with
 * Event Timing's keydown duration (to the frame's presentation, in steps of 8 ms; `durationThreshold`
 * 16 is its minimum, so a key without an entry took < 16 ms and is counted as 16: an upper bound).
 * "margin mutations" counts DOM changes in the margin outside the focused card while typing (a
 * keystroke that re-rendered the other cards with new output would show here).
 * Profiled (CDP Profiler at 100 µs plus precise coverage call counts, and a devtools.timeline
 * trace), once per document: a load, and a typing session. Our own functions are found by their
 * source (minified names) and given inclusive time and call count. Prints Markdown + one JSON line; exits 0.
 */
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import postgres from 'postgres';
import { apiUser, firstDocument, startServer, stopServer, waitHealthy } from '../test/servers';
import { numberArg as arg } from './args';
import { pct, pick, rng, seed, WORDS } from './seed-annotations';

const N = arg('annotations', 2000);
const SMALL = arg('small', 250);
const PORT = arg('port', 3290);
const RUNS = Math.max(2, arg('runs', 21));
const TYPING_RUNS = Math.max(1, arg('typing-runs', 5));
const KEYS = Math.max(1, arg('keys', 40));
const KEY_DELAY = arg('key-delay', 50);
const BASE = `http://localhost:${PORT}`;
const DATA_DIR = process.argv.includes('--data-dir') ? process.argv[process.argv.indexOf('--data-dir') + 1] : '.test-data/bench-reader';
const USER = { email: 'reader-bench@example.test', name: 'Reader Bench', password: 'bench password' };
const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const TEXT = 'The shipments line up with the rail data '.repeat(Math.ceil(KEYS / 41)).slice(0, KEYS);

const max = (xs: number[]) => (xs.length ? Math.max(...xs) : NaN);
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : 'n/a');
const ms1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
type Stat = { p50: number; p95: number; max: number; n: number };
const stat = (xs: number[]): Stat => ({ p50: pct(xs, 50), p95: pct(xs, 95), max: max(xs.filter(Number.isFinite)), n: xs.filter(Number.isFinite).length });
const fmt = (s: Stat, f = ms) => (s.n ? `${f(s.p50)} / ${f(s.p95)} / ${f(s.max)}` : 'n/a');


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


/**
 * Runs in every page before its own scripts: long tasks, event timing, keystroke → next paint,
 * the margin's first placed frame, Next's client runtime start.
 * No function values in named bindings here: tsx wraps those in __name(), which the page lacks.
 */
function instrument() {
  const b = { longtasks: [] as number[][], loafs: [] as number[][], events: [] as number[][], eventNames: [] as string[], keys: [] as number[][], shifts: [] as number[][], runtime: 0, margin: 0, marginMutations: 0 };
  (window as unknown as { __bench: typeof b }).__bench = b;
  // Layout shifts (start, score, after recent input): what CLS adds up.
  new PerformanceObserver((l) => l.getEntries().forEach((e) => {
    const x = e as PerformanceEntry & { value: number; hadRecentInput: boolean };
    b.shifts.push([e.startTime, x.value, x.hadRecentInput ? 1 : 0]);
  })).observe({ type: 'layout-shift', buffered: true });
  new PerformanceObserver((l) => l.getEntries().forEach((e) => b.longtasks.push([e.startTime, e.duration]))).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((l) => l.getEntries().forEach((e) => b.loafs.push([e.startTime, e.duration, (e as PerformanceEntry & { blockingDuration: number }).blockingDuration])))
    .observe({ type: 'long-animation-frame', buffered: true });
  new PerformanceObserver((l) =>
    l.getEntries().forEach((e) => {
      const t = e as PerformanceEventTiming;
      b.eventNames.push(t.name);
      b.events.push([t.startTime, t.duration, t.processingStart, t.processingEnd]);
    }),
  ).observe({ type: 'event', durationThreshold: 16, buffered: true } as PerformanceObserverInit);
  // Keystroke → the task after the next frame (the same way article.tsx marks "painted").
  addEventListener('keydown', (e) => {
    const t = e.timeStamp;
    requestAnimationFrame(() => setTimeout(() => b.keys.push([t, performance.now() - t]), 0));
  }, true);
  new MutationObserver((_records, observer) => {
    if (!document.querySelector('.threads-beside[data-measured="true"] .thread-slot')) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => (b.margin = performance.now()), 0));
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-measured'] });
  const flight: unknown[] = []; // inline RSC chunks queue here until app-index.js sets its push
  Object.defineProperty(flight, 'push', { configurable: true, get() { return Array.prototype.push; }, set(fn) {
    b.runtime = performance.now();
    Object.defineProperty(flight, 'push', { value: fn, writable: true, configurable: true });
  } });
  (window as unknown as { __next_f: unknown[] }).__next_f = flight;
}
type Bench = { longtasks: number[][]; loafs: number[][]; events: number[][]; eventNames: string[]; keys: number[][]; shifts: number[][]; runtime: number; margin: number; marginMutations: number };

interface Doc { name: string; id: string; words: number; count: number; mode: 'CSS highlights' | 'elements' }

/** Opens the document (in a fresh page unless given) and waits for the painted mark with `count` highlights and the placed margin. */
async function open(context: BrowserContext, doc: Doc, page?: Page) {
  page ??= await context.newPage();
  if (page.url().startsWith(BASE)) await page.evaluate((url) => void (location.href = url), `${BASE}/documents/${doc.id}`); // keeps the renderer (profiling)
  else await page.goto(`${BASE}/documents/${doc.id}`, { waitUntil: 'commit' });
  const painted = (n: number) => performance.getEntriesByName('marginalia:highlights-painted').find((e) => (e as PerformanceMark).detail?.count === n)?.startTime;
  const mark = await page.waitForFunction(painted, doc.count, { timeout: 120_000, polling: 50 });
  await page.waitForFunction(() => (window as unknown as { __bench: Bench }).__bench.margin > 0, undefined, { timeout: 60_000, polling: 50 });
  return { page, painted: (await mark.jsonValue()) as number };
}

/** Two frames and `ms` more: whatever the last action queued has run. */
const settle = (page: Page, ms: number) => page.evaluate((ms) => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, ms)))), ms);

async function load(context: BrowserContext, doc: Doc, check = false) {
  const at = new Date().toISOString();
  const { page, painted } = await open(context, doc);
  await page.waitForTimeout(1000);
  // Once per document: a task of 80 ms made on purpose must be reported (the observer works here).
  const longtaskSeen = !check || (await page.evaluate(() => new Promise<boolean>((r) => {
    setTimeout(() => { const t = performance.now(); while (performance.now() - t < 80); }, 0);
    setTimeout(() => r((window as unknown as { __bench: Bench }).__bench.longtasks.some(([, d]) => d >= 75)), 300);
  })));
  const m = await page.evaluate(({ painted, count }) => {
    const b = (window as unknown as { __bench: Bench }).__bench;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const end = Math.max(painted, b.margin) + 1000;
    const tasks = b.longtasks.filter(([s]) => s < end).map(([, d]) => d);
    // No named function bindings in page code (tsx's __name, see instrument()).
    const [start, applied] = ['marginalia:highlights-start', 'marginalia:highlights-applied']
      .map((name) => performance.getEntriesByName(name).find((e) => (e as PerformanceMark).detail?.count === count)?.startTime ?? NaN);
    const hl = [...document.querySelectorAll('.article [data-annotation-id]')];
    const listEntry = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) => /\/annotations(\?|$)/.test(new URL(e.name).pathname + new URL(e.name).search)) as PerformanceResourceTiming | undefined;
    return {
      painted, ttfb: nav.responseStart, fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      fromDcl: painted - nav.domContentLoadedEventEnd, runtime: b.runtime, anchoring: b.runtime ? painted - Math.max(nav.domContentLoadedEventEnd, b.runtime) : NaN,
      ranges: applied - start, highlightWork: painted - start, margin: b.margin,
      longest: tasks.length ? Math.max(...tasks) : 0, loaf: Math.max(0, ...b.loafs.filter(([s]) => s < end).map(([, d]) => d)), over50: tasks.filter((d) => d > 50).length, over100: tasks.filter((d) => d > 100).length,
      elements: hl.length, distinct: new Set(hl.map((e) => e.getAttribute('data-annotation-id'))).size,
      // Ranges registered with the CSS Custom Highlight API (the reader's mode above 300 highlights).
      cssRanges: typeof CSS !== 'undefined' && 'highlights' in CSS ? [...CSS.highlights.values()].reduce((n, h) => n + h.size, 0) : 0,
      cards: document.querySelectorAll('[data-thread-id]').length, htmlKb: nav.transferSize / 1000,
      // When the threads' list (preloaded by the page) had arrived, and the client runtime's start.
      list: listEntry?.responseEnd ?? NaN,
      // Where a slow load's time went: the HTML's last byte; the list's request, first and last byte.
      htmlEnd: nav.responseEnd, listAsked: listEntry?.requestStart ?? NaN, listFirstByte: listEntry?.responseStart ?? NaN,
    };
  }, { painted, count: doc.count });
  // Layout shift: over the load (threads placed, the visible cards' comments loaded), then while
  // the reader scrolls three screens down with the wheel (cards mounted as they come into view ask
  // for their comments; each holds placeholders meanwhile).
  const shiftSince = (t: number) => page.evaluate((t) => (window as unknown as { __bench: Bench }).__bench.shifts.filter(([s, , input]) => s >= t && !input).reduce((n, [, v]) => n + v, 0), t);
  const loadShift = await shiftSince(0);
  const scrolled = await page.evaluate(() => performance.now());
  await page.mouse.move(400, 450);
  for (let i = 0; i < 3; i++) {
    await page.mouse.wheel(0, 800);
    await settle(page, 400);
  }
  const scrollShift = await shiftSince(scrolled);
  await page.close();
  return { ...m, loadShift, scrollShift, longtaskSeen, at };
}
type Load = Awaited<ReturnType<typeof load>>;

/** Opens the composer of the `nth` card on screen that has an "Add a comment"; returns its id and how long that took. */
async function openComposer(page: Page, nth: number) {
  const ids = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.threads-beside [data-thread-id]')]
    .filter((c) => { const r = c.querySelector('.add-comment')?.getBoundingClientRect(); return r && r.top > 80 && r.bottom < innerHeight - 40; })
    .map((c) => c.dataset.threadId!));
  const id = ids[nth % Math.max(1, ids.length)];
  const t0 = await page.evaluate(() => performance.now());
  await page.locator(id ? `[data-thread-id="${id}"] .add-comment` : '.threads-beside .add-comment').first().click();
  const box = page.getByRole('textbox', { name: 'Comment' });
  await box.waitFor();
  await box.click();
  await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'textbox');
  const focusMs = (await page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0))))) - t0;
  await settle(page, 300);
  const t1 = await page.evaluate(() => performance.now());
  // Count DOM changes in the margin outside the focused card from here on.
  await page.evaluate((id) => {
    const b = (window as unknown as { __bench: Bench }).__bench;
    const card = document.querySelector(`[data-thread-id="${CSS.escape(id)}"]`);
    new MutationObserver((records) => records.forEach((r) => { if (!card?.contains(r.target)) b.marginMutations++; }))
      .observe(document.querySelector('.sidebar')!, { subtree: true, childList: true, attributes: true, characterData: true });
  }, id ?? '');
  return { id, focusMs, t1 };
}

async function typing(context: BrowserContext, doc: Doc, nth: number) {
  const { page } = await open(context, doc);
  try {
    await settle(page, 500);
    const { focusMs, t1 } = await openComposer(page, nth);
    await page.keyboard.type(TEXT, { delay: KEY_DELAY });
    await settle(page, 300);
    const typed = await page.getByRole('textbox', { name: 'Comment' }).innerText();
    const b = await page.evaluate(() => (window as unknown as { __bench: Bench }).__bench);
    const keydowns = b.events.filter(([s], i) => b.eventNames[i] === 'keydown' && s >= t1);
    return {
      toPaint: b.keys.filter(([s]) => s >= t1).map(([, d]) => d),
      eventTiming: keydowns.map(([, d]) => d), // only keys ≥ 16 ms have one
      focusMs, ok: typed.trim() === TEXT.trim(), marginMutations: b.marginMutations,
      longest: max(b.longtasks.filter(([s]) => s >= t1).map(([, d]) => d)),
    };
  } finally {
    await page.close();
  }
}

type Trace = { traceEvents: { name: string; ph: string; ts: number; dur?: number; tid: number; args?: { name?: string } }[] };
type CpuProfile = { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }[]; samples?: number[]; timeDeltas?: number[] };
type Coverage = { result: { url: string; functions: { functionName: string; ranges: { startOffset: number; endOffset: number; count: number }[] }[] }[] };

/** Our functions, recognised in the minified bundle by their source (the smallest function that matches). */
const OURS: [string, RegExp[]][] = [
  ['anchorTops (lib/client/anchor-tops.ts)', [/getClientRects\(\)\[0\]/]],
  ['textNodes (lib/client/css-highlights.ts)', [/\[data-o\]/, /createTreeWalker/, /data-o"\)/]],
  ['placeCards (lib/client/margin-layout.ts)', [/Array\(/, /\.anchor\b/, /\.height\b/, /Math\.min\(/]], // inlined into its useMemo
  ['BesideList render (thread-list.tsx)', [/threads threads-beside/]],
  ['paintHighlights (lib/client/css-highlights.ts)', [/-resolved/, /highlights\.set\(/]],
];

const found = new Map<string, { url: string; start: number; end: number }>();

/** Runs `action` under the CPU profiler, precise coverage (call counts) and a timeline trace. */
async function profiled(browser: Browser, page: Page, cdp: CDPSession, action: () => Promise<unknown>) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
  await cdp.send('Profiler.takePreciseCoverage'); // resets the counts: only what `action` runs is counted
  await browser.startTracing(page, { categories: ['devtools.timeline', 'toplevel'] });
  await cdp.send('Profiler.start');
  await action();
  const { profile: p } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  const coverage = (await cdp.send('Profiler.takePreciseCoverage')) as unknown as Coverage;
  await cdp.send('Profiler.stopPreciseCoverage');
  const trace = JSON.parse((await browser.stopTracing()).toString()) as Trace;

  const sources = new Map<string, Promise<string>>();
  const source = (url: string) => sources.get(url) ?? sources.set(url, fetch(url).then((r) => r.text(), () => '')).get(url)!;
  // Self and inclusive time per profile node.
  const self = new Map<number, number>();
  p.samples?.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas?.[i] ?? 0) / 1000));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const total = new Map<number, number>();
  const inclusive = (id: number): number => {
    if (total.has(id)) return total.get(id)!;
    const t = (self.get(id) ?? 0) + (byId.get(id)?.children ?? []).reduce((s, c) => s + inclusive(c), 0);
    total.set(id, t);
    return t;
  };
  const parent = new Map<number, number>();
  p.nodes.forEach((n) => n.children?.forEach((c) => parent.set(c, n.id)));

  // JS self time per function, top 10.
  const byFn = new Map<string, number>();
  for (const n of p.nodes.filter((n) => !['(idle)', '(root)', '(program)'].includes(n.callFrame.functionName))) {
    const f = n.callFrame;
    const key = f.url ? `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/_next\//, '')}:${f.lineNumber + 1}:${f.columnNumber + 1}` : f.functionName;
    byFn.set(key, (byFn.get(key) ?? 0) + (self.get(n.id) ?? 0));
  }
  const functions = await Promise.all([...byFn].sort((a, b) => b[1] - a[1]).slice(0, 10).map(async ([name, t]) => {
    const [, url, line, col] = /^\S+ (\S+):(\d+):(\d+)$/.exec(name) ?? [];
    const src = url ? (await source(`${BASE}/_next/${url}`)).split('\n')[+line - 1]?.slice(+col - 1, +col + 59) : undefined;
    return { name, ms: Math.round(t), src };
  }));

  // Our functions: the smallest covered function whose source matches, its call count, and the
  // inclusive time of the profile nodes that start where it starts (outermost only).
  // Found once (a load compiles them all), then looked up by position: a later run's coverage
  // leaves out functions that were not called.
  const ours = [];
  const scripts = coverage.result.filter((s) => s.url.startsWith(`${BASE}/_next/`));
  const texts = new Map(await Promise.all(scripts.map(async (s) => [s.url, await source(s.url)] as const)));
  for (const [label, patterns] of OURS) {
    let best = found.get(label) ?? null;
    if (!best) {
      for (const s of scripts) {
        const text = texts.get(s.url) ?? '';
        for (const f of s.functions) {
          const { startOffset: start, endOffset: end } = f.ranges[0];
          if (best && end - start >= best.end - best.start) continue;
          if (patterns.every((re) => re.test(text.slice(start, end)))) best = { url: s.url, start, end };
        }
      }
      if (best) found.set(label, best);
    }
    if (!best) { ours.push({ label, found: false, calls: 0, ms: 0 }); continue; }
    const at0 = best;
    const calls = coverage.result.find((s) => s.url === at0.url)?.functions.find((f) => f.ranges[0].startOffset === at0.start)?.ranges[0].count ?? 0;
    const text = texts.get(best.url) ?? (await source(best.url));
    const lineStarts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    const at = (n: (typeof p.nodes)[number]) => n.callFrame.url === best!.url && lineStarts[n.callFrame.lineNumber] + n.callFrame.columnNumber >= best!.start && lineStarts[n.callFrame.lineNumber] + n.callFrame.columnNumber < best!.start + 40;
    const matching = new Set(p.nodes.filter(at).map((n) => n.id));
    const outermost = [...matching].filter((id) => { for (let q = parent.get(id); q !== undefined; q = parent.get(q)) if (matching.has(q)) return false; return true; });
    ours.push({ label, found: true, calls, ms: outermost.reduce((s, id) => s + inclusive(id), 0) });
  }

  // Main thread: total per event name, and style/layout forced from script (nested in a script event).
  const main = trace.traceEvents.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid;
  const xs = trace.traceEvents.filter((e) => e.tid === main && e.ph === 'X' && e.dur).sort((a, b) => a.ts - b.ts);
  const byEvent = new Map<string, number>();
  let scriptEnd = 0;
  for (const e of xs) {
    if (['FunctionCall', 'EvaluateScript', 'TimerFire', 'FireAnimationFrame', 'RunMicrotasks', 'EventDispatch'].includes(e.name)) scriptEnd = Math.max(scriptEnd, e.ts + e.dur!);
    const name = (e.name === 'UpdateLayoutTree' || e.name === 'Layout') && e.ts < scriptEnd ? `${e.name} (forced by script)` : e.name;
    byEvent.set(name, (byEvent.get(name) ?? 0) + e.dur! / 1000);
  }
  const events = [...byEvent].filter(([n]) => !/RunTask$|^Receive mojo|^BlinkScheduler/.test(n) && !n.startsWith('V8.')).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([name, t]) => ({ name, ms: Math.round(t) }));
  const busy = trace.traceEvents.filter((e) => e.tid === main && e.ph === 'X' && /^(ThreadControllerImpl::)?RunTask$/.test(e.name)).reduce((s, e) => s + e.dur! / 1000, 0);
  const program = Math.round(p.nodes.filter((n) => n.callFrame.functionName === '(program)').reduce((s, n) => s + (self.get(n.id) ?? 0), 0));
  return { functions, ours, events, busy: Math.round(busy), program };
}

async function profileLoad(browser: Browser, context: BrowserContext, doc: Doc) {
  const page = await context.newPage();
  try {
    await page.goto(`${BASE}/signin`);
    const cdp = await context.newCDPSession(page);
    return await profiled(browser, page, cdp, async () => { await open(context, doc, page); await page.waitForTimeout(1000); });
  } finally {
    await page.close();
  }
}

async function profileTyping(browser: Browser, context: BrowserContext, doc: Doc) {
  const { page } = await open(context, doc);
  try {
    await settle(page, 500);
    await openComposer(page, 0);
    const cdp = await context.newCDPSession(page);
    return await profiled(browser, page, cdp, async () => { await page.keyboard.type(TEXT, { delay: KEY_DELAY }); await settle(page, 300); });
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
    const json = { ...auth, 'content-type': 'application/json' };
    const { id: articleId, text: articleText } = await firstDocument(BASE, auth);
    const create = async (title: string, source: string) => {
      const res = await fetch(`${BASE}/api/documents`, { method: 'POST', headers: json, body: JSON.stringify({ title, format: 'markdown', source }) });
      if (!res.ok) throw new Error(`could not create "${title}" (${res.status}): ${await res.text()}`);
      return ((await res.json()) as { document: { id: string } }).document.id;
    };
    const source = longArticle(10_000);
    const longId = await create('Bench: ten thousand words', source);
    // A copy of the default article (its content published as the copy's second revision).
    const copyId = await create('Bench: the default article, few highlights', '# Copy');
    const full = (await (await fetch(`${BASE}/api/documents/${articleId}`, { headers: auth })).json()) as { document: { revision: { content: unknown } } };
    const rev = await fetch(`${BASE}/api/documents/${copyId}/revisions`, { method: 'POST', headers: json, body: JSON.stringify({ content: full.document.revision.content }) });
    if (!rev.ok) throw new Error(`could not copy the default article (${rev.status}): ${await rev.text()}`);

    sql = postgres(readFileSync(`${DATA_DIR}/database-url`, 'utf8'), { max: 2, onnotice: () => {} });
    const [{ id: authorId }] = await sql<{ id: string }[]>`SELECT id FROM "User" WHERE email = ${USER.email}`;
    const t0 = performance.now();
    const words = articleText.split(/\s+/).length;
    const docs: Doc[] = [
      { name: 'default article', id: articleId, words, count: await seed(sql, articleId, authorId, rng(1), N), mode: 'CSS highlights' },
      { name: '10k-word document', id: longId, words: source.split(/\s+/).length, count: await seed(sql, longId, authorId, rng(2), N), mode: 'CSS highlights' },
      { name: 'default article (copy)', id: copyId, words, count: await seed(sql, copyId, authorId, rng(1), SMALL), mode: 'elements' },
    ];
    for (const d of docs) d.mode = d.count > 300 ? 'CSS highlights' : 'elements'; // SPAN_LIMIT (lib/client/css-highlights.ts)
    // As a real document's tables would be long after its rows were written, one by one: else the
    // plans know nothing of them (the plan for _count took ~1 s) until autovacuum's first pass,
    // which then runs in the middle of the loads (a 183 and a 355 ms TTFB, on 2026-11-27, were
    // during it).
    await sql`VACUUM ANALYZE "Annotation", "Comment", "Event"`;
    const seedMs = performance.now() - t0;

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(instrument);
    const page = await context.newPage(); // sign in through the form, as e2e/helpers.ts signIn does
    await page.goto(`${BASE}/signin`).then(() => page.getByLabel('Email').fill(USER.email)).then(() => page.getByLabel('Password').fill(USER.password));
    await page.getByRole('button', { name: 'Sign in' }).click().then(() => page.getByRole('heading', { name: 'Documents' }).waitFor()).then(() => page.close());

    const keys = ['ttfb', 'fcp', 'painted', 'fromDcl', 'anchoring', 'ranges', 'highlightWork', 'margin', 'longest', 'loaf', 'over50', 'over100', 'list', 'runtime', 'loadShift', 'scrollShift'] as const;
    const fail = (e: Error) => ({ error: e.message });
    const results = [];
    for (const d of docs) {
      const runs: Load[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await load(context, d, i === 0));
      if (!runs[0].longtaskSeen) console.error(`reader-load: the 'longtask' observer missed an 80 ms task on ${d.name}`);
      const rest = runs.slice(1);
      const stats = Object.fromEntries(keys.map((k) => [k, stat(rest.map((r) => r[k]))])) as Record<(typeof keys)[number], Stat>;
      const sessions = [];
      for (let i = 0; i < TYPING_RUNS; i++) sessions.push(await typing(context, d, i).catch(fail));
      const good = sessions.filter((s): s is Exclude<typeof s, { error: string }> => !('error' in s));
      const typingStats = {
        sessions: good.length, errors: sessions.filter((s) => 'error' in s).map((s) => (s as { error: string }).error), typedOk: good.every((s) => s.ok),
        toPaint: stat(good.flatMap((s) => s.toPaint)), keys: good.reduce((n, s) => n + s.toPaint.length, 0),
        // A key without a keydown entry took < 16 ms: counted as 16, so these are upper bounds.
        eventTiming: stat(good.flatMap((s) => [...s.eventTiming, ...Array<number>(Math.max(0, s.toPaint.length - s.eventTiming.length)).fill(16)])), over16: good.reduce((n, s) => n + s.eventTiming.length, 0),
        focus: stat(good.map((s) => s.focusMs)), marginMutations: good.reduce((n, s) => n + s.marginMutations, 0), longest: max(good.map((s) => s.longest).filter(Number.isFinite)),
      };
      const noProfile = process.argv.includes('--no-profile');
      results.push({
        ...d, ...stats, warmup: runs[0], loads: rest.length,
        // Each load in order: when it started, then TTFB, nav → painted, the HTML's last byte, the
        // list asked, its first and its last byte (ms): a slow load's moment, to set against what
        // else ran then, and where its time went.
        series: rest.map((r) => [r.at.slice(11, 23), ...[r.ttfb, r.painted, r.htmlEnd, r.listAsked, r.listFirstByte, r.list].map(Math.round)]),
        elements: rest[0].elements, distinct: rest[0].distinct, cssRanges: rest[0].cssRanges, cards: rest[0].cards, htmlKb: rest[0].htmlKb,
        typing: typingStats,
        profile: noProfile ? null : await profileLoad(browser, context, d).catch(fail),
        typingProfile: noProfile ? null : await profileTyping(browser, context, d).catch(fail),
      });
    }

    // PostgreSQL's own background work on the seeded tables, to set against the slow loads' moments.
    const vacuums = await sql`SELECT relname, last_autovacuum, last_autoanalyze, autovacuum_count, autoanalyze_count FROM pg_stat_user_tables WHERE relname IN ('Annotation', 'Comment', 'Event')`;
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, Chromium ${browser.version()}`;
    console.log(`\n### ${new Date().toISOString().slice(0, 10)} — ${machine}\n`);
    console.log(`Annotations seeded in ${seedMs.toFixed(0)} ms. ${RUNS} loads per document, the first a warm-up; p50 / p95 / max of the other ${RUNS - 1}, in ms. Targets: anchoring + painting ≤ 300 ms, no task over 100 ms, keystroke → paint p95 ≤ 50 ms.\n`);
    console.log('| document | highlights (drawn as) | nav → painted | anchoring + painting | ranges built + registered | highlight work (start → painted) | nav → margin placed | longest task | longest animation frame | tasks > 50 / > 100 ms (p50) | TTFB | FCP | nav → threads\' list in | nav → client runtime |');
    console.log(`|${'---|'.repeat(14)}`);
    for (const r of results) {
      console.log(`| ${r.name} (${r.words} words, HTML ${r.htmlKb.toFixed(0)} kB) | ${r.count} (${r.mode}: ${r.elements} elements, ${r.cssRanges} ranges; ${r.cards} cards mounted) | ${fmt(r.painted)} | ${fmt(r.anchoring)} | ${fmt(r.ranges)} | ${fmt(r.highlightWork)} | ${fmt(r.margin)} | ${fmt(r.longest)} | ${fmt(r.loaf)} | ${ms(r.over50.p50)} / ${ms(r.over100.p50)} | ${fmt(r.ttfb)} | ${fmt(r.fcp)} | ${fmt(r.list)} | ${fmt(r.runtime)} |`);
    }
    console.log('\nLayout shift (the sum of layout-shift scores, as CLS adds them; 0.1 is "good"), p50 / p95 / max:\n');
    console.log('| document | during the load | scrolling three screens down (cards mounted and their comments loaded on the way) |');
    console.log(`|${'---|'.repeat(3)}`);
    const score = (n: number) => (Number.isFinite(n) ? n.toFixed(3) : 'n/a');
    for (const r of results) console.log(`| ${r.name} | ${fmt(r.loadShift, score)} | ${fmt(r.scrollShift, score)} |`);
    for (const r of results) {
      const slow = r.series.filter(([, ttfb]) => (ttfb as number) > 3 * r.ttfb.p50);
      if (slow.length) console.log(`\n${r.name}: loads with a TTFB over 3× the median: ${slow.map(([at, ttfb, painted]) => `${at} (TTFB ${ttfb}, painted ${painted})`).join(', ')}.`);
    }
    console.log(`\nPostgreSQL's autovacuum on the seeded tables: ${vacuums.map((v) => `${v.relname} vacuumed ${v.last_autovacuum?.toISOString().slice(11, 23) ?? 'never'}, analysed ${v.last_autoanalyze?.toISOString().slice(11, 23) ?? 'never'}`).join('; ')}.`);
    console.log(`\nTyping: ${TYPING_RUNS} sessions per document, ${KEYS} keys each at ${KEY_DELAY} ms a key, p50 / p95 / max in ms.\n`);
    console.log('| document | highlights (drawn as) | keystroke → paint | keys | keys ≥ 16 ms by Event Timing: keydown duration (keys < 16 ms counted as 16) | opening the composer | longest task while typing | margin mutations outside the card | text typed intact |');
    console.log(`|${'---|'.repeat(9)}`);
    for (const r of results) {
      const t = r.typing;
      console.log(`| ${r.name} | ${r.count} (${r.mode}) | ${fmt(t.toPaint, ms1)} | ${t.keys} | ${t.over16}: ${fmt(t.eventTiming)} | ${fmt(t.focus)} | ${ms(t.longest)} | ${t.marginMutations} | ${t.typedOk ? 'yes' : 'NO'} |`);
      if (t.errors.length) console.log(`\ntyping on ${r.name} failed ${t.errors.length}×: ${t.errors[0]}`);
    }
    for (const r of results) {
      for (const [what, p] of [['load', r.profile], ['typing', r.typingProfile]] as const) {
        if (!p) continue;
        console.log(`\n#### Profiled ${what} (profiler + coverage + tracing on): ${r.name}, ${r.count} highlights\n`);
        if ('error' in p) { console.log(`profile failed: ${p.error}`); continue; }
        console.log(`Main thread busy ${p.busy} ms (sum of tasks in the trace).\n`);
        console.log('| our function | calls | inclusive ms |\n|---|---|---|');
        p.ours.forEach((o) => console.log(`| ${o.label} | ${o.found ? o.calls : 'not found'} | ${o.found ? ms1(o.ms) : ''} |`));
        console.log(`\n| JS self time, top 10 (plus ${p.program} ms "(program)": native work outside JS) | ms | source starts |\n|---|---|---|`);
        p.functions.forEach((f) => console.log(`| \`${f.name}\` | ${f.ms} | ${f.src ? `\`${f.src.replace(/\|/g, '\\|').replace(/`/g, "'")}\`` : ''} |`));
        console.log('\n| main-thread trace event (nested events also counted in their parents) | ms |\n|---|---|');
        p.events.forEach((f) => console.log(`| ${f.name} | ${f.ms} |`));
      }
    }
    console.log(`\n${JSON.stringify({ bench: 'P3', date: new Date().toISOString(), machine, annotations: N, small: SMALL, runs: RUNS, typingRuns: TYPING_RUNS, keys: KEYS, keyDelay: KEY_DELAY, seedMs, vacuums, results })}`);
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
