/**
 * The client-side annotation store: one normalised state of the document's annotations and
 * comments that both the highlight layer and the sidebar read. A pure reducer, so that API
 * answers (and, later, live events) are applied the same way.
 */
import { isPageNote, type ApiAnnotation, type ApiComment, type ApiLink } from '@/lib/domain/api-types';
import { isPending, plainText } from './optimistic';

export interface StoreState {
  annotations: Record<string, ApiAnnotation>;
  comments: Record<string, ApiComment>;
  /** Typed links between the document's annotations (supports, contradicts, depends on). */
  links: Record<string, ApiLink>;
  /**
   * The threads whose comments are all here: every one, or those loaded so far (the page loads a
   * thread's comments when it comes into view). A thread not loaded keeps the server's count.
   */
  loaded: 'all' | ReadonlySet<string>;
}

export type StoreAction =
  | { type: 'annotation.upsert'; annotation: ApiAnnotation }
  | { type: 'annotation.remove'; id: string }
  | { type: 'comment.upsert'; comment: ApiComment }
  | { type: 'comment.remove'; id: string; annotationId?: string }
  | { type: 'link.upsert'; link: ApiLink }
  | { type: 'link.remove'; id: string }
  | { type: 'comments.loaded'; annotationIds: string[]; comments: ApiComment[] }
  | { type: 'reset'; annotations: ApiAnnotation[]; comments: ApiComment[]; links?: ApiLink[]; loaded?: 'all' | 'none' };

export function initialState(annotations: ApiAnnotation[], comments: ApiComment[], links: ApiLink[] = [], loaded: 'all' | 'none' = 'all'): StoreState {
  return {
    annotations: Object.fromEntries(annotations.map((a) => [a.id, a])),
    comments: Object.fromEntries(comments.map((c) => [c.id, c])),
    links: Object.fromEntries(links.map((l) => [l.id, l])),
    loaded: loaded === 'all' ? 'all' : new Set(),
  };
}

/** Whether all of a thread's comments are in the store (see StoreState.loaded). */
export const threadLoaded = (state: StoreState, annotationId: string): boolean =>
  state.loaded === 'all' || state.loaded.has(annotationId) || isPending(annotationId);

function countLive(comments: Record<string, ApiComment>, annotationId: string): number {
  return Object.values(comments).filter((c) => c.annotationId === annotationId && !c.deleted).length;
}

/**
 * The state with these comments and the thread's count: recounted when all its comments are
 * here, else moved by `delta` (a comment the store did not have arrived, or one went).
 */
function withCount(state: StoreState, comments: Record<string, ApiComment>, annotationId: string, delta = 0): StoreState {
  const a = state.annotations[annotationId];
  if (!a) return { ...state, comments };
  const commentCount = threadLoaded(state, annotationId) ? countLive(comments, annotationId) : Math.max(0, a.commentCount + delta);
  return { ...state, comments, annotations: { ...state.annotations, [annotationId]: { ...a, commentCount } } };
}

export function reducer(state: StoreState, action: StoreAction): StoreState {
  switch (action.type) {
    case 'reset': {
      // Stand-ins still being saved stay: the server's copies replace them when they arrive.
      const next = initialState(action.annotations, action.comments, action.links, action.loaded);
      for (const a of Object.values(state.annotations)) if (isPending(a.id)) next.annotations[a.id] = a;
      for (const c of Object.values(state.comments)) if (isPending(c.id)) next.comments[c.id] = c;
      return next;
    }
    case 'annotation.upsert': {
      const a = action.annotation;
      const prev = state.annotations[a.id];
      // Never let an older copy (a late answer) overwrite a newer one.
      if (prev && prev.version > a.version) return state;
      const annotations = { ...state.annotations, [a.id]: a };
      // The server's copy (answer or live event, whichever comes first) replaces its stand-in.
      if (!isPending(a.id)) {
        for (const p of Object.values(annotations)) {
          if (isPending(p.id) && p.author.id === a.author.id && p.tag === a.tag && p.scope === a.scope && p.target.position.start === a.target.position.start && p.target.position.end === a.target.position.end) {
            delete annotations[p.id];
          }
        }
      }
      return { ...state, annotations };
    }
    case 'annotation.remove': {
      if (!state.annotations[action.id]) return state;
      const annotations = { ...state.annotations };
      delete annotations[action.id];
      const comments = Object.fromEntries(Object.entries(state.comments).filter(([, c]) => c.annotationId !== action.id));
      // Its links go with it (the server deletes them too, each with its own event).
      const touches = Object.values(state.links).some((l) => l.sourceId === action.id || l.targetId === action.id);
      const links = touches ? Object.fromEntries(Object.entries(state.links).filter(([, l]) => l.sourceId !== action.id && l.targetId !== action.id)) : state.links;
      return { ...state, annotations, comments, links };
    }
    case 'comments.loaded': {
      const comments = { ...state.comments };
      for (const c of action.comments) if (!comments[c.id] || comments[c.id].version <= c.version) comments[c.id] = c;
      const loaded = state.loaded === 'all' ? 'all' : new Set([...state.loaded, ...action.annotationIds]);
      let next: StoreState = { ...state, comments, loaded };
      for (const id of action.annotationIds) next = withCount(next, comments, id);
      return next;
    }
    case 'comment.upsert': {
      const c = action.comment;
      const prev = state.comments[c.id];
      if (prev && prev.version > c.version) return state;
      const comments = { ...state.comments, [c.id]: c };
      if (!isPending(c.id)) {
        const text = plainText(c.body).trim();
        for (const p of Object.values(comments)) {
          if (isPending(p.id) && p.annotationId === c.annotationId && p.parentId === c.parentId && p.author.id === c.author.id && plainText(p.body).trim() === text) {
            delete comments[p.id];
            break;
          }
        }
      }
      return withCount(state, comments, c.annotationId, prev || c.deleted ? 0 : 1);
    }
    case 'comment.remove': {
      const c = state.comments[action.id];
      if (!c) {
        // A comment of a thread not loaded yet: only its count can follow.
        const a = action.annotationId ? state.annotations[action.annotationId] : undefined;
        return a && !threadLoaded(state, a.id) ? withCount(state, state.comments, a.id, -1) : state;
      }
      const comments = { ...state.comments };
      const hasReplies = Object.values(comments).some((x) => x.parentId === c.id);
      // A comment with replies stays as a tombstone so its replies keep their place.
      if (hasReplies) comments[c.id] = { ...c, deleted: true, body: null, html: '' };
      else {
        delete comments[c.id];
        // A tombstone left with no replies has nothing more to hold in place.
        for (let p = c.parentId ? comments[c.parentId] : undefined; p?.deleted; p = p.parentId ? comments[p.parentId] : undefined) {
          if (Object.values(comments).some((x) => x.parentId === p!.id)) break;
          delete comments[p.id];
        }
      }
      return withCount(state, comments, c.annotationId);
    }
    case 'link.upsert': {
      const l = action.link;
      // A link whose end is not (or no longer) in this page's store would show as a dangling row.
      if (!state.annotations[l.sourceId] || !state.annotations[l.targetId]) return state;
      if (state.links[l.id]) return state;
      return { ...state, links: { ...state.links, [l.id]: l } };
    }
    case 'link.remove': {
      if (!state.links[action.id]) return state;
      const links = { ...state.links };
      delete links[action.id];
      return { ...state, links };
    }
  }
}

/** A link as one of its annotations shows it: the other end and which way it points. */
export interface LinkView {
  link: ApiLink;
  direction: 'outgoing' | 'incoming';
  other: ApiAnnotation;
}

export type LinkViews = Map<string, LinkView[]>;

/**
 * Every annotation's links, oldest first, with the annotation at the other end. An annotation
 * whose links and other ends are the very same objects as in `previous` keeps its previous list
 * (same identity), so a memoised card re-renders only when its own links changed.
 */
export function linksByAnnotation(state: StoreState, previous?: LinkViews): LinkViews {
  const out: LinkViews = new Map();
  const add = (id: string, v: LinkView) => {
    const list = out.get(id);
    if (list) list.push(v);
    else out.set(id, [v]);
  };
  for (const link of Object.values(state.links).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))) {
    const source = state.annotations[link.sourceId];
    const target = state.annotations[link.targetId];
    if (!source || !target) continue;
    add(source.id, { link, direction: 'outgoing', other: target });
    add(target.id, { link, direction: 'incoming', other: source });
  }
  for (const [id, list] of out) {
    const before = previous?.get(id);
    if (before && before.length === list.length && list.every((v, i) => before[i].link === v.link && before[i].other === v.other)) out.set(id, before);
  }
  return out;
}

/** Ties of the millisecond go by id, as the server orders them (cuids grow with time). */
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Page notes first, then the highlights in document order; each oldest first. */
export function orderedAnnotations(state: StoreState): ApiAnnotation[] {
  const note = (a: ApiAnnotation) => (isPageNote(a) ? 0 : 1);
  return Object.values(state.annotations).sort(
    (a, b) => note(a) - note(b) || a.target.position.start - b.target.position.start || a.createdAt.localeCompare(b.createdAt) || byId(a, b),
  );
}

export interface CommentNode {
  comment: ApiComment;
  replies: CommentNode[];
}

/** The comments of one thread as a tree, oldest first at every level. */
export function commentTree(state: StoreState, annotationId: string): CommentNode[] {
  return treeOf(Object.values(state.comments).filter((c) => c.annotationId === annotationId));
}

function treeOf(comments: ApiComment[]): CommentNode[] {
  const list = [...comments].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || byId(a, b));
  const nodes = new Map(list.map((c) => [c.id, { comment: c, replies: [] as CommentNode[] }]));
  const roots: CommentNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.comment.parentId ? nodes.get(n.comment.parentId) : undefined;
    if (parent) parent.replies.push(n);
    else roots.push(n);
  }
  return roots;
}

export type CommentTrees = Map<string, { comments: ApiComment[]; tree: CommentNode[] }>;

/**
 * Every thread's comment tree, built in one pass over the comments. A thread whose comments are
 * the very same objects as in `previous` keeps its previous tree (same identity), so a memoised
 * card re-renders only when its own thread changed.
 */
export function commentTrees(comments: Record<string, ApiComment>, previous?: CommentTrees): CommentTrees {
  const groups = new Map<string, ApiComment[]>();
  for (const c of Object.values(comments)) {
    const g = groups.get(c.annotationId);
    if (g) g.push(c);
    else groups.set(c.annotationId, [c]);
  }
  const out: CommentTrees = new Map();
  for (const [annotationId, list] of groups) {
    const before = previous?.get(annotationId);
    const same = before && before.comments.length === list.length && list.every((c, i) => before.comments[i] === c);
    out.set(annotationId, same ? before : { comments: list, tree: treeOf(list) });
  }
  return out;
}
