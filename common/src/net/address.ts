// Client network addresses, as the rate limits and the fraud signals compare
// them (docs/security.md, "Which address"). Pure functions, no I/O.
import ipaddr from 'ipaddr.js';

/** Prefix length of the IPv4 network compared by the `same_network` signal. */
export const IPV4_NETWORK_PREFIX = 24;

/**
 * Prefix length of the IPv6 network compared by `same_network`, and the unit
 * of IPv6 rate limits: one subscriber usually holds a whole /64, so keying a
 * limit on the exact address would let one client rotate through 2^64 keys.
 */
export const IPV6_NETWORK_PREFIX = 64;

/**
 * The canonical text of an IP address (IPv4-mapped IPv6 such as
 * `::ffff:192.0.2.1` as plain IPv4, IPv6 in its shortest form, no zone), or
 * null for anything that is not an address (empty, `unknown`, a host name).
 */
export function normalizeAddress(value: string | null | undefined): string | null {
  const text = value?.trim();
  // Four-part decimal only for IPv4: ipaddr.js also reads `1` or `0x7f.1` as addresses.
  if (!text || !(ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text))) return null;
  try {
    const parsed = ipaddr.process(text.replace(/%.*$/, ''));
    return parsed.toString();
  } catch {
    return null;
  }
}

/** The network an address belongs to: its /24 (IPv4) or /64 (IPv6), e.g. `192.0.2.0/24`. */
export function networkOf(address: string): string | null {
  const normalized = normalizeAddress(address);
  if (normalized === null) return null;
  const v4 = ipaddr.parse(normalized).kind() === 'ipv4';
  const prefix = v4 ? IPV4_NETWORK_PREFIX : IPV6_NETWORK_PREFIX;
  const network = v4
    ? ipaddr.IPv4.networkAddressFromCIDR(`${normalized}/${prefix}`)
    : ipaddr.IPv6.networkAddressFromCIDR(`${normalized}/${prefix}`);
  return `${network.toString()}/${prefix}`;
}

/**
 * The key of a per-client rate limit: the exact IPv4 address, or the /64 of an
 * IPv6 address. A client without a usable address shares the key `unknown`.
 */
export function rateLimitKeyOf(address: string | null): string {
  const normalized = normalizeAddress(address);
  if (normalized === null) return 'unknown';
  return ipaddr.parse(normalized).kind() === 'ipv4' ? normalized : networkOf(normalized)!;
}

/** True for 127.0.0.0/8 and ::1: the machine itself. */
export function isLoopbackAddress(address: string | null): boolean {
  const normalized = normalizeAddress(address);
  return normalized !== null && ipaddr.parse(normalized).range() === 'loopback';
}
