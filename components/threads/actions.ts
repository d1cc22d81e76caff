'use client';

import { createContext, useContext } from 'react';
import type { ApiComment, ApiTradecraft } from '@/lib/domain/api-types';
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
  deleteAnnotation(annotationId: string): Promise<void>;
  /** Makes a thread the active one; `compose` also puts the focus in its comment box. */
  focus(annotationId: string, opts?: { scroll?: boolean; compose?: boolean }): void;
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
