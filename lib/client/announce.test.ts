import { describe, expect, it } from 'vitest';
import { NO_TRADECRAFT, type ApiAnnotation, type ApiComment } from '@/lib/domain/api-types';
import { announcement } from './announce';
import { initialState } from './store';

const ann = (over: Partial<ApiAnnotation> = {}): ApiAnnotation => ({
  id: 'a1', documentId: 'd', revisionId: 'r', tag: 'speculation', status: 'open',
  target: { quote: { exact: 'Beyond ammunition, there is speculation about far more', prefix: '', suffix: '' }, position: { start: 0, end: 10 } },
  anchor: 'anchored', anchorMethod: 'created', anchorScore: null, ...NO_TRADECRAFT, author: { id: 'ben', name: 'Ben Moss' }, commentCount: 0, version: 1,
  createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', ...over,
} as ApiAnnotation);
const comment = (over: Partial<ApiComment> = {}): ApiComment => ({
  id: 'c1', annotationId: 'a1', parentId: null, author: { id: 'ben', name: 'Ben Moss' }, body: null, html: '<p>x</p>', version: 1,
  createdAt: '2026-01-01T00:00:00Z', editedAt: null, deleted: false, ...over,
});

describe('announcement', () => {
  const state = initialState([ann()], []);
  it('names who highlighted or commented, and where, in one short sentence', () => {
    expect(announcement({ type: 'annotation.upsert', annotation: ann({ id: 'a2' }) }, state, 'me')).toBe('Ben Moss highlighted “Beyond ammunition, there is speculation…” as speculation');
    expect(announcement({ type: 'comment.upsert', comment: comment() }, state, 'me')).toBe('Ben Moss commented on “Beyond ammunition, there is speculation…”');
    expect(announcement({ type: 'comment.upsert', comment: comment({ parentId: 'c0' }) }, state, 'me')).toBe('Ben Moss replied on “Beyond ammunition, there is speculation…”');
  });
  it('says when a thread is resolved, reopened, retagged or deleted', () => {
    expect(announcement({ type: 'annotation.upsert', annotation: ann({ status: 'resolved', version: 2 }) }, state, 'me')).toMatch(/was resolved$/);
    expect(announcement({ type: 'annotation.upsert', annotation: ann({ tag: 'evidence', version: 2 }) }, state, 'me')).toMatch(/is now evidence$/);
    expect(announcement({ type: 'annotation.remove', id: 'a1' }, state, 'me')).toMatch(/were deleted$/);
  });
  it('names a page note by its author (it has no quote)', () => {
    const note = ann({ id: 'n1', scope: 'document', tag: 'assessment', target: { quote: { exact: '', prefix: '', suffix: '' }, position: { start: 0, end: 0 } } });
    const withNote = initialState([note], []);
    expect(announcement({ type: 'annotation.upsert', annotation: { ...note, id: 'n2' } }, withNote, 'me')).toBe('Ben Moss added a page note (assessment)');
    expect(announcement({ type: 'comment.upsert', comment: comment({ annotationId: 'n1' }) }, withNote, 'me')).toBe('Ben Moss commented on the page note by Ben Moss');
    expect(announcement({ type: 'annotation.upsert', annotation: { ...note, status: 'resolved', version: 2 } }, withNote, 'me')).toBe('The page note by Ben Moss was resolved');
    expect(announcement({ type: 'annotation.remove', id: 'n1' }, withNote, 'me')).toBe('The page note by Ben Moss and its thread were deleted');
  });
  it('is silent for the reader’s own changes and for copies it already has', () => {
    expect(announcement({ type: 'annotation.upsert', annotation: ann({ id: 'a2' }) }, state, 'ben')).toBeNull();
    expect(announcement({ type: 'annotation.upsert', annotation: ann() }, state, 'me')).toBeNull();
    expect(announcement({ type: 'comment.upsert', comment: comment() }, state, 'ben')).toBeNull();
  });
});
