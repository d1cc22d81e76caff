import { describe, it, expect } from 'vitest';
import { MAX_COMMENT_CHARS, parseCommentBody, sanitizeCommentHtml } from './comment-body';
import type { JsonNode } from './document-text';
import { AppError, type ErrorCode } from './errors';

type Mark = NonNullable<JsonNode['marks']>[number];
const t = (text: string, ...marks: Mark[]): JsonNode => (marks.length ? { type: 'text', text, marks } : { type: 'text', text });
const p = (...content: JsonNode[]): JsonNode => ({ type: 'paragraph', content });
const doc = (...content: JsonNode[]): JsonNode => ({ type: 'doc', content });
const li = (...content: JsonNode[]): JsonNode => ({ type: 'listItem', content });
const link = (href: string, extra: Record<string, unknown> = {}): Mark => ({ type: 'link', attrs: { href, ...extra } });
const REL = 'rel="noopener noreferrer nofollow"';

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected an AppError, nothing was thrown');
}
const expectCode = (input: unknown, code: ErrorCode) => expect(errorOf(() => parseCommentBody(input)).code).toBe(code);

describe('parseCommentBody: valid bodies', () => {
  it('renders bold, italic and a link, and derives the plain text', () => {
    const r = parseCommentBody(doc(p(t('Hi '), t('bold', { type: 'bold' }), t(' '), t('it', { type: 'italic' }), t(' '), t('site', link('https://example.com/a?b=1')))));
    expect(r.text).toBe('Hi bold it site');
    expect(r.html).toBe(
      `<p>Hi <strong>bold</strong> <em>it</em> <a href="https://example.com/a?b=1" ${REL} target="_blank">site</a></p>`,
    );
  });

  it('nests marks', () => {
    expect(parseCommentBody(doc(p(t('x', { type: 'bold' }, { type: 'italic' })))).html).toMatch(
      /^<p>(<strong><em>x<\/em><\/strong>|<em><strong>x<\/strong><\/em>)<\/p>$/,
    );
  });

  it('renders bullet and ordered lists (with a start) and hard breaks', () => {
    const r = parseCommentBody(
      doc(
        { type: 'bulletList', content: [li(p(t('one'))), li(p(t('two')))] },
        { type: 'orderedList', attrs: { start: 3 }, content: [li(p(t('three'), { type: 'hardBreak' }, t('more')))] },
        { type: 'orderedList', content: [li(p(t('first')))] },
      ),
    );
    expect(r.html).toBe(
      '<ul><li><p>one</p></li><li><p>two</p></li></ul>' +
        '<ol start="3"><li><p>three<br />more</p></li></ol>' +
        '<ol><li><p>first</p></li></ol>',
    );
    expect(r.text).toBe('one\ntwo\nthree\nmore\nfirst');
  });

  it('returns the normalised body that parses again to the same result', () => {
    const r = parseCommentBody(doc(p(t('a', link('mailto:someone@example.com')))));
    expect(r.body.type).toBe('doc');
    expect(parseCommentBody(r.body)).toEqual(r);
  });

  it('keeps http, https and mailto links with a safe rel', () => {
    for (const href of ['http://example.com', 'https://example.com', 'mailto:someone@example.com']) {
      const { html } = parseCommentBody(doc(p(t('l', link(href)))));
      expect(html).toContain(`href="${href}"`);
      expect(html).toContain(REL);
    }
  });

  it('always renders its own rel and target, whatever the mark says', () => {
    const { html } = parseCommentBody(doc(p(t('l', link('https://x.test', { rel: 'opener', target: '_self', class: 'evil' })))));
    expect(html).toBe(`<p><a href="https://x.test" ${REL} target="_blank">l</a></p>`);
  });
});

describe('parseCommentBody: hostile input', () => {
  it.each(['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>'])('escapes %s as text', (payload) => {
    const r = parseCommentBody(doc(p(t(payload))));
    expect(r.text).toBe(payload);
    expect(r.html).not.toMatch(/<(script|img|svg)/i);
    expect(r.html).toContain('&lt;');
    expect(r.html.startsWith('<p>') && r.html.endsWith('</p>')).toBe(true);
  });

  it.each(['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', '/relative'])(
    'removes a %s link mark but keeps the text',
    (href) => {
      const r = parseCommentBody(doc(p(t('click', link(href), { type: 'bold' }))));
      expect(r.html).toBe('<p><strong>click</strong></p>');
      expect(JSON.stringify(r.body)).not.toContain('"link"');
      expect(r.text).toBe('click');
    },
  );

  it('removes a link mark without an href', () => {
    expect(parseCommentBody(doc(p(t('x', { type: 'link' })))).html).toBe('<p>x</p>');
  });

  it('cannot break out of the href attribute', () => {
    const { html } = parseCommentBody(doc(p(t('x', link('https://x.test/"onmouseover="alert(1)')))));
    expect(html).not.toMatch(/\sonmouseover=/i);
  });

  it('never lets style/onclick attributes reach the HTML', () => {
    const { html, body } = parseCommentBody(
      doc({
        type: 'paragraph',
        attrs: { style: 'color:red', onclick: 'x()' },
        content: [t('a', { type: 'bold', attrs: { style: 'x', onclick: 'y()' } }, link('https://x.test', { style: 'x', onclick: 'z()' }))],
      }),
    );
    expect(html).not.toMatch(/style|onclick/i);
    expect(JSON.stringify(body)).not.toMatch(/style|onclick/i);
  });

  it.each([
    ['heading', { type: 'heading', attrs: { level: 1 }, content: [t('h')] }],
    ['codeBlock', { type: 'codeBlock', content: [t('c')] }],
    ['blockquote', { type: 'blockquote', content: [p(t('q'))] }],
    ['horizontalRule', { type: 'horizontalRule' }],
    ['image', { type: 'image', attrs: { src: 'https://x.test/i.png' } }],
    ['made-up node', { type: 'iframe' }],
  ])('refuses a %s node as bad_request', (_n, node) => {
    expectCode(doc(p(t('ok')), node as JsonNode), 'bad_request');
  });

  it.each(['code', 'strike', 'underline', 'highlight'])('refuses a %s mark as bad_request', (mark) => {
    expectCode(doc(p(t('x', { type: mark }))), 'bad_request');
  });

  it('refuses wrong nesting and empty text nodes', () => {
    expectCode(doc(t('bare text in doc')), 'bad_request');
    expectCode(doc({ type: 'bulletList', content: [p(t('not in a listItem'))] }), 'bad_request');
    expectCode(doc(p(t(''))), 'bad_request');
  });

  it.each([
    ['null', null],
    ['a string', '<p>hi</p>'],
    ['a number', 42],
    ['an array', [p(t('x'))]],
    ['a paragraph', p(t('x'))],
    ['a doc-like object with another type', { type: 'Doc', content: [p(t('x'))] }],
  ])('refuses %s as bad_request', (_n, input) => {
    expectCode(input, 'bad_request');
  });

  it('refuses empty and whitespace-only comments', () => {
    expectCode({ type: 'doc' }, 'bad_request');
    expectCode(doc(), 'bad_request');
    expectCode(doc({ type: 'paragraph' }), 'bad_request');
    expectCode(doc(p(t('   \t ')), p({ type: 'hardBreak' })), 'bad_request');
  });
});

describe('parseCommentBody: size limit', () => {
  it('is 20,000 characters', () => {
    expect(MAX_COMMENT_CHARS).toBe(20_000);
  });

  it('accepts exactly 20,000 characters', () => {
    expect(parseCommentBody(doc(p(t('x'.repeat(20_000))))).text).toHaveLength(20_000);
  });

  it('refuses 20,001 characters with payload_too_large (413)', () => {
    const e = errorOf(() => parseCommentBody(doc(p(t('x'.repeat(20_001))))));
    expect(e.code).toBe('payload_too_large');
    expect(e.status).toBe(413);
  });

  it('counts the text across paragraphs', () => {
    expectCode(doc(p(t('x'.repeat(10_000))), p(t('y'.repeat(10_001)))), 'payload_too_large');
  });
});

describe('sanitizeCommentHtml', () => {
  it('strips script and img tags entirely', () => {
    const out = sanitizeCommentHtml('<p>a<script>alert(1)</script><img src=x onerror=alert(1)>b</p>');
    expect(out).toBe('<p>ab</p>');
  });

  it('strips on* and style attributes', () => {
    const out = sanitizeCommentHtml('<p style="color:red" onclick="x()"><strong onmouseover="y()">a</strong></p>');
    expect(out).toBe('<p><strong>a</strong></p>');
  });

  it('strips javascript: hrefs but keeps http(s) and mailto ones', () => {
    expect(sanitizeCommentHtml('<a href="javascript:alert(1)">x</a>')).toBe('<a>x</a>');
    expect(sanitizeCommentHtml('<a href="//evil.test">x</a>')).toBe('<a>x</a>');
    expect(sanitizeCommentHtml('<a href="ftp://x.test">x</a><a href="tel:123">y</a>')).toBe('<a>x</a><a>y</a>');
    expect(sanitizeCommentHtml('<a href="https://ok.test" rel="noopener" target="_blank">x</a>')).toBe(
      '<a href="https://ok.test" rel="noopener" target="_blank">x</a>',
    );
    expect(sanitizeCommentHtml('<a href="mailto:a@b.test">m</a>')).toBe('<a href="mailto:a@b.test">m</a>');
  });

  it('drops tags outside the allowlist but keeps their text', () => {
    expect(sanitizeCommentHtml('<h1>t</h1><div>d</div><ol start="2" type="a"><li>i</li></ol>')).toBe('td<ol start="2"><li>i</li></ol>');
  });
});

describe('parseCommentBody: text that cannot be stored', () => {
  it('refuses NUL and lone surrogates in text and hrefs with 400 naming the path', () => {
    for (const bad of ['\u0000', '\uD83D', 'x\uDE00']) {
      const e = errorOf(() => parseCommentBody(doc(p(t(`hi ${bad}`)))));
      expect(e.code).toBe('bad_request');
      expect(e.details).toEqual([{ path: ['body', 'content', '0', 'content', '0', 'text'], message: expect.any(String) }]);
      const l = errorOf(() => parseCommentBody(doc(p(t('site', link(`https://example.com/${bad}`))))));
      expect(l.details).toEqual([{ path: ['body', 'content', '0', 'content', '0', 'marks', '0', 'attrs', 'href'], message: expect.any(String) }]);
    }
  });
  it('keeps emoji (whole surrogate pairs)', () => {
    expect(parseCommentBody(doc(p(t('ok \u{1F600}')))).text).toBe('ok \u{1F600}');
  });
});

describe('parseCommentBody: mentions', () => {
  const m = (id: unknown, label: unknown = 'x'): JsonNode => ({ type: 'mention', attrs: { id, label } });
  const names = new Map([['u1', 'Ana <Kim>'], ['u2', 'Ben']]);

  it('keeps a mention as a node with the id and the name the server has, rendered as a safe span', () => {
    const r = parseCommentBody(doc(p(t('Hi '), m('u1', 'Somebody else'), t(' and '), m('u2'), m('u1'))), names);
    expect(r.mentions).toEqual(['u1', 'u2']);
    expect(r.text).toBe('Hi @Ana <Kim> and @Ben@Ana <Kim>');
    expect(r.body.content?.[0].content?.[1]).toEqual({ type: 'mention', attrs: { id: 'u1', label: 'Ana <Kim>' } });
    expect(r.html).toBe('<p>Hi <span class="mention" data-user-id="u1">@Ana &lt;Kim&gt;</span> and <span class="mention" data-user-id="u2">@Ben</span><span class="mention" data-user-id="u1">@Ana &lt;Kim&gt;</span></p>');
  });
  it('refuses a mention of an id that is not a user (422), and any mention without a lookup', () => {
    expect(errorOf(() => parseCommentBody(doc(p(m('nobody'))), names)).code).toBe('unprocessable');
    expect(errorOf(() => parseCommentBody(doc(p(m('u1'))))).code).toBe('unprocessable');
  });
  it('refuses malformed mentions with 400', () => {
    for (const id of [null, 7, '', 'a b', '<x>', 'x'.repeat(65)]) expect(errorOf(() => parseCommentBody(doc(p(m(id))), names)).code).toBe('bad_request');
    expect(errorOf(() => parseCommentBody(doc({ type: 'mention', attrs: { id: 'u1' } }), names)).code).toBe('bad_request');
  });
  it('drops attributes other than id and label', () => {
    const r = parseCommentBody(doc(p({ type: 'mention', attrs: { id: 'u2', label: 'Ben', onclick: 'x', mentionSuggestionChar: '#' } })), names);
    expect(r.body.content?.[0].content?.[0]).toEqual({ type: 'mention', attrs: { id: 'u2', label: 'Ben' } });
  });
  it('the sanitiser keeps the mention span and nothing else on spans', () => {
    expect(sanitizeCommentHtml('<span class="mention evil" data-user-id="u1" style="x" onclick="y">@A</span><span class="other">b</span>')).toBe(
      '<span class="mention" data-user-id="u1">@A</span><span>b</span>',
    );
  });
});
