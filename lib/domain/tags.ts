/** The three tags a highlight can carry, with what the UI needs to show them. */
export const TAGS = ['evidence', 'speculation', 'assessment'] as const;
export type Tag = (typeof TAGS)[number];

export const STATUSES = ['open', 'resolved'] as const;
export type AnnotationStatus = (typeof STATUSES)[number];

export const ROLES = ['admin', 'analyst', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface TagMeta {
  label: string;
  /** Keyboard shortcut while a selection is active. */
  key: string;
  /** A cue that does not depend on colour (UI.md): underline style. */
  underline: 'solid' | 'dashed' | 'double';
  description: string;
}

export const TAG_META: Record<Tag, TagMeta> = {
  evidence: { label: 'Evidence', key: '1', underline: 'solid', description: 'A claim backed by a source' },
  speculation: { label: 'Speculation', key: '2', underline: 'dashed', description: 'Unverified or conjecture' },
  assessment: { label: 'Assessment', key: '3', underline: 'double', description: 'An analytic judgment' },
};

export function isTag(value: unknown): value is Tag {
  return typeof value === 'string' && (TAGS as readonly string[]).includes(value);
}
