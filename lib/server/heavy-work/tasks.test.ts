import { describe, expect, it } from 'vitest';
import { MAX_ARTICLE_NODES } from '@/lib/domain/article-limits';
import { runTask } from './tasks';

const TIMEOUT = { timeout: 60_000 };
const reason = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { details?: { reason?: string } }).details?.reason ?? String(e);
  }
  return 'accepted';
};

describe('import limits', () => {
  it('refuses sources that explode into more elements than an article may have (422 too_many_nodes)', TIMEOUT, () => {
    expect(reason(() => runTask({ kind: 'import', format: 'markdown', source: '*a'.repeat(1_000_000) }))).toBe('too_many_nodes');
    expect(reason(() => runTask({ kind: 'import', format: 'markdown', source: '- a\n'.repeat(500_000) }))).toBe('too_many_nodes');
    expect(reason(() => runTask({ kind: 'import', format: 'html', source: '<td>x'.repeat(400_000) }))).toBe('too_many_nodes');
  });

  it('refuses editor JSON with more nodes than that, before checking it', TIMEOUT, () => {
    const paragraphs = Array.from({ length: MAX_ARTICLE_NODES / 2 + 1 }, () => ({ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }));
    expect(reason(() => runTask({ kind: 'content', content: { type: 'doc', content: paragraphs } }))).toBe('too_many_nodes');
  });

  it('accepts two MiB of ordinary prose, and answers its content serialised', TIMEOUT, () => {
    const source = 'Some *ordinary* text with a [link](https://example.org) and `code`.\n\n'.repeat(30_000);
    const out = runTask({ kind: 'import', format: 'markdown', source });
    expect('contentJson' in out && typeof out.contentJson).toBe('string');
    if (!('contentJson' in out)) return;
    const content = JSON.parse(out.contentJson) as { content: unknown[] };
    expect(content.content).toHaveLength(30_000);
    expect(out.text.startsWith('Some ordinary text with a link and code.')).toBe(true);
  });
});
