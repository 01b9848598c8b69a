import { describe, expect, it } from 'vitest';
import { WS_TOKEN_TTL_SECONDS } from '../src/constants';
import { createWsToken, verifyWsToken } from '../src/auth/ws-token';

const SECRET = 'test-secret-that-is-long-enough';
const NOW = new Date('2026-11-26T12:00:00Z');

describe('websocket tokens', () => {
  it('round-trips the user id until it expires', () => {
    const { token, expiresAt } = createWsToken({ userId: 'user-1', secret: SECRET, now: NOW });
    expect(expiresAt.getTime() - NOW.getTime()).toBe(WS_TOKEN_TTL_SECONDS * 1000);
    expect(verifyWsToken(token, SECRET, NOW)).toEqual({ sub: 'user-1', exp: expiresAt.getTime() / 1000 });
    expect(verifyWsToken(token, SECRET, expiresAt)).toBeNull();
  });

  it('refuses another secret, a tampered payload, and junk', () => {
    const { token } = createWsToken({ userId: 'user-1', secret: SECRET, now: NOW });
    expect(verifyWsToken(token, 'another-secret', NOW)).toBeNull();
    const [, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', exp: 9_999_999_999 })).toString('base64url');
    expect(verifyWsToken(`${forged}.${signature}`, SECRET, NOW)).toBeNull();
    for (const junk of ['', 'a.b', 'a.b.c', null, 42, {}, 'x'.repeat(5000)]) {
      expect(verifyWsToken(junk, SECRET, NOW)).toBeNull();
    }
  });
});
