'use client';

import { createContext, useContext } from 'react';
import type { ApiComment, ApiTradecraft } from '@/lib/domain/api-types';
import type { Relation } from '@/lib/domain/link-relations';
import type { JsonNode } from '@/lib/domain/document-text';
import type { AnnotationStatus, Role, Tag } from '@/lib/domain/tags';

/** What the thread components may do; implemented once by the document view. */
export interface ThreadActions {
  me: { id: string; name: string; role: Role };
  reply(annotationId: string, body: JsonNode, parentId?: string): Promise<void>;
  editComment(comment: ApiComment, body: JsonNode): Promise<void>;
  deleteComment(comment: ApiComment): Promise<void>;
  /** Resolve (optionally with an outcome and its rationale) or reopen. */
  setStatus(annotationId: string, status: AnnotationStatus, outcome?: Pick<ApiTradecraft, 'outcome' | 'outcomeRationale'>): Promise<void>;
  /** Change a highlight's tradecraft judgment: likelihood, confidence, source, grade, needs-source. */
  judge(annotationId: string, change: Partial<Pick<ApiTradecraft, 'likelihood' | 'confidence' | 'source' | 'reliability' | 'credibility' | 'needsSource'>>): Promise<void>;
  setTag(annotationId: string, tag: Tag): Promise<void>;
  /** Adds a page note (a thread about the whole document) with its first comment and focuses it; throws to keep the text. */
  addPageNote(tag: Tag, body: JsonNode): Promise<void>;
  deleteAnnotation(annotationId: string): Promise<void>;
  /** Makes a thread the active one; `compose` also puts the focus in its comment box. */
  focus(annotationId: string, opts?: { scroll?: boolean; compose?: boolean }): void;
  /** Links thread `fromId` to `otherId` ("from <relation> other"); shows the error and rethrows on failure. */
  link(fromId: string, otherId: string, relation: Relation): Promise<void>;
  /** Removes a link listed on `annotationId`. */
  unlink(annotationId: string, linkId: string): Promise<void>;
  /**
   * Linking from a thread: while set, a click on a highlight in the article picks the other end
   * (with the relation chosen in the thread's form). Null ends it.
   */
  setLinking(linking: { fromId: string; relation: Relation } | null): void;
  /** The pointer is over this thread's card (null: it left): its linked passages are marked. */
  hoverThread(annotationId: string | null): void;
  /** Start re-attaching a thread: the reader then selects its new passage. */
  startReattach(annotationId: string): void;
  /** An earlier revision is shown: threads are read, not changed. */
  readOnly: boolean;
}

export const ThreadActionsContext = createContext<ThreadActions | null>(null);

export function useThreadActions(): ThreadActions {
  const ctx = useContext(ThreadActionsContext);
  if (!ctx) throw new Error('ThreadActionsContext missing');
  return ctx;
}
