'use client';

/**
 * The header's filters (lib/domain/annotation-filters.ts): the search box, a chip per tag (its
 * count under the other filters), "Hide resolved", "Mine", and "Refine": a dropdown of the
 * tradecraft filters (likelihood, confidence, reliability, credibility, outcome, has checks) and
 * author, has replies and a date range, with the number set on its button. The page keeps them in
 * the URL (use-url-filters.ts).
 */
import { SlidersHorizontal } from 'lucide-react';
import { useState } from 'react';
import { useDismiss } from '@/lib/client/use-dismiss';
import type { ApiAnnotation, ApiAuthor } from '@/lib/domain/api-types';
import { NO_FILTERS, refinements, type FieldFilter, type FilterState } from '@/lib/domain/annotation-filters';
import { TAG_META, TAGS, type Tag } from '@/lib/domain/tags';
import {
  CONFIDENCES,
  CREDIBILITIES,
  CREDIBILITY_MEANING,
  LIKELIHOODS,
  OUTCOME_LABEL,
  OUTCOMES,
  RELIABILITIES,
  RELIABILITY_MEANING,
  likelihoodLabel,
} from '@/lib/domain/tradecraft';
import { TagIcon } from '@/components/ui/tag-icon';
import { SearchBox } from '@/components/review/search-box';

export type { FilterState };

/**
 * `counts`: the highlights the other filters keep (each chip counts its tag among them); `all`:
 * every highlight (for the author list); `searching`: the words' answer is awaited.
 */
export function Filters({ value, onChange, counts, all = counts, searching }: { value: FilterState; onChange(v: FilterState): void; counts: ApiAnnotation[]; all?: ApiAnnotation[]; searching?: boolean }) {
  const toggleTag = (t: Tag) =>
    onChange({ ...value, tags: value.tags.includes(t) ? value.tags.filter((x) => x !== t) : [...value.tags, t] });
  return (
    <div className="filters" role="group" aria-label="Filter highlights">
      <SearchBox value={value.q} busy={searching} onChange={(q) => onChange({ ...value, q })} />
      {TAGS.map((t) => (
        <button key={t} type="button" className={`chip chip-${t}`} aria-pressed={value.tags.includes(t)} onClick={() => toggleTag(t)} title={`Show only ${TAG_META[t].label.toLowerCase()}`}>
          <TagIcon tag={t} /> <span className="chip-label">{TAG_META[t].label}</span> <span className="chip-count">{counts.filter((a) => a.tag === t).length}</span>
        </button>
      ))}
      <label className="toggle">
        <input type="checkbox" checked={value.hideResolved} onChange={(e) => onChange({ ...value, hideResolved: e.target.checked })} /> Hide resolved
      </label>
      <label className="toggle">
        <input type="checkbox" checked={value.mine} onChange={(e) => onChange({ ...value, mine: e.target.checked })} /> Mine
      </label>
      <Refine value={value} onChange={onChange} authors={authorsOf(all)} />
    </div>
  );
}

/** A `<select>` over one field: any, not set, or each value. */
function FieldSelect<T extends string | number>({ label, value, values, text, none, onChange }: {
  label: string; value: FieldFilter<T>; values: readonly T[]; text(v: T): string; none: string; onChange(v: FieldFilter<T>): void;
}) {
  return (
    <label>
      <span>{label}</span>
      <select
        value={String(value)}
        onChange={(e) => {
          const v = e.target.value;
          onChange(v === '' || v === 'none' ? v : (values.find((x) => String(x) === v) ?? ''));
        }}
      >
        <option value="">Any</option>
        <option value="none">{none}</option>
        {values.map((v) => (
          <option key={String(v)} value={String(v)}>{text(v)}</option>
        ))}
      </select>
    </label>
  );
}

function authorsOf(list: ApiAnnotation[]): ApiAuthor[] {
  const byId = new Map(list.map((a) => [a.author.id, a.author]));
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function Refine({ value, onChange, authors }: { value: FilterState; onChange(v: FilterState): void; authors: ApiAuthor[] }) {
  const [open, setOpen] = useState(false);
  const set = refinements(value);
  useDismiss(open, () => setOpen(false));
  const patch = (p: Partial<FilterState>) => onChange({ ...value, ...p });
  return (
    <div className="refine">
      <button type="button" className="chip refine-toggle" aria-expanded={open} aria-controls="refine-panel" aria-pressed={set > 0} onClick={() => setOpen(!open)}>
        <SlidersHorizontal size={14} aria-hidden="true" /> <span className="chip-label">Refine</span>
        {set > 0 && (
          <>
            <span className="chip-count" aria-hidden="true">{set}</span>
            <span className="sr-only">, {set === 1 ? '1 filter set' : `${set} filters set`}</span>
          </>
        )}
      </button>
      {open && (
        <div className="refine-panel" id="refine-panel" role="group" aria-label="Refine by judgment, grade and outcome">
          <FieldSelect label="Likelihood" value={value.likelihood} values={LIKELIHOODS} text={likelihoodLabel} none="Not set" onChange={(likelihood) => patch({ likelihood })} />
          <FieldSelect label="Confidence" value={value.confidence} values={[...CONFIDENCES]} text={(c) => c} none="Not set" onChange={(confidence) => patch({ confidence })} />
          <FieldSelect label="Reliability" value={value.reliability} values={RELIABILITIES} text={(r) => `${r}: ${RELIABILITY_MEANING[r]}`} none="Not graded" onChange={(reliability) => patch({ reliability })} />
          <FieldSelect label="Credibility" value={value.credibility} values={CREDIBILITIES} text={(c) => `${c}: ${CREDIBILITY_MEANING[c]}`} none="Not graded" onChange={(credibility) => patch({ credibility })} />
          <FieldSelect label="Outcome" value={value.outcome} values={OUTCOMES} text={(o) => OUTCOME_LABEL[o]} none="Resolved without one" onChange={(outcome) => patch({ outcome })} />
          <label>
            <span>Author</span>
            <select value={value.author} onChange={(e) => patch({ author: e.target.value })}>
              <option value="">Anyone</option>
              {value.author && !authors.some((a) => a.id === value.author) && <option value={value.author}>Someone else</option>}
              {authors.map((a) => (
                <option key={a.id} value={a.id}>{a.name}</option>
              ))}
            </select>
          </label>
          <label>
            <span>Replies</span>
            <select value={value.hasReplies} onChange={(e) => patch({ hasReplies: e.target.value as FilterState['hasReplies'] })}>
              <option value="">Any</option>
              <option value="yes">Has replies</option>
              <option value="no">No replies</option>
            </select>
          </label>
          <label>
            <span>Created from</span>
            <input type="date" value={value.from} max={value.to || undefined} onChange={(e) => patch({ from: e.target.value })} />
          </label>
          <label>
            <span>Created to</span>
            <input type="date" value={value.to} min={value.from || undefined} onChange={(e) => patch({ to: e.target.value })} />
          </label>
          <label className="refine-check">
            <input type="checkbox" checked={value.hasChecks} onChange={(e) => patch({ hasChecks: e.target.checked })} /> Has review checks
          </label>
          <div className="refine-actions">
            <button
              type="button"
              className="btn-ghost"
              disabled={set === 0}
              onClick={() => patch({ likelihood: NO_FILTERS.likelihood, confidence: NO_FILTERS.confidence, reliability: NO_FILTERS.reliability, credibility: NO_FILTERS.credibility, outcome: NO_FILTERS.outcome, hasChecks: false, author: '', hasReplies: '', from: '', to: '' })}
            >
              Clear
            </button>
            <button type="button" className="btn-secondary" onClick={() => setOpen(false)}>Done</button>
          </div>
        </div>
      )}
    </div>
  );
}
