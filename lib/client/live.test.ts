import { describe, expect, it } from 'vitest';
import { nextLiveState, type LiveState, eventToAction } from './live';

/** Replays what a connection reports and returns what the page showed after each report. */
const run = (reports: LiveState[]) => {
  let shown: LiveState = 'connecting';
  return reports.map((r) => (shown = nextLiveState(shown, r)));
};

describe('nextLiveState', () => {
  it('shows the first connect, then live', () => {
    expect(run(['connecting', 'live'])).toEqual(['connecting', 'live']);
  });

  it('keeps "reconnecting" through every retry until the server says live (no flicker while it is down)', () => {
    expect(run(['live', 'reconnecting', 'connecting', 'reconnecting', 'connecting', 'connecting', 'live'])).toEqual([
      'live',
      'reconnecting',
      'reconnecting',
      'reconnecting',
      'reconnecting',
      'reconnecting',
      'live',
    ]);
  });

  it('a closed stream stays closed', () => {
    expect(run(['live', 'closed', 'connecting', 'live', 'reconnecting'])).toEqual(['live', 'closed', 'closed', 'closed', 'closed']);
  });
});

describe('eventToAction: links', () => {
  it('maps link events onto the store and ignores types it does not know', () => {
    const link = { id: 'l1', documentId: 'd', sourceId: 'a', targetId: 'b', type: 'supports', createdById: 'u', createdAt: '2026-01-01T00:00:00Z' };
    expect(eventToAction('link.created', link)).toEqual({ type: 'link.upsert', link });
    expect(eventToAction('link.deleted', link)).toEqual({ type: 'link.remove', id: 'l1' });
    expect(eventToAction('link.renamed', link)).toBeNull();
  });
});
