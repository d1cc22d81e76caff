'use client';

/**
 * The article, rendered from the revision's JSON with its highlights as overlays, never marks in
 * the document (docs/architecture.md, "Highlights are overlays, never marks"). No editor engine: reading needs none, and it keeps
 * ProseMirror out of the page's first load. Each text block is one memoised component that
 * re-renders only when the highlights over it change; its element carries `data-o`/`data-e`,
 * the text offsets it spans, which is how a DOM selection is turned back into text offsets
 * (article.tsx). Highlights are nested spans laid out by lib/domain/inline-layout.ts.
 */
import { Fragment, memo, useMemo, type ReactNode } from 'react';
import { blockModel, layoutInline, type BlockModel, type InlineNode, type Mark } from '@/lib/domain/inline-layout';
import { isSafeHref } from '@/lib/domain/links';
import { highlightDescription, type HighlightSpec } from '@/lib/domain/highlight';

export type { HighlightSpec };
export { highlightDescription };

export { blockModel };

/** The highlights of each text block, by its start offset, plus a signature to memoise on. */
function byBlock(model: BlockModel[], specs: HighlightSpec[], activeId: string | null) {
  const blocks: { from: number; to: number }[] = [];
  const collect = (b: BlockModel) => {
    if (b.kind === 'textblock') blocks.push(b);
    else if (b.kind === 'container') b.children.forEach(collect);
  };
  model.forEach(collect);
  const out = new Map<number, { specs: HighlightSpec[]; sig: string }>();
  const sorted = [...specs].sort((a, b) => a.start - b.start);
  for (const b of blocks) {
    const mine: HighlightSpec[] = [];
    for (let i = 0; i < sorted.length && sorted[i].start < b.to; i++) {
      if (sorted[i].end > b.from) mine.push(sorted[i]);
    }
    const sig = mine.map((s) => `${s.id}:${s.tag}:${s.resolved ? 1 : 0}:${s.start}:${s.end}:${s.comments ?? ''}:${s.id === activeId ? 1 : 0}`).join(',');
    out.set(b.from, { specs: mine, sig });
  }
  return out;
}

/** `bare`: no highlight elements (they are painted by the CSS Custom Highlight API instead). */
export function ArticleContent({ model, highlights, activeId, bare = false }: { model: BlockModel[]; highlights: HighlightSpec[]; activeId: string | null; bare?: boolean }) {
  // Hovering re-renders the page; the split of highlights over blocks only changes with them.
  const perBlock = useMemo(() => byBlock(model, bare ? NONE : highlights, activeId), [model, highlights, activeId, bare]);
  const render = (b: BlockModel, key: number): ReactNode => {
    if (b.kind === 'textblock') {
      const h = perBlock.get(b.from);
      const block = <TextBlock key={key} block={b} specs={h?.specs ?? NONE} sig={h?.sig ?? ''} activeId={activeId} />;
      // An image is its alt text as a caption, never the image itself (docs/architecture.md).
      if (b.node.type !== 'figure') return block;
      return (
        <figure key={key} className="article-figure">
          {/* Drawn by CSS, not an <svg>: the article holds nothing but the document's own text. */}
          <span className="figure-icon" aria-hidden="true" />
          {block}
        </figure>
      );
    }
    if (b.kind === 'leaf') return b.node.type === 'horizontalRule' ? <hr key={key} /> : null;
    const children = b.children.map(render);
    switch (b.node.type) {
      case 'blockquote':
        return <blockquote key={key}>{children}</blockquote>;
      case 'bulletList':
        return <ul key={key}>{children}</ul>;
      case 'orderedList': {
        const start = Number(b.node.attrs?.start ?? 1);
        return <ol key={key} start={Number.isInteger(start) ? start : 1}>{children}</ol>;
      }
      case 'listItem':
        return <li key={key}>{children}</li>;
      case 'table': {
        // Leading rows of header cells are the head; the figure scrolls sideways, never the page.
        const isHead = (r: BlockModel) => r.kind === 'container' && r.children.every((c) => c.node.type === 'tableHeader');
        let head = 0;
        while (head < b.children.length - 1 && isHead(b.children[head])) head++;
        if (b.children.length === 1 && isHead(b.children[0])) head = 1;
        return (
          <figure key={key} className="article-table" tabIndex={0}>
            <table>
              {head > 0 && <thead>{children.slice(0, head)}</thead>}
              {head < children.length && <tbody>{children.slice(head)}</tbody>}
            </table>
          </figure>
        );
      }
      case 'tableRow':
        return <tr key={key}>{children}</tr>;
      case 'tableHeader':
        return <th key={key}>{children}</th>;
      case 'tableCell':
        return <td key={key}>{children}</td>;
      default:
        return <Fragment key={key}>{children}</Fragment>;
    }
  };
  return <>{model.map(render)}</>;
}

const NONE: HighlightSpec[] = [];

const TextBlock = memo(
  function TextBlock({ block, specs, activeId }: { block: Extract<BlockModel, { kind: 'textblock' }>; specs: HighlightSpec[]; sig: string; activeId: string | null }) {
    const inner = inline(layoutInline(block.pieces, specs), activeId);
    const attrs = { 'data-o': block.from, 'data-e': block.to };
    switch (block.node.type) {
      case 'heading': {
        const level = Math.min(6, Math.max(1, Number(block.node.attrs?.level ?? 1)));
        const H = `h${level}` as 'h1';
        return <H {...attrs}>{inner}</H>;
      }
      case 'codeBlock':
        return <pre {...attrs}><code>{inner}</code></pre>;
      case 'figure':
        return <figcaption {...attrs}>{inner}</figcaption>;
      default:
        return <p {...attrs}>{inner}</p>;
    }
  },
  (a, b) => a.block === b.block && a.sig === b.sig,
);

function inline(nodes: InlineNode<HighlightSpec>[], activeId: string | null): ReactNode[] {
  return nodes.map((n, i) => {
    if (n.kind === 'break') return <br key={i} />;
    if (n.kind === 'text') return <Fragment key={i}>{withMarks(n.text, n.marks)}</Fragment>;
    const h = n.spec;
    const classes = `hl hl-${h.tag}${h.resolved ? ' hl-resolved' : ''}${h.id === activeId ? ' hl-active' : ''}`;
    // A <mark> (role mark) whose description says what the colour and underline say to the eye.
    return (
      <mark key={i} className={classes} data-annotation-id={h.id} data-tag={h.tag} data-status={h.resolved ? 'resolved' : 'open'} aria-description={highlightDescription(h)}>
        {inline(n.children, activeId)}
      </mark>
    );
  });
}


function withMarks(text: string, marks: Mark[]): ReactNode {
  let out: ReactNode = text;
  for (const m of [...marks].reverse()) {
    switch (m.type) {
      case 'bold':
        out = <strong>{out}</strong>;
        break;
      case 'italic':
        out = <em>{out}</em>;
        break;
      case 'strike':
        out = <s>{out}</s>;
        break;
      case 'underline':
        out = <u>{out}</u>;
        break;
      case 'code':
        out = <code>{out}</code>;
        break;
      case 'link': {
        const href = String(m.attrs?.href ?? '');
        if (isSafeHref(href)) out = <a href={href} target="_blank" rel="noopener noreferrer nofollow">{out}</a>;
        break;
      }
    }
  }
  return out;
}
