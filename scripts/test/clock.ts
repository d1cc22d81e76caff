/** The test's clock, for code that counts in windows of wall-clock time. */
import { vi } from 'vitest';

/**
 * Freezes the test's clock (Date only; timers still run) one second into the next minute, so
 * counts in a fixed one-minute window (API-token quotas) cannot cross into the next window.
 * Undo with vi.useRealTimers().
 */
export function pinToMinuteStart(): void {
  const next = Math.ceil(Date.now() / 60_000) * 60_000 + 1000;
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(next);
}
