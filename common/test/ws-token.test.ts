import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WS_TOKEN_TTL_SECONDS } from '../src/constants';
import { consumeWsToken, createWsToken, verifyWsToken } from '../src/auth/ws-token';
import { useTestDb } from './helpers';

const db = useTestDb(4);

const SECRET = 'test-secret-that-is-long-enough';
const NOW = new Date('2026-11-26T12:00:00Z');

describe('websocket tokens', () => {
  it('round-trips the user id until it expires', () => {
    const { token, expiresAt } = createWsToken({ userId: 'user-1', secret: SECRET, now: NOW });
    expect(expiresAt.getTime() - NOW.getTime()).toBe(WS_TOKEN_TTL_SECONDS * 1000);
    expect(verifyWsToken(token, SECRET, NOW)).toEqual({ sub: 'user-1', exp: expiresAt.getTime() / 1000, jti: expect.any(String) });
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

describe('one token, one connection', () => {
  it('consumes a token once, from any number of simultaneous tries', async () => {
    const { token } = createWsToken({ userId: 'user-1', secret: SECRET });
    const claims = verifyWsToken(token, SECRET)!;
    const tries = await Promise.all(Array.from({ length: 8 }, () => consumeWsToken(db.$client, claims)));
    expect(tries.filter(Boolean)).toHaveLength(1);
    expect(await consumeWsToken(db.$client, claims)).toBe(false);
    // Another token of the same user is its own.
    const other = verifyWsToken(createWsToken({ userId: 'user-1', secret: SECRET }).token, SECRET)!;
    expect(other.jti).not.toBe(claims.jti);
    expect(await consumeWsToken(db.$client, other)).toBe(true);
  });

  it('refuses a token without its id, as the previous release made them', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'user-1', exp: Math.floor(NOW.getTime() / 1000) + 60 })).toString('base64url');
    const signature = createHmac('sha256', SECRET).update(payload).digest('base64url');
    expect(verifyWsToken(`${payload}.${signature}`, SECRET, NOW)).toBeNull();
  });
});
