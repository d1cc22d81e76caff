import { useSyncExternalStore } from 'react';

const never = () => () => {};

/**
 * A value only the browser knows (a DOM lookup, a feature test): `server` while rendering on the
 * server and hydrating, the browser's value from then on, without a setState in an effect (one
 * render, no hydration mismatch). `read` must return the same value (===) while nothing changed.
 */
export function useClientValue<T>(read: () => T, server: T): T {
  return useSyncExternalStore(never, read, () => server);
}

/** False on the server and during hydration, true once the page is live in the browser. */
export function useHydrated(): boolean {
  return useClientValue(() => true, false);
}
