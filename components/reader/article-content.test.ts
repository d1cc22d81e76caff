import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ArticleContent, blockModel, highlightDescription, type HighlightSpec } from './article-content';

const model = blockModel({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Beyond ammunition, Pyongyang sends troops.' }] }] });
const render = (highlights: HighlightSpec[]) => renderToStaticMarkup(createElement(ArticleContent, { model, highlights, activeId: null }));

describe('highlights for screen readers', () => {
  it('describes a highlight by its tag, its status and, when known, its comment count', () => {
    expect(highlightDescription({ tag: 'speculation', resolved: false, comments: 2 })).toBe('Speculation, open, 2 comments');
    expect(highlightDescription({ tag: 'evidence', resolved: true, comments: 1 })).toBe('Evidence, resolved, 1 comment');
    expect(highlightDescription({ tag: 'assessment', resolved: false, comments: 0 })).toBe('Assessment, open, 0 comments');
    expect(highlightDescription({ tag: 'assessment', resolved: false })).toBe('Assessment, open');
  });

  it('renders each highlight as a mark carrying that description, nested ones inside the outer', () => {
    const html = render([
      { id: 'a', tag: 'speculation', resolved: false, start: 0, end: 17, comments: 2 },
      { id: 'b', tag: 'evidence', resolved: true, start: 7, end: 17 },
    ]);
    expect(html).toContain('<mark class="hl hl-speculation" data-annotation-id="a" data-tag="speculation" data-status="open" aria-description="Speculation, open, 2 comments">Beyond <mark class="hl hl-evidence hl-resolved" data-annotation-id="b" data-tag="evidence" data-status="resolved" aria-description="Evidence, resolved">ammunition</mark></mark>');
    expect(html).not.toContain('<span');
  });
});
