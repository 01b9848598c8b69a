import type { IncomingMessage } from 'node:http';
import { normalizeAddress } from '@app/common/net';
import proxyaddr from 'proxy-addr';
import { CLIENT_ADDRESS_HEADER } from './client-address';

/**
 * TRUST_PROXY, as Express's `trust proxy` reads it (the package proxy-addr
 * decides): which hops of X-Forwarded-For were written by proxies of the
 * operator, and so which address is the client's.
 * - null (unset, `false`, `0`): no proxy; the client is the TCP peer.
 * - `{ hops: n }`: n proxies in front, one behind the other; the client is the
 *   address the outermost one received the request from.
 * - `{ addresses }`: the proxies' addresses or CIDR ranges (or `loopback`,
 *   `linklocal`, `uniquelocal`); the client is the nearest address not among them.
 */
export type TrustProxy = { hops: number } | { addresses: string[] } | null;

export const MAX_TRUSTED_HOPS = 10;

/** TRUST_PROXY as a setting, or the problem with it (the server refuses to start). */
export function parseTrustProxy(value: string | undefined): { ok: true; trust: TrustProxy } | { ok: false; problem: string } {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'false' || text === '0') return { ok: true, trust: null };
  if (text === 'true') {
    return {
      ok: false,
      problem:
        'TRUST_PROXY=true would trust every X-Forwarded-For entry, so a client could choose its own address: give the number of proxies in front of the web app (e.g. 1), or their addresses',
    };
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > MAX_TRUSTED_HOPS) return { ok: false, problem: `TRUST_PROXY: at most ${MAX_TRUSTED_HOPS} proxies` };
    return { ok: true, trust: { hops } };
  }
  const addresses = text.split(',').map((s) => s.trim()).filter(Boolean);
  try {
    proxyaddr.compile(addresses);
  } catch (error) {
    return {
      ok: false,
      problem: `TRUST_PROXY: ${error instanceof Error ? error.message : String(error)} (a number of proxies, or addresses, CIDR ranges, loopback, linklocal, uniquelocal)`,
    };
  }
  return { ok: true, trust: { addresses } };
}

/** The proxy-addr trust function of a setting. */
export function compileTrust(trust: TrustProxy): (address: string, hop: number) => boolean {
  if (trust === null) return () => false;
  if ('hops' in trust) {
    const { hops } = trust;
    return (_address, hop) => hop < hops;
  }
  return proxyaddr.compile(trust.addresses);
}

/**
 * Writes the client's address into CLIENT_ADDRESS_HEADER (replacing whatever
 * the client sent under that name): the nearest address of the chain (TCP
 * peer, then X-Forwarded-For from the right) that is not a trusted proxy. When
 * there is none (every hop is trusted: a request that did not come through the
 * proxies, or `X-Forwarded-For: ,`), or it is not an address, the header is
 * removed: the app then has no address, which the fraud signals count as
 * suspicious, instead of taking a proxy's address for the client's.
 */
export function stampClientAddress(request: IncomingMessage, trust: (address: string, hop: number) => boolean): string | null {
  delete request.headers[CLIENT_ADDRESS_HEADER];
  let address: string | null = null;
  try {
    const chain = proxyaddr.all(request, trust);
    const nearest = chain.length - 1;
    address = trust(chain[nearest]!, nearest) ? null : normalizeAddress(chain[nearest]);
  } catch {
    // A socket already gone has no address.
  }
  if (address !== null) request.headers[CLIENT_ADDRESS_HEADER] = address;
  return address;
}
