import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currentState, type StreamEvent } from './event-replay';

const TYPES = ['annotation.created', 'annotation.updated', 'annotation.deleted', 'comment.created', 'comment.updated', 'comment.deleted'] as const;

/** A history of events over a few annotations (a0..a2) and comments (c0..c3, cN on annotation aN%3). */
const history = fc
  .array(fc.record({ type: fc.constantFrom(...TYPES), n: fc.integer({ min: 0, max: 3 }), v: fc.nat(99) }), { maxLength: 40 })
  .map((raw) =>
    raw.map(({ type, n, v }, i): StreamEvent => {
      const comment = type.startsWith('comment.');
      const resourceId = comment ? `c${n}` : `a${n % 3}`;
      return { id: BigInt(i + 1), documentId: 'd', type, resourceId, payload: comment ? { id: resourceId, annotationId: `a${n % 3}`, v } : { id: resourceId, v } };
    }),
  );
const key = (e: StreamEvent) => `${e.type.split('.')[0]}:${e.resourceId}`;

describe('currentState', () => {
  it('keeps each resource’s latest event only, in id order', () => {
    fc.assert(
      fc.property(history, (events) => {
        const out = currentState(events);
        const ids = out.map((e) => e.id);
        expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
        expect(new Set(out.map(key)).size).toBe(out.length);
        for (const e of out) expect(events.filter((x) => key(x) === key(e)).at(-1)).toBe(e);
      }),
    );
  });

  it('sends nothing older than what the reader would see now: no superseded version, no comment of a deleted annotation', () => {
    fc.assert(
      fc.property(history, (events) => {
        const out = currentState(events);
        const deleted = new Set(out.filter((e) => e.type === 'annotation.deleted').map((e) => e.resourceId));
        for (const e of out) {
          const p = e.payload as { annotationId?: string };
          if (e.type === 'comment.created' || e.type === 'comment.updated') expect(deleted.has(p.annotationId!)).toBe(false);
        }
        // Every resource touched is accounted for: sent, or a comment whose annotation's deletion is sent.
        for (const e of events) {
          const sent = out.some((o) => key(o) === key(e));
          const p = e.payload as { annotationId?: string };
          expect(sent || (e.type.startsWith('comment.') && deleted.has(p.annotationId!))).toBe(true);
        }
      }),
    );
  });

  it('an edit replaces the original; a deletion replaces both', () => {
    const ev = (id: number, type: string, resourceId: string, payload: object): StreamEvent => ({ id: BigInt(id), documentId: 'd', type, resourceId, payload });
    const created = ev(1, 'comment.created', 'c', { id: 'c', annotationId: 'a', html: '<p>original</p>' });
    const edited = ev(2, 'comment.updated', 'c', { id: 'c', annotationId: 'a', html: '<p>edited</p>' });
    const revision = ev(3, 'revision.created', 'r', {});
    expect(currentState([created, edited, revision])).toEqual([edited, revision]);
    const gone = ev(4, 'comment.deleted', 'c', { id: 'c', annotationId: 'a' });
    expect(currentState([created, edited, revision, gone])).toEqual([revision, gone]);
  });
});
