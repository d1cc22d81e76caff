import { describe, it, expect } from 'vitest';
import { NO_TARGET, NO_TRADECRAFT, type ApiAnnotation, type ApiComment, type ApiLink } from '@/lib/domain/api-types';
import { commentTree, commentTrees, initialState, linksByAnnotation, orderedAnnotations, reducer, threadLoaded, type CommentNode, type StoreState } from './store';

let seq = 0;
const ts = (n: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString();

function annotation(over: Partial<ApiAnnotation> & { start?: number } = {}): ApiAnnotation {
  const { start = 0, ...rest } = over;
  const id = rest.id ?? `a${++seq}`;
  return {
    id,
    documentId: 'd1',
    revisionId: 'r1',
    tag: 'evidence',
    status: 'open',
    scope: 'passage',
    target: { quote: { exact: 'quote', prefix: '', suffix: '' }, position: { start, end: start + 5 } },
    anchor: 'anchored',
    anchorMethod: 'created',
    ...NO_TRADECRAFT,
    anchorScore: null,
    author: { id: 'u1', name: 'Ann' },
    commentCount: 0,
    version: 1,
    createdAt: ts(0),
    updatedAt: ts(0),
    ...rest,
  };
}

function comment(annotationId: string, over: Partial<ApiComment> = {}): ApiComment {
  const id = over.id ?? `c${++seq}`;
  return {
    id,
    annotationId,
    parentId: null,
    author: { id: 'u1', name: 'Ann' },
    body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: id }] }] },
    html: `<p>${id}</p>`,
    version: 1,
    createdAt: ts(0),
    editedAt: null,
    deleted: false,
    ...over,
  };
}

const apply = (state: StoreState, ...actions: Parameters<typeof reducer>[1][]) => actions.reduce(reducer, state);
const ids = (nodes: CommentNode[]): unknown[] => nodes.map((n) => (n.replies.length ? [n.comment.id, ids(n.replies)] : n.comment.id));

describe('reducer: annotations', () => {
  it('upserts a new annotation and replaces it with a newer version', () => {
    const a = annotation({ id: 'a', tag: 'evidence' });
    let s = apply(initialState([], []), { type: 'annotation.upsert', annotation: a });
    expect(s.annotations.a).toEqual(a);
    s = reducer(s, { type: 'annotation.upsert', annotation: { ...a, tag: 'speculation', version: 2 } });
    expect(s.annotations.a.tag).toBe('speculation');
    expect(s.annotations.a.version).toBe(2);
  });

  it('ignores a stale (older) version', () => {
    const s = initialState([annotation({ id: 'a', version: 3, status: 'resolved' })], []);
    const next = reducer(s, { type: 'annotation.upsert', annotation: annotation({ id: 'a', version: 2, status: 'open' }) });
    expect(next).toBe(s);
    expect(next.annotations.a.status).toBe('resolved');
  });

  it('does not mutate the previous state', () => {
    const s = initialState([], []);
    reducer(s, { type: 'annotation.upsert', annotation: annotation({ id: 'a' }) });
    expect(s.annotations).toEqual({});
  });

  it('removing an annotation drops its comments and only its comments', () => {
    const s = initialState(
      [annotation({ id: 'a' }), annotation({ id: 'b' })],
      [comment('a', { id: 'c1' }), comment('a', { id: 'c2', parentId: 'c1' }), comment('b', { id: 'c3' })],
    );
    const next = reducer(s, { type: 'annotation.remove', id: 'a' });
    expect(Object.keys(next.annotations)).toEqual(['b']);
    expect(Object.keys(next.comments)).toEqual(['c3']);
    expect(reducer(next, { type: 'annotation.remove', id: 'missing' })).toBe(next);
  });

  it('reset replaces everything', () => {
    const s = initialState([annotation({ id: 'a' })], [comment('a', { id: 'c1' })]);
    const next = reducer(s, { type: 'reset', annotations: [annotation({ id: 'z' })], comments: [] });
    expect(Object.keys(next.annotations)).toEqual(['z']);
    expect(next.comments).toEqual({});
  });

  it('reset keeps stand-ins still being saved (a highlight made before the annotations arrived)', () => {
    const pending = annotation({ id: 'pending-1' });
    const s = reducer(initialState([], []), { type: 'annotation.upsert', annotation: pending });
    const next = reducer(s, { type: 'reset', annotations: [annotation({ id: 'z' })], comments: [] });
    expect(Object.keys(next.annotations).sort()).toEqual([pending.id, 'z'].sort());
  });
});

describe('reducer: comments', () => {
  it('comment.upsert recounts the live comments of its annotation', () => {
    let s = initialState([annotation({ id: 'a', commentCount: 0 }), annotation({ id: 'b', commentCount: 7 })], []);
    s = apply(s, { type: 'comment.upsert', comment: comment('a', { id: 'c1' }) }, { type: 'comment.upsert', comment: comment('a', { id: 'c2' }) });
    expect(s.annotations.a.commentCount).toBe(2);
    expect(s.annotations.b.commentCount).toBe(7); // untouched
    s = reducer(s, { type: 'comment.upsert', comment: comment('a', { id: 'c1', version: 2, deleted: true, body: null }) });
    expect(s.annotations.a.commentCount).toBe(1);
  });

  it('comment.upsert ignores a stale version', () => {
    const s = initialState([annotation({ id: 'a' })], [comment('a', { id: 'c1', version: 2, html: '<p>new</p>' })]);
    const next = reducer(s, { type: 'comment.upsert', comment: comment('a', { id: 'c1', version: 1, html: '<p>old</p>' }) });
    expect(next.comments.c1.html).toBe('<p>new</p>');
  });

  it('comment.upsert works for a thread whose annotation is not loaded', () => {
    const s = reducer(initialState([], []), { type: 'comment.upsert', comment: comment('ghost', { id: 'c1' }) });
    expect(s.comments.c1.annotationId).toBe('ghost');
    expect(s.annotations).toEqual({});
  });

  it('removing a comment with replies keeps a tombstone', () => {
    const s = initialState(
      [annotation({ id: 'a', commentCount: 2 })],
      [comment('a', { id: 'root' }), comment('a', { id: 'reply', parentId: 'root' })],
    );
    const next = reducer(s, { type: 'comment.remove', id: 'root' });
    expect(next.comments.root).toMatchObject({ id: 'root', deleted: true, body: null, html: '' });
    expect(next.comments.reply.deleted).toBe(false);
    expect(next.annotations.a.commentCount).toBe(1);
    expect(ids(commentTree(next, 'a'))).toEqual([['root', ['reply']]]);
  });

  it('removing a comment without replies deletes it', () => {
    const s = initialState(
      [annotation({ id: 'a', commentCount: 2 })],
      [comment('a', { id: 'root' }), comment('a', { id: 'reply', parentId: 'root' })],
    );
    const next = reducer(s, { type: 'comment.remove', id: 'reply' });
    expect(next.comments.reply).toBeUndefined();
    expect(next.comments.root.deleted).toBe(false);
    expect(next.annotations.a.commentCount).toBe(1);
    expect(reducer(next, { type: 'comment.remove', id: 'reply' })).toBe(next);
  });
});

describe('orderedAnnotations', () => {
  it('sorts by start offset, then oldest first', () => {
    const s = initialState(
      [
        annotation({ id: 'late', start: 50 }),
        annotation({ id: 'tieNew', start: 10, createdAt: ts(20) }),
        annotation({ id: 'first', start: 2, createdAt: ts(30) }),
        annotation({ id: 'tieOld', start: 10, createdAt: ts(5) }),
        annotation({ id: 'far', start: 100 }),
      ],
      [],
    );
    expect(orderedAnnotations(s).map((a) => a.id)).toEqual(['first', 'tieOld', 'tieNew', 'late', 'far']);
  });

  it('breaks a tie of place and millisecond by id, as the server orders them, whatever order they arrived in', () => {
    const s = initialState([annotation({ id: 'c9', start: 10, createdAt: ts(5) }), annotation({ id: 'c1', start: 10, createdAt: ts(5) })], []);
    expect(orderedAnnotations(s).map((a) => a.id)).toEqual(['c1', 'c9']);
  });

  it('puts page notes first (oldest first), before a highlight at the very start', () => {
    const note = (id: string, n: number): ApiAnnotation => ({ ...annotation({ id, createdAt: ts(n) }), scope: 'document', target: NO_TARGET });
    const s = initialState([annotation({ id: 'atZero', start: 0, createdAt: ts(1) }), note('noteNew', 9), annotation({ id: 'later', start: 5 }), note('noteOld', 3)], []);
    expect(orderedAnnotations(s).map((a) => a.id)).toEqual(['noteOld', 'noteNew', 'atZero', 'later']);
  });
});

describe('commentTree', () => {
  it('breaks a tie of the millisecond by id, as the server orders them', () => {
    const s = initialState([annotation({ id: 'a' })], [comment('a', { id: 'c9', createdAt: ts(5) }), comment('a', { id: 'c1', createdAt: ts(5) })]);
    expect(ids(commentTree(s, 'a'))).toEqual(['c1', 'c9']);
  });

  it('nests replies several levels deep, oldest first at every level', () => {
    // Inserted out of order on purpose.
    const s = initialState(
      [annotation({ id: 'a' })],
      [
        comment('a', { id: 'r2', createdAt: ts(40) }),
        comment('a', { id: 'r1-b', parentId: 'r1', createdAt: ts(30) }),
        comment('a', { id: 'r1-a-i-x', parentId: 'r1-a-i', createdAt: ts(25) }),
        comment('a', { id: 'r1-a-i', parentId: 'r1-a', createdAt: ts(20) }),
        comment('a', { id: 'r1-a', parentId: 'r1', createdAt: ts(10) }),
        comment('a', { id: 'r1', createdAt: ts(1) }),
        comment('a', { id: 'r1-a-ii', parentId: 'r1-a', createdAt: ts(15) }),
        comment('other', { id: 'elsewhere', createdAt: ts(0) }),
      ],
    );
    expect(ids(commentTree(s, 'a'))).toEqual([['r1', [['r1-a', ['r1-a-ii', ['r1-a-i', ['r1-a-i-x']]]], 'r1-b']], 'r2']);
  });

  it('treats a reply whose parent is gone as a root, and an unknown thread as empty', () => {
    const s = initialState([], [comment('a', { id: 'orphan', parentId: 'vanished' })]);
    expect(ids(commentTree(s, 'a'))).toEqual(['orphan']);
    expect(commentTree(s, 'nope')).toEqual([]);
  });
});

describe('tombstones', () => {
  it('drops a tombstone once its last reply is removed', () => {
    const a = annotation({ id: 'a1' });
    const parent = comment('a1', { id: 'p', createdAt: '2026-01-01T00:00:00.000Z' });
    const child = comment('a1', { id: 'c', parentId: 'p', createdAt: '2026-01-01T00:00:01.000Z' });
    let s = initialState([a], [parent, child]);
    s = reducer(s, { type: 'comment.remove', id: 'p' });
    expect(s.comments.p?.deleted).toBe(true);
    s = reducer(s, { type: 'comment.remove', id: 'c' });
    expect(Object.keys(s.comments)).toEqual([]);
  });
});

describe('commentTrees', () => {
  it('builds every thread’s tree at once and keeps the tree of a thread that did not change', () => {
    const s0 = initialState([], [comment('a', { id: 'a1', createdAt: ts(1) }), comment('a', { id: 'a2', parentId: 'a1', createdAt: ts(2) }), comment('b', { id: 'b1', createdAt: ts(1) })]);
    const t0 = commentTrees(s0.comments);
    expect(t0.get('a')!.tree.map((n) => [n.comment.id, n.replies.map((r) => r.comment.id)])).toEqual([['a1', ['a2']]]);
    expect(t0.get('b')!.tree.map((n) => n.comment.id)).toEqual(['b1']);
    // A reply in thread b: a's tree is the same object, b's is new and has it.
    const s1: StoreState = { ...s0, comments: { ...s0.comments, b2: comment('b', { id: 'b2', parentId: 'b1', createdAt: ts(3) }) } };
    const t1 = commentTrees(s1.comments, t0);
    expect(t1.get('a')).toBe(t0.get('a'));
    expect(t1.get('b')).not.toBe(t0.get('b'));
    expect(t1.get('b')!.tree[0].replies.map((r) => r.comment.id)).toEqual(['b2']);
    // An edited comment (a new object) rebuilds its thread.
    const s2 = { ...s1, comments: { ...s1.comments, a1: { ...s1.comments.a1, html: '<p>edited</p>' } } };
    expect(commentTrees(s2.comments, t1).get('a')).not.toBe(t1.get('a'));
  });
});

function link(sourceId: string, targetId: string, over: Partial<ApiLink> = {}): ApiLink {
  return { id: over.id ?? `l${++seq}`, documentId: 'd1', sourceId, targetId, type: 'supports', createdById: 'u1', createdAt: ts(++seq), ...over };
}

describe('reducer: links', () => {
  const a = annotation({ id: 'a', tag: 'evidence' });
  const b = annotation({ id: 'b', tag: 'assessment', start: 10 });

  it('lists a link on both of its annotations, read from each side', () => {
    const l = link('a', 'b', { id: 'l1' });
    const views = linksByAnnotation(apply(initialState([a, b], []), { type: 'link.upsert', link: l }));
    expect(views.get('a')).toEqual([{ link: l, direction: 'outgoing', other: b }]);
    expect(views.get('b')).toEqual([{ link: l, direction: 'incoming', other: a }]);
  });

  it('ignores a link to an annotation the page does not hold, and a repeated one', () => {
    const s = initialState([a, b], [], [link('a', 'b', { id: 'l1' })]);
    expect(reducer(s, { type: 'link.upsert', link: link('a', 'gone') })).toBe(s);
    expect(reducer(s, { type: 'link.upsert', link: s.links.l1 })).toBe(s);
  });

  it('removes a link, and every link of a deleted annotation', () => {
    let s = initialState([a, b, annotation({ id: 'c' })], [], [link('a', 'b', { id: 'l1' }), link('c', 'b', { id: 'l2' })]);
    s = reducer(s, { type: 'link.remove', id: 'l1' });
    expect(Object.keys(s.links)).toEqual(['l2']);
    s = reducer(s, { type: 'annotation.remove', id: 'b' });
    expect(s.links).toEqual({});
    expect(linksByAnnotation(s).size).toBe(0);
  });

  it('keeps an unchanged annotation\'s list (same identity) when another changes', () => {
    const c = annotation({ id: 'c', start: 20 });
    let s = initialState([a, b, c], [], [link('a', 'b', { id: 'l1' })]);
    const first = linksByAnnotation(s);
    s = reducer(s, { type: 'annotation.upsert', annotation: { ...c, version: 2, tag: 'speculation' } });
    const second = linksByAnnotation(s, first);
    expect(second.get('a')).toBe(first.get('a'));
    // The other end changed (retagged): the list showing it is new.
    s = reducer(s, { type: 'annotation.upsert', annotation: { ...b, version: 2, tag: 'speculation' } });
    const third = linksByAnnotation(s, second);
    expect(third.get('a')).not.toBe(second.get('a'));
    expect(third.get('a')![0].other.tag).toBe('speculation');
  });
});

describe('reducer: threads whose comments load later', () => {
  const a = annotation({ id: 'lazy', commentCount: 2 });
  const c1 = comment('lazy', { id: 'l1' });
  const c2 = comment('lazy', { id: 'l2' });

  it('keeps the server count of a thread not loaded, moves it with live comments, and recounts once loaded', () => {
    let s = reducer(initialState([], []), { type: 'reset', annotations: [a], comments: [], loaded: 'none' });
    expect(threadLoaded(s, 'lazy')).toBe(false);
    expect(s.annotations.lazy.commentCount).toBe(2);
    // A live comment on the thread before its comments arrived: +1, not "the one comment here".
    const live = comment('lazy', { id: 'l3' });
    s = reducer(s, { type: 'comment.upsert', comment: live });
    expect(s.annotations.lazy.commentCount).toBe(3);
    s = reducer(s, { type: 'comment.remove', id: 'gone', annotationId: 'lazy' });
    expect(s.annotations.lazy.commentCount).toBe(2);
    s = reducer(s, { type: 'comments.loaded', annotationIds: ['lazy'], comments: [c1, c2] });
    expect(threadLoaded(s, 'lazy')).toBe(true);
    expect(Object.keys(s.comments).sort()).toEqual(['l1', 'l2', 'l3']);
    expect(s.annotations.lazy.commentCount).toBe(3);
  });

  it('an older copy in a late answer does not replace a newer live one', () => {
    const edited = { ...c1, version: 2, html: '<p>new</p>' };
    let s = reducer(initialState([a], [], [], 'none'), { type: 'comment.upsert', comment: edited });
    s = reducer(s, { type: 'comments.loaded', annotationIds: ['lazy'], comments: [c1, c2] });
    expect(s.comments.l1.html).toBe('<p>new</p>');
  });
});
