/**
 * The threads' first answer, started before the page's scripts run. The document page carries a
 * small inline script (lib/client/early-paint-entry.ts, bundled by scripts/build-early-paint.mjs)
 * right after the article: while the page is still being parsed, long before Next's chunks are
 * loaded and evaluated, it asks for the list the page preloads (the same request, so the preload
 * answers it) and paints the highlights over the server-rendered article (paintEarly). The
 * reader's hook then takes that same answer (takeEarlyAnswer) instead of asking again: a preload
 * answers one request only.
 */
import { api } from './api';
import { paintEarly } from './css-highlights';
import { highlightSpecs } from '@/lib/domain/highlight';
import type { ApiAnnotation } from '@/lib/domain/api-types';

/** On the window, shared by the inline script's copy of this module and the page's. */
const KEY = '__marginaliaFirstAnswer';
type Early = { url: string; answer: Promise<unknown> };
const slot = globalThis as typeof globalThis & { [KEY]?: Early };

/** Asks for `url` and paints its highlights over the article of `revisionId` once it is in. */
export function startEarly(url: string, revisionId: string): void {
  const answer = api<{ annotations: ApiAnnotation[] }>('GET', url);
  slot[KEY] = { url, answer };
  answer.then((body) => paintEarly(revisionId, highlightSpecs(body.annotations)), () => {}); // errors: the reader's, from the same promise
}

/** The answer the inline script asked for, if it asked for this URL. */
export function earlyAnswer<T>(url: string): Promise<T> | null {
  const early = slot[KEY];
  return early?.url === url ? (early.answer as Promise<T>) : null;
}

/**
 * Lets the inline script's answer go once the reader has it: a later visit in the same tab (the
 * app navigates without reloading) asks anew, and the window does not keep the answer alive.
 * Not done when the answer is read: React may call a state initializer again (a render it threw
 * away, or Strict Mode's second call), which must find the same answer.
 */
export function forgetEarlyAnswer(): void {
  delete slot[KEY];
}
