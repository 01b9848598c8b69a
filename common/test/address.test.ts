import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, networkOf, normalizeAddress, rateLimitKeyOf } from '../src/net/address';

describe('client addresses', () => {
  it('normalises IPv4-mapped IPv6 and long IPv6 forms, and refuses what is not an address', () => {
    expect(normalizeAddress('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(normalizeAddress(' 192.0.2.7 ')).toBe('192.0.2.7');
    expect(normalizeAddress('2001:0db8:0001:0002:0000:0000:0000:0001')).toBe('2001:db8:1:2::1');
    for (const bad of ['', ',', ' , ', 'unknown', 'localhost', '1', '0x7f.1', '999.1.1.1', null, undefined]) {
      expect(normalizeAddress(bad), String(bad)).toBeNull();
    }
  });

  it('puts an IPv4 address in its /24 and an IPv6 address in its /64', () => {
    expect(networkOf('192.0.2.7')).toBe('192.0.2.0/24');
    expect(networkOf('::ffff:192.0.2.200')).toBe('192.0.2.0/24');
    expect(networkOf('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(networkOf('not an address')).toBeNull();
  });

  it('keys rate limits by the IPv4 address, or by the IPv6 /64, so one IPv6 client cannot rotate through keys', () => {
    expect(rateLimitKeyOf('192.0.2.7')).toBe('192.0.2.7');
    expect(rateLimitKeyOf('192.0.2.8')).toBe('192.0.2.8');
    expect(rateLimitKeyOf('2001:db8:1:2::1')).toBe(rateLimitKeyOf('2001:db8:1:2:ffff::9'));
    expect(rateLimitKeyOf('2001:db8:1:3::1')).not.toBe(rateLimitKeyOf('2001:db8:1:2::1'));
    expect(rateLimitKeyOf(null)).toBe('unknown');
  });

  it('knows loopback addresses', () => {
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('10.0.0.1')).toBe(false);
  });
});
