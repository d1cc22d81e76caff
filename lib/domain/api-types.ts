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

export interface ApiDocumentSummary {
  id: string;
  title: string;
  revision: { id: string; number: number };
  annotationCount: number;
  updatedAt: string;
}

export interface ApiDocument {
  id: string;
  title: string;
  revision: { id: string; number: number; text: string; content: JsonNode };
}

export interface ApiUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  createdAt: string;
}
