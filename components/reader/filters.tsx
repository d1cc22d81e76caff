'use client';

import type { ApiAnnotation } from '@/lib/domain/api-types';
import { TAG_META, TAGS, type Tag } from '@/lib/domain/tags';
import { TagIcon } from '@/components/ui/tag-icon';

export interface FilterState {
  /** Tags shown; empty means all. */
  tags: Tag[];
  hideResolved: boolean;
  mine: boolean;
}

export function applyFilters(list: ApiAnnotation[], f: FilterState, meId: string): ApiAnnotation[] {
  return list.filter(
    (a) => (f.tags.length === 0 || f.tags.includes(a.tag)) && !(f.hideResolved && a.status === 'resolved') && (!f.mine || a.author.id === meId),
  );
}

export function Filters({ value, onChange, counts }: { value: FilterState; onChange(v: FilterState): void; counts: ApiAnnotation[] }) {
  const toggleTag = (t: Tag) =>
    onChange({ ...value, tags: value.tags.includes(t) ? value.tags.filter((x) => x !== t) : [...value.tags, t] });
  return (
    <div className="filters" role="group" aria-label="Filter highlights">
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
    </div>
  );
}
