/**
 * The document page's inline script (scripts/build-early-paint.mjs bundles this into
 * generated/early-paint.ts; app/documents/[id]/page.tsx writes it right after the article). It
 * runs when the parser reaches it, before the page's own scripts have loaded, and paints the
 * paint plan carried in its own element's data attributes (lib/client/css-highlights.ts,
 * paintFromPlan).
 */
import { paintFromPlan } from './css-highlights';

const script = document.currentScript as HTMLScriptElement | null;
const { plan, revision, count } = script?.dataset ?? {};
if (plan !== undefined && revision && count) paintFromPlan(revision, plan, Number(count));
