import { documentEvents, streamHead } from '@/lib/server/stream-routes';

export const dynamic = 'force-dynamic';

/** The document's live events (Server-Sent Events); the handler is in lib/server/stream-routes.ts. */
export const GET = documentEvents;
export const HEAD = streamHead('event stream');
