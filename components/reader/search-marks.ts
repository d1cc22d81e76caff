'use client';

/**
 * Marks the search words in the article and the margin with one CSS Custom Highlight
 * (`::highlight(search-match)`, styled in components/review/review.css): every place a word of the search starts a
 * word of the text (the server's search also matches stems and prefixes, so a prefix is the
 * nearest a browser can show). No element is added, so the article's offsets and highlight spans
 * are untouched. Re-marked when the page's text changes (new threads, expanded cards).
 */
import { useEffect } from 'react';
import '@/components/review/review.css';

export const SEARCH_HIGHLIGHT = 'search-match';
const ROOTS = '.article-body, .sidebar';

/** The words of a search as the marks look for them: letters and digits, lower-cased, longest first. */
export function searchWords(q: string): string[] {
  const words = q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
  return [...new Set(words)].sort((a, b) => b.length - a.length);
}

function wordPattern(words: string[]): RegExp {
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})`, 'giu');
}

function mark(words: string[]): void {
  if (typeof CSS === 'undefined' || !('highlights' in CSS)) return;
  if (!words.length) {
    CSS.highlights.delete(SEARCH_HIGHLIGHT);
    return;
  }
  const re = wordPattern(words);
  const ranges: StaticRange[] = [];
  for (const root of document.querySelectorAll(ROOTS)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
      // Skip form controls' text and what screen readers alone get.
      if (n.parentElement?.closest('textarea, select, .sr-only, [contenteditable="true"]')) continue;
      for (const m of n.data.matchAll(re)) {
        ranges.push(new StaticRange({ startContainer: n, startOffset: m.index, endContainer: n, endOffset: m.index + m[0].length }));
      }
    }
  }
  CSS.highlights.set(SEARCH_HIGHLIGHT, new Highlight(...ranges));
}

export function useSearchMarks(q: string): void {
  useEffect(() => {
    const words = searchWords(q);
    mark(words);
    if (!words.length) return;
    let frame = 0;
    const observer = new MutationObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => mark(words));
    });
    for (const root of document.querySelectorAll(ROOTS)) observer.observe(root, { childList: true, subtree: true, characterData: true });
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
      CSS.highlights?.delete(SEARCH_HIGHLIGHT);
    };
  }, [q]);
}
