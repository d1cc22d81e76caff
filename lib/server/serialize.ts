import 'server-only';
import type { AnchorMethod, AnnotationScope, ApiAnnotation, ApiAuthor, ApiComment, ApiLink, ApiTradecraft } from '@/lib/domain/api-types';
import type { JsonNode } from '@/lib/domain/document-text';
import type { AnnotationStatus, Tag } from '@/lib/domain/tags';

export type { ApiAnnotation, ApiAuthor, ApiComment, ApiLink };

/** Row -> API shape mappings shared by services and events. */
export const annotationInclude = {
  author: { select: { id: true, name: true } },
  _count: { select: { comments: { where: { deletedAt: null } } } },
} as const;

type AnnotationRow = {
  id: string; documentId: string; revisionId: string; tag: Tag; status: AnnotationStatus; scope: AnnotationScope;
  exact: string; prefix: string; suffix: string; start: number; end: number; anchor: 'anchored' | 'orphaned';
  anchorMethod: AnchorMethod; anchorScore: number | null; version: number; createdAt: Date; updatedAt: Date;
  author: ApiAuthor; _count: { comments: number };
} & ApiTradecraft;

/** The tradecraft fields of a row (or of an ApiAnnotation), and nothing else. */
export const tradecraftOf = (a: ApiTradecraft): ApiTradecraft => ({
  likelihood: a.likelihood,
  confidence: a.confidence,
  source: a.source,
  reliability: a.reliability,
  credibility: a.credibility,
  needsSource: a.needsSource,
  outcome: a.outcome,
  outcomeRationale: a.outcomeRationale,
});

export function toApiAnnotation(a: AnnotationRow): ApiAnnotation {
  return {
    id: a.id,
    documentId: a.documentId,
    revisionId: a.revisionId,
    tag: a.tag,
    status: a.status,
    scope: a.scope,
    target: { quote: { exact: a.exact, prefix: a.prefix, suffix: a.suffix }, position: { start: a.start, end: a.end } },
    anchor: a.anchor,
    anchorMethod: a.anchorMethod,
    anchorScore: a.anchorScore,
    ...tradecraftOf(a),
    author: { id: a.author.id, name: a.author.name },
    commentCount: a._count.comments,
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

type LinkRow = { id: string; documentId: string; sourceId: string; targetId: string; type: ApiLink['type']; createdById: string; createdAt: Date };

export function toApiLink(l: LinkRow): ApiLink {
  return {
    id: l.id, documentId: l.documentId, sourceId: l.sourceId, targetId: l.targetId, type: l.type,
    createdById: l.createdById, createdAt: l.createdAt.toISOString(),
  };
}

export const commentInclude = { author: { select: { id: true, name: true } } } as const;

type CommentRow = {
  id: string; annotationId: string; parentId: string | null; body: unknown; html: string; version: number;
  createdAt: Date; editedAt: Date | null; deletedAt: Date | null; author: ApiAuthor;
};

export function toApiComment(c: CommentRow): ApiComment {
  const deleted = c.deletedAt !== null;
  return {
    id: c.id,
    annotationId: c.annotationId,
    parentId: c.parentId,
    author: { id: c.author.id, name: c.author.name },
    body: deleted ? null : (c.body as JsonNode),
    html: deleted ? '' : c.html,
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    editedAt: c.editedAt?.toISOString() ?? null,
    deleted,
  };
}

/**
 * The comments a thread shows: live ones, plus deleted ones that still have a live reply below
 * them (as tombstones, so the replies keep their place).
 */
export function visibleComments<T extends CommentRow>(rows: T[]): ApiComment[] {
  const children = new Map<string | null, T[]>();
  for (const r of rows) children.set(r.parentId, [...(children.get(r.parentId) ?? []), r]);
  const keep = new Set<string>();
  const visit = (r: T): boolean => {
    let live = r.deletedAt === null;
    for (const c of children.get(r.id) ?? []) live = visit(c) || live;
    if (live) keep.add(r.id);
    return live;
  };
  for (const r of rows) if (r.parentId === null) visit(r);
  return rows.filter((r) => keep.has(r.id)).map(toApiComment);
}
