import { describe, expect, it } from 'vitest';
import { nextLiveState, type LiveState } from './live';

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
