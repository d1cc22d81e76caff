import { CircleCheck, CircleHelp, Scale } from 'lucide-react';
import type { Tag } from '@/lib/domain/tags';

const ICONS = { evidence: CircleCheck, speculation: CircleHelp, assessment: Scale } as const;

/** The non-colour cue of each tag (UI.md): check, question mark, scale. */
export function TagIcon({ tag, size = 14 }: { tag: Tag; size?: number }) {
  const Icon = ICONS[tag];
  return <Icon size={size} aria-hidden="true" className={`tag-icon tag-icon-${tag}`} />;
}
