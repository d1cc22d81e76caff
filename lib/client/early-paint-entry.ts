/**
 * The document page's inline script (scripts/build-early-paint.mjs bundles this into
 * generated/early-paint.ts; app/documents/[id]/page.tsx writes it after the article). It reads
 * what to ask for from its own element's data attributes.
 */
import { startEarly } from './early-paint';

const script = document.currentScript as HTMLScriptElement | null;
const { url, revision } = script?.dataset ?? {};
if (url && revision) startEarly(url, revision);
