'use client';

/**
 * A thread's typed links (supports, contradicts, depends on; lib/domain/link-relations.ts): the
 * list on its card, read from this thread's side ("Supported by “…”"), and the form that makes a
 * new one. While the form is open a click on a highlight in the article picks the other end
 * (components/reader/document-view.tsx); the form also lists the document's other highlights,
 * searchable by their words, tag or author.
 */
import { Link2, X } from 'lucide-react';
import { createContext, useContext, useEffect, useId, useMemo, useState } from 'react';
import { isPageNote, type ApiAnnotation } from '@/lib/domain/api-types';
import type { LinkView } from '@/lib/client/store';
import { isPending } from '@/lib/client/optimistic';
import { defaultRelation, parseRelation, RELATIONS, relationLabel, relationValue, type Relation } from '@/lib/domain/link-relations';
import { TAG_META } from '@/lib/domain/tags';
import { grade } from '@/lib/domain/tradecraft';
import { can } from '@/lib/domain/policy';
import { TagIcon } from '@/components/ui/tag-icon';
import { useThreadActions } from './actions';

/** The document's highlights in order, for the form's list (only the open form reads it). */
export const LinkCandidatesContext = createContext<ApiAnnotation[]>([]);

const short = (s: string, n: number) => {
  const chars = Array.from(s.replace(/\s+/g, ' ').trim());
  return chars.length > n ? `${chars.slice(0, n).join('').trimEnd()}…` : chars.join('');
};
/** How the other end is named: its quote, or for a page note (no quote) its author. */
const quoted = (o: ApiAnnotation, n: number) => (isPageNote(o) ? `the page note by ${o.author.name}` : `“${short(o.target.quote.exact, n)}”`);

/** The links on a card; each goes to the other thread, and its maker or an admin can remove it. */
export function LinkList({ a, links, onQuote }: { a: ApiAnnotation; links: LinkView[]; onQuote: string }) {
  const { me, focus, unlink, readOnly } = useThreadActions();
  if (!links.length) return null;
  return (
    <ul className="thread-links" aria-label={`Links of ${onQuote}`}>
      {links.map(({ link, direction, other }) => {
        const rel = relationLabel({ type: link.type, inverse: direction === 'incoming' });
        const g = other.tag === 'evidence' ? grade(other.reliability, other.credibility) : '';
        return (
          <li key={link.id} className={`thread-link link-${link.type}`} data-link-id={link.id} data-link-to={other.id}>
            <span className="link-what">
              <span className="link-rel">{rel}</span>{' '}
              <button type="button" className="link-other" title={`${TAG_META[other.tag].label}: show its thread`} onClick={() => focus(other.id, { scroll: true })}>
                <TagIcon tag={other.tag} size={12} /> <span className="sr-only">{TAG_META[other.tag].label}: </span>{quoted(other, 60)}
              </button>
              {g && <> <span className="grade grade-small">{g}</span></>}
            </span>
            {!readOnly && can(me, 'link.delete', { authorId: link.createdById }) && (
              <button
                type="button"
                className="icon-btn link-remove"
                aria-label={`Remove link: ${rel.toLowerCase()} ${quoted(other, 40)}`}
                title="Remove link"
                onClick={() => void unlink(a.id, link.id).catch(() => {})}
              >
                <X size={12} />
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** The most highlights the form lists at once; typing narrows them. */
const SHOWN = 8;

/** "Link…": the relation, then the other highlight, picked in the article or from the list. */
export function LinkForm({ a, links, relation, onQuote }: { a: ApiAnnotation; links: LinkView[]; relation: Relation; onQuote: string }) {
  const { link, setLinking } = useThreadActions();
  const all = useContext(LinkCandidatesContext);
  const [query, setQuery] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();
  const close = () => setLinking(null);

  // Closing the card's form (or the card going away) ends picking in the article.
  useEffect(() => () => setLinking(null), [setLinking]);

  const already = useMemo(
    () => new Set(links.filter((l) => l.link.type === relation.type && (l.direction === 'incoming') === relation.inverse).map((l) => l.other.id)),
    [links, relation],
  );
  const matches = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return all.filter((o) => {
      if (o.id === a.id || already.has(o.id) || isPending(o.id)) return false;
      const hay = `${isPageNote(o) ? 'page note' : o.target.quote.exact} ${TAG_META[o.tag].label} ${o.author.name}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    });
  }, [all, a.id, already, query]);

  const pick = async (other: ApiAnnotation) => {
    setBusy(true);
    try {
      await link(a.id, other.id, relation);
      close();
    } catch {
      setBusy(false);
    }
  };

  return (
    <div
      className="link-form"
      role="group"
      aria-label={`Link ${onQuote} to another highlight`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          close();
        }
      }}
    >
      <label className="link-relation">
        <span>This passage</span>
        <select
          value={relationValue(relation)}
          autoFocus
          onChange={(e) => {
            const r = parseRelation(e.target.value);
            if (r) setLinking({ fromId: a.id, relation: r });
          }}
        >
          {RELATIONS.map((r) => (
            <option key={relationValue(r)} value={relationValue(r)}>{relationLabel(r).toLowerCase()}…</option>
          ))}
        </select>
      </label>
      <p className="link-help">Click the other highlight in the article, or find it here:</p>
      <input
        type="search"
        className="link-search"
        placeholder="Search highlights"
        aria-label="Search highlights to link"
        aria-controls={`${id}-list`}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <ul className="link-candidates" id={`${id}-list`} aria-label="Highlights to link" aria-busy={busy}>
        {matches.slice(0, SHOWN).map((o) => (
          <li key={o.id}>
            <button type="button" className="link-candidate" disabled={busy} onClick={() => void pick(o)} data-candidate={o.id}>
              <TagIcon tag={o.tag} size={12} /> <span className="sr-only">{TAG_META[o.tag].label}: </span>{quoted(o, 70)}
            </button>
          </li>
        ))}
        {matches.length === 0 && <li className="muted">{all.length <= 1 ? 'No other highlight in this document yet.' : 'No highlight matches.'}</li>}
        {matches.length > SHOWN && <li className="muted">{matches.length - SHOWN} more: type to narrow the list.</li>}
      </ul>
      <div className="link-actions">
        <button type="button" className="btn-ghost" onClick={close}>Cancel</button>
      </div>
    </div>
  );
}

/** The "Link…" button of a focused card. */
export function LinkButton({ a, onQuote, open }: { a: ApiAnnotation; onQuote: string; open: boolean }) {
  const { setLinking } = useThreadActions();
  return (
    <button
      type="button"
      className="btn-secondary"
      aria-label={`Link ${onQuote} to another highlight`}
      aria-expanded={open}
      onClick={() => setLinking(open ? null : { fromId: a.id, relation: defaultRelation(a.tag) })}
    >
      <Link2 size={14} aria-hidden="true" /> Link…
    </button>
  );
}
