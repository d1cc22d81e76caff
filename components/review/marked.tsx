import { Fragment } from 'react';

/** `text` with each place a word of `q` starts a word wrapped in <mark> (the search page's results). */
export function Marked({ text, q }: { text: string; q: string }) {
  const words = [...new Set(q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean))].sort((a, b) => b.length - a.length);
  if (!words.length) return <>{text}</>;
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'giu');
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const m of text.matchAll(re)) {
    parts.push(<Fragment key={`t${at}`}>{text.slice(at, m.index)}</Fragment>, <mark key={`m${m.index}`}>{m[0]}</mark>);
    at = m.index + m[0].length;
  }
  parts.push(<Fragment key="end">{text.slice(at)}</Fragment>);
  return <>{parts}</>;
}
