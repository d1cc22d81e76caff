import { describe, expect, it } from 'vitest';
import { initialState, reducer } from './store';
import { isPending, optimisticAnnotation, optimisticComment, plainText } from './optimistic';

const me = { id: 'u1', name: 'Ana' };
const body = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }, { type: 'hardBreak' }, { type: 'text', text: 'two' }] }, { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'three' }] }] }] }] };

describe('optimistic stand-ins', () => {
  it('are marked pending and lose to the server copy', () => {
    const a = optimisticAnnotation({ documentId: 'd', revisionId: 'r' }, me, 'evidence', { quote: { exact: 'x', prefix: '', suffix: '' }, position: { start: 0, end: 1 } });
    expect(isPending(a.id)).toBe(true);
    expect(isPending('cm123')).toBe(false);
    const c = optimisticComment(a.id, null, me, body);
    let s = reducer(initialState([a], []), { type: 'comment.upsert', comment: c });
    expect(s.annotations[a.id].commentCount).toBe(1);
    s = reducer(s, { type: 'comment.remove', id: c.id });
    s = reducer(s, { type: 'annotation.remove', id: a.id });
    expect(s).toEqual({ annotations: {}, comments: {}, links: {}, loaded: 'all' });
    expect(optimisticComment('a', null, me, body).id).not.toBe(c.id);
  });

  it('show the plain text of a body while sending', () => {
    expect(plainText(body)).toBe('one\ntwo\nthree\n\n');
    expect(plainText(null)).toBe('');
  });
});

describe('reconciliation', () => {
  it('the server copy replaces the stand-in even when a live event beats the answer', () => {
    const target = { quote: { exact: 'x', prefix: '', suffix: '' }, position: { start: 3, end: 9 } };
    const temp = optimisticAnnotation({ documentId: 'd', revisionId: 'r' }, me, 'evidence', target);
    const real = { ...temp, id: 'cm1', version: 1 };
    let s = reducer(initialState([temp], []), { type: 'annotation.upsert', annotation: real });
    expect(Object.keys(s.annotations)).toEqual(['cm1']);
    const pc = optimisticComment('cm1', null, me, body);
    s = reducer(s, { type: 'comment.upsert', comment: pc });
    s = reducer(s, { type: 'comment.upsert', comment: { ...pc, id: 'cc1', version: 1, html: '<p>one</p>' } });
    expect(Object.keys(s.comments)).toEqual(['cc1']);
    expect(s.annotations.cm1.commentCount).toBe(1);
    // Removing the (already gone) stand-in afterwards changes nothing.
    expect(reducer(s, { type: 'comment.remove', id: pc.id })).toBe(s);
  });
});
