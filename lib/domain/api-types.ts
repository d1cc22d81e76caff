/** The resource shapes of the HTTP API (docs/api.md), shared by the server and the browser. */
import type { JsonNode } from './document-text';
import type { AnnotationStatus, Role, Tag } from './tags';

export interface ApiAuthor {
  id: string;
  name: string;
}

export interface ApiAnnotation {
  id: string;
  documentId: string;
  revisionId: string;
  tag: Tag;
  status: AnnotationStatus;
  target: { quote: { exact: string; prefix: string; suffix: string }; position: { start: number; end: number } };
  anchor: 'anchored' | 'orphaned';
  /** How it got its place in this revision: made here, carried over (kept/moved/fuzzy), lost (orphaned) or re-attached. */
  anchorMethod: AnchorMethod;
  /** Re-anchoring confidence in [0, 1]; null when made or re-attached here. */
  anchorScore: number | null;
  author: ApiAuthor;
  commentCount: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ApiComment {
  id: string;
  annotationId: string;
  parentId: string | null;
  author: ApiAuthor;
  /** Null for a deleted comment kept as a tombstone because replies hang under it. */
  body: JsonNode | null;
  html: string;
  version: number;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
}

export type AnchorMethod = 'created' | 'kept' | 'moved' | 'fuzzy' | 'orphaned' | 'reattached';

export interface ApiDocumentSummary {
  id: string;
  title: string;
  revision: { id: string; number: number };
  /** Live annotations on the current revision (orphans included). */
  annotationCount: number;
  counts: Record<Tag, number> & { orphaned: number };
  updatedAt: string;
  /** Time of the newest change of any kind (the last event), or the creation time. */
  lastActivityAt: string;
  /** Only in the list of deleted documents (`?deleted=true`): when it was deleted. */
  deletedAt?: string;
}

/** A document's name and state, as a rename, delete or restore leaves it. */
export interface ApiDocumentState {
  id: string;
  title: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface ApiRevisionSummary {
  id: string;
  number: number;
  createdAt: string;
  createdBy: ApiAuthor | null;
}

export interface ApiDocument {
  id: string;
  title: string;
  revision: ApiRevisionSummary & { text: string; content: JsonNode };
  /** The current revision; differs from `revision` when an older one was asked for. */
  currentRevision: { id: string; number: number };
}

/** Outcome of re-anchoring every annotation onto a new revision. */
export interface ReanchorSummary {
  kept: number;
  moved: number;
  fuzzy: number;
  orphaned: number;
}

export interface ApiUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  createdAt: string;
}
