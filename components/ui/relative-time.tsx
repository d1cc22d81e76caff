'use client';

import { useSyncExternalStore } from 'react';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600], ['month', 30 * 24 * 3600], ['week', 7 * 24 * 3600],
  ['day', 24 * 3600], ['hour', 3600], ['minute', 60],
];

// Intl formatters are costly to create; one of each serves every timestamp on the page.
let relativeFmt: Intl.RelativeTimeFormat | null = null;
let exactFmt: Intl.DateTimeFormat | null = null;

export function relative(iso: string, now: number): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  const fmt = (relativeFmt ??= new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' }));
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'minute') return fmt.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

// One clock for every timestamp on the page. It reads the time in steps of TICK, so two reads
// within a step agree (useSyncExternalStore requires that), and wakes its readers once a step.
const TICK = 15_000;
const readers = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
const clock = () => Math.floor(Date.now() / TICK) * TICK;
function subscribe(reader: () => void) {
  readers.add(reader);
  timer ??= setInterval(() => readers.forEach((r) => r()), TICK);
  return () => {
    readers.delete(reader);
    if (readers.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** "2 min ago", with the exact time on hover (only that before hydration); refreshes itself. */
export function RelativeTime({ iso }: { iso: string }) {
  const now = useSyncExternalStore(subscribe, clock, () => null);
  const exact = (exactFmt ??= new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' })).format(new Date(iso));
  return (
    <time dateTime={iso} title={exact}>
      {now === null ? exact : relative(iso, now)}
    </time>
  );
}
