/**
 * Stored XSS, end to end, with the CSP on. A corpus of payloads (e2e/fixtures/xss-payloads.ts)
 * goes in through the API wherever text is stored: document titles, imported Markdown and HTML
 * sources (batched, and one document per payload in each format), comments (as text, as link
 * hrefs, and inside safe hrefs) and user names. Then the pages that show them are opened in
 * Chromium, and on each: no dialog opened, the canary `__xss()` that every payload would call
 * was never called, no CSP violation was reported (an injected element the CSP had to stop
 * means the sanitising failed), no element carries an event-handler attribute or a
 * javascript:/vbscript:/data:text/html URL, user content holds no active element, and the
 * payloads are shown as the text they are.
 */
import { EARLY_PAINT_SCRIPT } from '@/generated/early-paint';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { CANARY, URL_PAYLOADS, XSS_PAYLOADS } from './fixtures/xss-payloads';
import { makeAdmin, newUser, signUp, watchCspViolations } from './helpers';

type Json = Record<string, unknown>;
interface JsonNode { type: string; text?: string; attrs?: Json; marks?: { type: string; attrs?: Json }[]; content?: JsonNode[] }

const doc = (paragraphs: JsonNode[][]): JsonNode => ({ type: 'doc', content: paragraphs.map((content) => ({ type: 'paragraph', content })) });
const text = (t: string, href?: string): JsonNode => (href === undefined ? { type: 'text', text: t } : { type: 'text', text: t, marks: [{ type: 'link', attrs: { href } }] });

/** Groups strings into chunks whose joined length stays under `max`. */
function chunks(items: readonly string[], max: number, sep = 1): string[][] {
  const out: string[][] = [[]];
  let len = 0;
  for (const item of items) {
    if (len + item.length + sep > max && out[out.length - 1].length) {
      out.push([]);
      len = 0;
    }
    out[out.length - 1].push(item);
    len += item.length + sep;
  }
  return out;
}

/** Every link href in a Tiptap JSON tree. */
function hrefs(node: JsonNode): string[] {
  const own = (node.marks ?? []).filter((m) => m.type === 'link').map((m) => String(m.attrs?.href));
  return [...own, ...(node.content ?? []).flatMap(hrefs)];
}
const SAFE_HREF = /^(https?:|mailto:)/i;
/** The HTML parser turns a carriage return into a line feed, as it must. */
const crlf = (t: string) => t.replace(/\r\n?/g, '\n');

async function ok(res: Promise<import('@playwright/test').APIResponse>, status = 201): Promise<Json> {
  const r = await res;
  expect(r.status(), await r.text()).toBe(status);
  return (await r.json()) as Json;
}

/** Runs `fn` over `items`, `width` at a time. */
async function inBatches<T, R>(items: readonly T[], width: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width) out.push(...(await Promise.all(items.slice(i, i + width).map((item, j) => fn(item, i + j)))));
  return out;
}

async function signedInRequest(playwright: { request: { newContext(o: { baseURL: string }): Promise<APIRequestContext> } }, baseURL: string, email: string, password: string): Promise<APIRequestContext> {
  const req = await playwright.request.newContext({ baseURL });
  const { csrfToken } = (await (await req.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const res = await req.post('/api/auth/callback/credentials', { form: { csrfToken, email, password }, maxRedirects: 0 });
  expect(res.status(), 'signed in').toBeLessThan(400);
  return req;
}

/** Everything the page must not show, read from the live DOM. */
async function inspect(page: Page) {
  return page.evaluate(([canary, painter]) => {
    const w = window as unknown as Record<string, unknown>;
    const bad: string[] = [];
    const dangerousUrl = (v: string) => /^(javascript|vbscript|livescript):|^data:(text\/html|application\/xhtml|image\/svg)/i.test(v.replace(/[\u0000-\u0020\u00a0]+/g, ''));
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const a of Array.from(el.attributes)) {
        if (/^on/i.test(a.name)) bad.push(`<${el.localName} ${a.name}="${a.value}">`);
        if (/^(href|src|action|formaction|xlink:href|data|srcdoc|poster|background|codebase|cite|ping)$/i.test(a.name) && dangerousUrl(a.value)) bad.push(`<${el.localName} ${a.name}="${a.value}">`);
      }
      // A script that is neither the request's nonce-carrying one, a build chunk nor, to the byte,
      // the document page's early painter (allowed by its hash) was injected.
      const script = el as HTMLScriptElement;
      if (el.localName === 'script' && !script.nonce && !script.src.includes('/_next/') && !(script.dataset.plan !== undefined && script.text === painter)) bad.push(`<script> ${el.outerHTML.slice(0, 80)}`);
    }
    const active = 'script,iframe,frame,frameset,object,embed,applet,base,link,meta,style,form,input,button,textarea,select,svg,math,img,video,audio,source,template,details,marquee';
    for (const root of Array.from(document.querySelectorAll('.article-body, .comment-body, .doc-title, .crumb-title, .comment-author'))) {
      for (const el of Array.from(root.querySelectorAll(active))) bad.push(`in user content: <${el.localName}>`);
    }
    return { bad, fired: (w[`${canary}Fired`] as string[]) ?? ['canary missing'], violations: (w.__cspViolations as string[]) ?? [] };
  }, [CANARY, EARLY_PAINT_SCRIPT]);
}

test('stored XSS: hundreds of payloads in every stored text field render inert under the CSP', async ({ browser, playwright, baseURL }) => {
  test.setTimeout(180_000);
  expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(200);

  // The admin who imports everything has a payload for a name (shown in the header of every page).
  const context = await browser.newContext();
  const page = await context.newPage();
  const admin = { ...newUser('Admin'), name: `<img src=x onerror=${CANARY}()>"><svg onload=${CANARY}()>` };
  await signUp(page, admin);
  await makeAdmin(admin.email);
  const api = page.request;

  // 1. One document per payload: the payload is its title and its whole source, alternately
  //    HTML and Markdown (each imported alone, so no payload can hide inside another).
  const titled = await inBatches(XSS_PAYLOADS, 8, async (payload, i) => {
    const format = i % 2 ? 'markdown' : 'html';
    const res = await api.post('/api/documents', { data: { title: payload.slice(0, 300), format, source: payload } });
    if (res.status() === 201) return (await res.json()) as { document: { id: string; title: string; revision: { content: JsonNode } } };
    // A source that imports to nothing may be refused; the title alone still goes in.
    return (await ok(api.post('/api/documents', { data: { title: payload.slice(0, 300), format: 'text', source: `payload ${i}` } }))) as { document: { id: string; title: string; revision: { content: JsonNode } } };
  });
  const unsafeImported = titled.flatMap((t) => hrefs(t.document.revision.content)).filter((h) => !SAFE_HREF.test(h));
  expect(unsafeImported, 'imports keep only http/https/mailto links').toEqual([]);

  // 2. All payloads in one Markdown and one HTML document (the pages that get opened).
  const md = (await ok(api.post('/api/documents', { data: { title: 'XSS corpus (Markdown)', format: 'markdown', source: XSS_PAYLOADS.join('\n\n') } }))) as { document: { id: string; revision: { id: string; text: string; content: JsonNode } } };
  const html = (await ok(api.post('/api/documents', { data: { title: 'XSS corpus (HTML)', format: 'html', source: XSS_PAYLOADS.map((p) => `<div>${p}</div>`).join('\n') } }))) as { document: { id: string; revision: { content: JsonNode } } };
  expect([...hrefs(md.document.revision.content), ...hrefs(html.document.revision.content)].filter((h) => !SAFE_HREF.test(h))).toEqual([]);

  // 3. Comments on the Markdown document: payloads as text, as link hrefs, and inside safe hrefs.
  const mdId = md.document.id;
  const start = md.document.revision.text.search(/\S/);
  const quote = md.document.revision.text.slice(start, start + 12);
  const target = { quote: { exact: quote }, position: { start, end: start + quote.length } };
  const textChunks = chunks(XSS_PAYLOADS, 6000).map((c) => doc(c.map((p) => [text(p)])));
  const linkBody = doc([[...[...URL_PAYLOADS, ...XSS_PAYLOADS].map((h, i) => text(`link ${i} `, h))]]);
  const wrappedBody = doc(chunks(XSS_PAYLOADS, 4000).map((c) => c.map((p, i) => text(`safe ${i} `, `https://example.org/?q=${p}#"><script>${CANARY}()</script>`))));
  const threads: string[] = [];
  for (const [first, ...rest] of [textChunks, [linkBody], [wrappedBody]]) {
    const created = (await ok(api.post(`/api/documents/${mdId}/annotations`, { data: { tag: 'evidence', target, comment: { body: first } } }))) as { annotation: { id: string } };
    threads.push(created.annotation.id);
    for (const body of rest) await ok(api.post(`/api/annotations/${created.annotation.id}/comments`, { data: { body } }));
  }
  const stored = (await ok(api.get(`/api/documents/${mdId}/annotations?include=comments`), 200)) as { comments: { body: JsonNode; html: string }[] };
  expect(stored.comments.flatMap((c) => hrefs(c.body)).filter((h) => !SAFE_HREF.test(h)), 'comment links keep only safe hrefs').toEqual([]);

  // 4. User names: payloads packed into names of at most 100 characters; two of them comment.
  const names = chunks(XSS_PAYLOADS.filter((p) => p.trim().length <= 100), 100).map((c) => c.join(' '));
  const people = await inBatches(names, 4, async (name) => {
    const user = { ...newUser('Named'), name };
    const created = (await ok(api.post('/api/users', { data: user }))) as { user: { name: string } };
    return { ...user, name: created.user.name };
  });
  for (const author of people.slice(0, 2)) {
    const req = await signedInRequest(playwright, baseURL!, author.email, author.password);
    await ok(req.post(`/api/annotations/${threads[0]}/comments`, { data: { body: doc([[text(author.name)]]) } }));
    await req.dispose();
  }
  const placed = XSS_PAYLOADS.length * 4 + URL_PAYLOADS.length + names.length;
  console.log(`xss: ${XSS_PAYLOADS.length} payloads; ${titled.length} titled documents, 2 corpus documents, ${threads.length} threads, ${names.length} user names (${placed} placements)`);

  // 5. Open every page that shows them, as the admin, watching for anything that runs.
  await watchCspViolations(page);
  await page.addInitScript((canary) => {
    const w = window as unknown as Record<string, unknown>;
    w[`${canary}Fired`] = [];
    w[canary] = () => (w[`${canary}Fired`] as string[]).push(location.href);
  }, CANARY);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });

  const surfaces: [string, string, (p: Page) => Promise<void>][] = [
    ['document list', '/', async (p) => {
      // Every title is shown, as the text it is.
      const shown = new Set(await p.locator('.doc-title').allTextContents());
      const missing = titled.map((t) => crlf(t.document.title)).filter((t) => !shown.has(t));
      expect(missing, 'titles shown verbatim').toEqual([]);
    }],
    ['Markdown corpus with threads', `/documents/${mdId}`, async (p) => {
      await expect(p.locator('.comment-body').first()).toBeVisible();
      const commentText = (await p.locator('.comment-body').allTextContents()).join('\n');
      expect(commentText).toContain(`<script>${CANARY}()</script>`);
      expect(commentText).toContain(`<img src=x onerror=${CANARY}()>`);
      expect(await p.locator('.comment-author').allTextContents()).toEqual(expect.arrayContaining([people[0].name, people[1].name]));
      await expect(p.locator('.article-body')).toContainText(`${CANARY}()`);
    }],
    ['HTML corpus', `/documents/${html.document.id}`, async (p) => {
      await expect(p.locator('.article-body')).toContainText(`${CANARY}()`);
    }],
    ['people', '/users', async (p) => {
      await expect(p.locator('tr[data-user-email]')).not.toHaveCount(0);
      const rows = await p.locator('tr[data-user-email]').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-user-email') ?? '', tr.querySelector('td')?.textContent ?? ''] as const));
      const shown = new Map<string, string>(rows);
      for (const person of people) expect(shown.get(person.email), person.email).toContain(crlf(person.name));
    }],
  ];
  for (const [what, path, shows] of surfaces) {
    await page.goto(path);
    await shows(page);
    // Hover and focus what user content there is, in case a handler survived.
    await page.locator('.article-body a, .comment-body a').first().hover({ timeout: 2000 }).catch(() => {});
    const found = await inspect(page);
    expect(dialogs, `${what}: dialogs`).toEqual([]);
    expect(found.fired, `${what}: canary calls`).toEqual([]);
    expect(found.violations, `${what}: CSP violations`).toEqual([]);
    expect(found.bad, `${what}: dangerous markup`).toEqual([]);
  }

  // The detectors are live: markup that did get injected is seen, and the CSP stops it running.
  await page.evaluate((canary) => {
    const box = document.querySelector('.doc-title, td') ?? document.body;
    box.insertAdjacentHTML('beforeend', `<img src=x onerror=${canary}()><a href="javascript:${canary}()">x</a>`);
  }, CANARY);
  await expect.poll(async () => (await inspect(page)).violations.join('\n')).toContain('script-src');
  const planted = await inspect(page);
  expect(planted.bad.join('\n')).toContain('onerror');
  expect(planted.bad.join('\n')).toContain('javascript:');
  expect(planted.fired).toEqual([]);
  await context.close();
});
