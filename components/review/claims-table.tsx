'use client';

/**
 * The claims overview: every annotation of a document as a table row (quote, tag, status, author,
 * replies, last activity, section), sortable by each column, filtered by the document page's own
 * filters kept in the URL (so a filtered view of the page and of the table share a link), each
 * row's quote a link to its thread in the document. On a phone each row is a card (review.css).
 */
import { isPageNote, PAGE_NOTE_QUOTE, quoteText } from '@/lib/domain/api-types';
import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { Filters } from '@/components/reader/filters';
import { useUrlFilters } from '@/components/reader/use-url-filters';
import { RelativeTime } from '@/components/ui/relative-time';
import { TagIcon } from '@/components/ui/tag-icon';
import { applyFilters } from '@/lib/domain/annotation-filters';
import { TAG_META, TAGS } from '@/lib/domain/tags';
import type { Claim } from '@/lib/server/claims';
import './review.css';

const COLUMNS = [
  { key: 'quote', label: 'Quote' },
  { key: 'tag', label: 'Tag' },
  { key: 'status', label: 'Status' },
  { key: 'author', label: 'Author' },
  { key: 'replies', label: 'Replies' },
  { key: 'activity', label: 'Last activity' },
  { key: 'section', label: 'Section' },
] as const;
type Column = (typeof COLUMNS)[number]['key'];

const text = (s: string) => s.toLocaleLowerCase();
const value = (c: Claim, col: Column): string | number => {
  switch (col) {
    case 'quote': return text(quoteText(c.annotation));
    case 'tag': return TAGS.indexOf(c.annotation.tag);
    case 'status': return c.annotation.status;
    case 'author': return text(c.annotation.author.name);
    case 'replies': return c.replies;
    case 'activity': return c.lastActivityAt;
    case 'section': return text(c.section);
  }
};

export function ClaimsTable({ documentId, revisionId, claims, meId }: { documentId: string; revisionId: string; claims: Claim[]; meId: string }) {
  const { filters, setFilters, hits, searching } = useUrlFilters(documentId, revisionId);
  /** Document order until a column is chosen. */
  const [sort, setSort] = useState<{ col: Column; dir: 'ascending' | 'descending' } | null>(null);
  const all = useMemo(() => claims.map((c) => c.annotation), [claims]);
  const byId = useMemo(() => new Map(claims.map((c) => [c.annotation.id, c])), [claims]);
  const shown = useMemo(() => {
    const rows = applyFilters(all, filters, meId, undefined, hits).map((a) => byId.get(a.id)!);
    if (!sort) return rows;
    const sign = sort.dir === 'ascending' ? 1 : -1;
    return [...rows].sort((a, b) => {
      const x = value(a, sort.col);
      const y = value(b, sort.col);
      return x < y ? -sign : x > y ? sign : 0;
    });
  }, [all, byId, filters, meId, hits, sort]);
  const countable = useMemo(() => applyFilters(all, { ...filters, tags: [] }, meId, undefined, hits), [all, filters, meId, hits]);

  const sortBy = (col: Column) =>
    setSort((s) => (s?.col === col ? { col, dir: s.dir === 'ascending' ? 'descending' : 'ascending' } : { col, dir: 'ascending' }));

  return (
    <div className="claims-wrap">
      <div className="claims-filters">
        <Filters value={filters} onChange={setFilters} counts={countable} all={all} searching={searching} />
      </div>
      <table className="claims-table">
        <caption>
          {shown.length === claims.length ? `${claims.length} ${claims.length === 1 ? 'claim' : 'claims'}` : `${shown.length} of ${claims.length} claims`}
          {sort ? `, sorted by ${COLUMNS.find((c) => c.key === sort.col)!.label.toLowerCase()} (${sort.dir})` : ', in document order'}
        </caption>
        <thead>
          <tr>
            {COLUMNS.map((c) => {
              const active = sort?.col === c.key;
              const Icon = !active ? ArrowUpDown : sort.dir === 'ascending' ? ArrowUp : ArrowDown;
              return (
                <th key={c.key} scope="col" aria-sort={active ? sort.dir : undefined}>
                  <button type="button" onClick={() => sortBy(c.key)}>
                    {c.label} <Icon size={12} aria-hidden="true" />
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {shown.length === 0 && (
            <tr>
              <td colSpan={COLUMNS.length}>{claims.length === 0 ? 'No highlights yet.' : 'No claim matches the filters.'}</td>
            </tr>
          )}
          {shown.map(({ annotation: a, replies, lastActivityAt, section }) => (
            <tr key={a.id}>
              <td className="claim-quote" data-label="Quote">
                <Link href={`/documents/${documentId}#a-${a.id}`}>{isPageNote(a) ? PAGE_NOTE_QUOTE : `“${a.target.quote.exact.length > 160 ? `${a.target.quote.exact.slice(0, 160)}…` : a.target.quote.exact}”`}</Link>
              </td>
              <td data-label="Tag">
                <span className={`tag-badge tag-${a.tag}`}><TagIcon tag={a.tag} /> {TAG_META[a.tag].label}</span>
              </td>
              <td data-label="Status">{a.status}{a.anchor === 'orphaned' ? ', orphaned' : ''}</td>
              <td data-label="Author">{a.author.name}</td>
              <td className="num" data-label="Replies">{replies}</td>
              <td data-label="Last activity"><RelativeTime iso={lastActivityAt} /></td>
              <td data-label="Section">{section || <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
