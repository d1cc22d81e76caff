'use client';

import { useEffect, useState } from 'react';

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

/** "2 min ago", with the exact time on hover; refreshes itself every half minute. */
export function RelativeTime({ iso }: { iso: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  const exact = (exactFmt ??= new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' })).format(new Date(iso));
  return (
    <time dateTime={iso} title={exact}>
      {now === null ? exact : relative(iso, now)}
    </time>
  );
}
