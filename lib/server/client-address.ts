import 'server-only';
import { env } from './env';

/**
 * The address of the client that sent a request. Route handlers never see the socket, so
 * scripts/serve.mjs (the server `npm start` runs) computes it from the socket's peer and, only
 * behind TRUSTED_PROXIES, from X-Forwarded-For, and passes it in a header it always overwrites.
 * Under any other server (e.g. `next start` run by hand) the header could come from the client,
 * so it is ignored and the address is unknown: throttles then count every such client together.
 */
const HEADER = 'x-marginalia-client-address';

export function clientAddress(headers: Headers): string {
  if (!env.clientAddressHeaderTrusted()) return 'unknown';
  return headers.get(HEADER)?.slice(0, 64) || 'unknown';
}
