import { normalizeAddress } from '@app/common/net';

/**
 * The request header in which the web server (web/server.ts) hands the app
 * the client's address: the TCP peer, or the address the trusted proxies
 * (TRUST_PROXY) received the request from. The server sets it on every
 * request and discards whatever a client sent under this name, so the app can
 * trust it; docs/security.md ("Which address") says how it is chosen.
 */
export const CLIENT_ADDRESS_HEADER = 'x-referrals-client-address';

/** The client's address of a request, or null when the server found none usable. */
export function clientAddress(headers: Headers): string | null {
  return normalizeAddress(headers.get(CLIENT_ADDRESS_HEADER));
}
