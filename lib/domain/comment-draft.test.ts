import { describe, expect, it } from 'vitest';
import { parseCommentBody } from './comment-body';
import { commentCounter, commentLength, linkTrailingUrl, MAX_COMMENT_CHARS } from './comment-draft';
import { commentSchema } from './comment-schema';
import type { JsonNode } from './document-text';

const t = (text: string, ...marks: JsonNode['marks'] & object): JsonNode => (marks.length ? { type: 'text', text, marks } : { type: 'text', text });
const p = (...content: JsonNode[]): JsonNode => ({ type: 'paragraph', content });
const doc = (...content: JsonNode[]): JsonNode => ({ type: 'doc', content });
const link = (href: string) => ({ type: 'link', attrs: { href } });
const bold = { type: 'bold' };

describe('commentLength', () => {
  it('counts as the server does: blocks and hard breaks as one character each', () => {
    const body = doc(p(t('one'), { type: 'hardBreak' }, t('two')), { type: 'bulletList', content: [{ type: 'listItem', content: [p(t('item'))] }] }, p(t('end')));
    expect(commentLength(commentSchema().nodeFromJSON(body))).toBe(parseCommentBody(body).text.length);
  });
});

describe('commentCounter', () => {
  it('is hidden below 90 % of the limit', () => {
    expect(commentCounter(17_999)).toMatchObject({ show: false, over: false, announcement: '' });
  });

  it('shows "18,500 / 20,000" from 90 % on, announcing once that the limit is near', () => {
    expect(commentCounter(18_000)).toMatchObject({ show: true, over: false });
    expect(commentCounter(18_500).label).toBe('18,500 / 20,000');
    expect(commentCounter(20_000)).toMatchObject({ show: true, over: false, label: '20,000 / 20,000' });
    // The same announcement all the way: a screen reader hears it once, not per keystroke.
    expect(commentCounter(18_001).announcement).toBe(commentCounter(19_999).announcement);
  });

  it('turns to an error past the limit', () => {
    const c = commentCounter(20_015);
    expect(c).toMatchObject({ show: true, over: true, label: '20,015 / 20,000: 15 too many' });
    expect(c.announcement).toMatch(/shorten it to post/);
    expect(commentCounter(20_001).announcement).toBe(c.announcement);
  });

  it('uses the limit the server enforces', () => {
    expect(() => parseCommentBody(doc(p(t('x'.repeat(MAX_COMMENT_CHARS + 1)))))).toThrow(/at most 20,000/);
  });
});

describe('linkTrailingUrl', () => {
  it.each<[string, JsonNode, JsonNode]>([
    ['a URL after a space', doc(p(t('see https://example.com/a?b=1'))), doc(p(t('see '), t('https://example.com/a?b=1', link('https://example.com/a?b=1'))))],
    ['a URL alone', doc(p(t('http://x.test'))), doc(p(t('http://x.test', link('http://x.test'))))],
    ['sentence punctuation stays outside', doc(p(t('look: https://x.test/p.'))), doc(p(t('look: '), t('https://x.test/p', link('https://x.test/p')), t('.')))],
    ['balanced parentheses stay inside', doc(p(t('(https://en.wikipedia.org/wiki/A_(b))'))), doc(p(t('('), t('https://en.wikipedia.org/wiki/A_(b)', link('https://en.wikipedia.org/wiki/A_(b)')), t(')')))],
    ['after a hard break', doc(p(t('x'), { type: 'hardBreak' }, t('https://x.test'))), doc(p(t('x'), { type: 'hardBreak' }, t('https://x.test', link('https://x.test'))))],
    ['keeping its other marks', doc(p(t('b https://x.test', bold))), doc(p(t('b ', bold), t('https://x.test', bold, link('https://x.test'))))],
    ['in the last list item', doc({ type: 'bulletList', content: [{ type: 'listItem', content: [p(t('https://x.test'))] }] }), doc({ type: 'bulletList', content: [{ type: 'listItem', content: [p(t('https://x.test', link('https://x.test')))] }] })],
  ])('links %s', (_name, input, expected) => {
    expect(linkTrailingUrl(input)).toEqual(expected);
    // And the server keeps the link.
    expect(parseCommentBody(linkTrailingUrl(input)).html).toMatch(/<a href="https?:\/\//);
  });

  it.each<[string, JsonNode]>([
    ['not at the end', doc(p(t('https://x.test then more')))],
    ['followed by another paragraph', doc(p(t('https://x.test')), p(t('more')))],
    ['already a link', doc(p(t('https://x.test', link('https://x.test'))))],
    ['another scheme', doc(p(t('see javascript:alert(1) ftp://x.test mailto:a@b.test')))],
    ['glued to a word', doc(p(t('xhttps://x.test')))],
    ['glued to the node before', doc(p(t('word', bold), t('https://x.test')))],
    ['without a host', doc(p(t('https://')))],
    ['no text', doc(p())],
  ])('leaves a comment alone: %s', (_name, input) => {
    expect(linkTrailingUrl(input)).toEqual(input);
  });
});
