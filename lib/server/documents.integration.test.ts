import { NextRequest } from 'next/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GET as health } from '@/app/api/health/route';
import type { AppError } from '@/lib/domain/errors';
import { makeDocument, makeUser, resetDb } from '@/scripts/test/db';
import { createDocument, documentJson, getDocument, importSource } from './documents';
import { configureHeavyWork, DEFAULT_BUDGET_MS, stopHeavyWork } from './heavy-work/pool';
import { createRevision } from './revisions';

const MIB = 1024 * 1024;
const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: AppError) => e.code);
const healthy = async () => (await health(new NextRequest('http://localhost/api/health'), { params: Promise.resolve({}) })).status;

describe('imports run off the request thread', () => {
  beforeEach(async () => {
    await resetDb();
  });
  afterEach(() => configureHeavyWork({ budgetMs: DEFAULT_BUDGET_MS }));

  it('a heavy import is parsed while health checks keep being answered, then answers 201', { timeout: 60_000 }, async () => {
    const admin = await makeUser('admin');
    await createDocument(admin, { title: 'warm-up', format: 'text', source: 'starts the worker' });
    // 2 MiB of unclosed inline tags (quadratic before): far more parsing than a health check's round trip.
    const source = '<b><i>x'.repeat((2 * MIB) / 7);
    let done = false;
    const parsed = Promise.resolve(importSource('html', source)).finally(() => {
      done = true;
    });
    // Were the parsing on this thread, nothing else could run until it ended: no check would finish before it.
    let answeredMeanwhile = 0;
    while (!done && answeredMeanwhile < 5) {
      expect(await healthy()).toBe(200);
      if (!done) answeredMeanwhile++;
    }
    expect(answeredMeanwhile).toBe(5);
    expect((await parsed).text.startsWith('xxx')).toBe(true);
    const d = await createDocument(admin, { title: 'Heavy', format: 'html', source });
    expect(d.document.revision.text).toBe((await parsed).text);
    // The answer carries the content as the worker serialised it, spliced in whole.
    expect(JSON.parse(documentJson(d)).document.revision.content).toEqual(JSON.parse((await parsed).contentJson));
  });

  it('answers 422 when an import exceeds the time budget, and the pool recovers', { timeout: 60_000 }, async () => {
    const admin = await makeUser('admin');
    await createDocument(admin, { title: 'warm-up', format: 'text', source: 'starts the worker' });
    configureHeavyWork({ budgetMs: 50 });
    const source = 'Some *ordinary* text with a [link](https://x.test/).\n\n'.repeat((2 * MIB) / 60);
    const failed = await createDocument(admin, { title: 'Too slow', format: 'markdown', source }).catch((e: AppError) => e);
    expect(failed).toMatchObject({ code: 'unprocessable', details: { reason: 'too_complex', budgetSeconds: 0.1 } });
    expect((failed as AppError).message).toMatch(/too complex to import within 0\.1 s/);
    expect(await healthy()).toBe(200);

    configureHeavyWork({ budgetMs: DEFAULT_BUDGET_MS });
    const ok = await createDocument(admin, { title: 'Fine', format: 'markdown', source: '# Fine\n\nA *small* one.' });
    expect((await getDocument(admin, ok.document.id)).revision.text).toBe('Fine\nA small one.');
  });

  it('a publish whose re-anchoring exceeds the budget is refused (422) and writes nothing', { timeout: 60_000 }, async () => {
    const admin = await makeUser('admin', 'Adm');
    const document = await makeDocument();
    configureHeavyWork({ budgetMs: 50 });
    const source = 'Some *ordinary* text.\n\n'.repeat((2 * MIB) / 25);
    expect(await code(createRevision(admin, document.id, { format: 'markdown', source }))).toBe('unprocessable');
    expect((await getDocument(admin, document.id)).revision.number).toBe(1);
  });

  it('replaces a worker that was stopped', { timeout: 60_000 }, async () => {
    const admin = await makeUser('admin');
    await createDocument(admin, { title: 'one', format: 'text', source: 'one' });
    await stopHeavyWork();
    expect((await createDocument(admin, { title: 'two', format: 'text', source: 'two' })).document.revision.text).toBe('two');
  });

  it('keeps errors of the import as they were: empty is 400', async () => {
    const admin = await makeUser('admin');
    expect(await code(createDocument(admin, { title: 'Empty', format: 'html', source: '<script>x</script>' }))).toBe('bad_request');
  });
});
