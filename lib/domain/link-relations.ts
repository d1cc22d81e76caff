/**
 * A link as one of its two highlights reads it. A link is stored one way ("source supports
 * target"); from the target's thread it reads the other way ("supported by"). When linking from a
 * thread, the reader picks the relation from that thread's side, so each type has an inverse.
 */
import type { Tag } from './tags';
import { LINK_TYPES, type LinkType } from './tradecraft';

export type Relation = { type: LinkType; inverse: boolean };

const WORDS: Record<LinkType, { out: string; in: string }> = {
  supports: { out: 'Supports', in: 'Supported by' },
  contradicts: { out: 'Contradicts', in: 'Contradicted by' },
  depends_on: { out: 'Depends on', in: 'A premise of' },
};

/** The relation as this thread's side reads it: "Supports", "Supported by", … */
export const relationLabel = (r: Relation): string => (r.inverse ? WORDS[r.type].in : WORDS[r.type].out);

/** Every relation a thread can start, as `<select>` values ("supports", "supports:inverse"). */
export const RELATIONS: Relation[] = LINK_TYPES.flatMap((type) => [{ type, inverse: false }, { type, inverse: true }]);
export const relationValue = (r: Relation): string => (r.inverse ? `${r.type}:inverse` : r.type);
export function parseRelation(value: string): Relation | null {
  return RELATIONS.find((r) => relationValue(r) === value) ?? null;
}

/** The usual relation from a thread of this tag: evidence supports; a judgment is supported. */
export const defaultRelation = (tag: Tag): Relation => ({ type: 'supports', inverse: tag !== 'evidence' });

/** The stored link for "this thread <relation> other": its source and target. */
export function linkEnds(thisId: string, otherId: string, r: Relation): { sourceId: string; targetId: string } {
  return r.inverse ? { sourceId: otherId, targetId: thisId } : { sourceId: thisId, targetId: otherId };
}
