import { DEFAULT_PROGRAM, DEFAULT_QUOTA, type ServerMessage } from '@app/common';
import { createUser, daysAgo } from '@app/common/testing';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { APP_ORIGIN, startBackend, TestClient, tokenFor, useTestDb } from './helpers';

const db = useTestDb(5);
const backend = await startBackend({ WS_RATE_LIMIT_PER_SECOND: '5', WS_RATE_LIMIT_BURST: '30', WS_RATE_LIMIT_MAX_VIOLATIONS: '20' });
const UNKNOWN_CODE = 'ref-00000000-0000-4000-8000-000000000000';

let nextId = 0;
async function act(client: TestClient, action: Record<string, unknown>): Promise<ServerMessage> {
  const id = `m${++nextId}`;
  client.send({ id, type: 'action', action });
  return client.next((m) => 'id' in m && m.id === id);
}

describe('actions', () => {
  it('referral-code/validate answers ack with the referrer and rewards, or an error code', async () => {
    const [referrer, user] = await Promise.all([createUser(db, { name: 'Ada' }), createUser(db)]);
    const client = await TestClient.signedIn(backend.url, user.id);
    expect(await act(client, { type: 'referral-code/validate', code: referrer.referralCode })).toMatchObject({
      type: 'ack',
      result: { valid: true, referrer: { name: 'Ada' }, rewards: { referrer: 500, referred: 500 } },
    });
    expect(await act(client, { type: 'referral-code/validate', code: 'nope' })).toMatchObject({
      type: 'error',
      error: { code: 'invalid_code' },
    });
    expect(await act(client, { type: 'referral-code/validate', code: UNKNOWN_CODE })).toMatchObject({
      type: 'error',
      error: { code: 'code_not_found', message: expect.any(String) },
    });
    client.close();
  });

  it('referral/redeem answers ack, then every rule error in turn', async () => {
    const referrer = await createUser(db);
    const user = await createUser(db, { onboardedAt: new Date() });
    const old = await createUser(db, { createdAt: daysAgo(30) });
    const client = await TestClient.signedIn(backend.url, user.id);
    expect(await act(client, { type: 'referral/redeem', code: user.referralCode })).toMatchObject({ error: { code: 'self_referral' } });
    expect(await act(client, { type: 'referral/redeem', code: referrer.referralCode })).toEqual({
      type: 'ack',
      id: expect.any(String),
      result: { status: 'completed', quota: DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferred, referrer: { name: referrer.name } },
    });
    expect(await act(client, { type: 'referral/redeem', code: referrer.referralCode })).toMatchObject({ error: { code: 'already_referred' } });
    const referrerClient = await TestClient.signedIn(backend.url, referrer.id);
    expect(await act(referrerClient, { type: 'referral/redeem', code: user.referralCode })).toMatchObject({ error: { code: 'referral_loop' } });
    const oldClient = await TestClient.signedIn(backend.url, old.id);
    expect(await act(oldClient, { type: 'referral/redeem', code: referrer.referralCode })).toMatchObject({ error: { code: 'not_eligible' } });
    for (const c of [client, referrerClient, oldClient]) c.close();
  });

  it('referral/redeem answers invalid_code, code_not_found and code_exhausted', async () => {
    const owner = await createUser(db);
    for (let i = 0; i < 5; i++) {
      const friend = await createUser(db);
      const c = await TestClient.signedIn(backend.url, friend.id);
      expect(await act(c, { type: 'referral/redeem', code: `https://app.example.com/referrals/${owner.referralCode}` })).toMatchObject({ type: 'ack' });
      c.close();
    }
    const user = await createUser(db);
    const client = await TestClient.signedIn(backend.url, user.id);
    expect(await act(client, { type: 'referral/redeem', code: 'nope' })).toMatchObject({ error: { code: 'invalid_code' } });
    expect(await act(client, { type: 'referral/redeem', code: UNKNOWN_CODE })).toMatchObject({ error: { code: 'code_not_found' } });
    expect(await act(client, { type: 'referral/redeem', code: owner.referralCode })).toMatchObject({ error: { code: 'code_exhausted' } });
    expect(await act(client, { type: 'referral-code/validate', code: owner.referralCode })).toMatchObject({ error: { code: 'code_exhausted' } });
    client.close();
  });

  it('referral-code/generate answers ack 3 times a day, then rate_limited with retryAfterSeconds', async () => {
    const user = await createUser(db);
    const client = await TestClient.signedIn(backend.url, user.id);
    for (let i = 0; i < DEFAULT_PROGRAM.regenerationsPerDay; i++) {
      expect(await act(client, { type: 'referral-code/generate' })).toMatchObject({
        type: 'ack',
        result: { referralCode: expect.stringMatching(/^ref-/), referralLink: expect.stringContaining(APP_ORIGIN) },
      });
    }
    const limited = await act(client, { type: 'referral-code/generate' });
    expect(limited).toMatchObject({ type: 'error', error: { code: 'rate_limited', retryAfterSeconds: expect.any(Number) } });
    client.close();
  });
});

describe('authentication', () => {
  it('serves no action before init, and keeps the connection open', async () => {
    const client = new TestClient(backend.url);
    await client.opened();
    expect(await act(client, { type: 'referral-code/generate' })).toMatchObject({ type: 'error', error: { code: 'unauthenticated' } });
    expect(client.closed).toBeNull();
    client.close();
  });

  it('closes with 4401 on a bad token, an expired token, and a token signed with another secret', async () => {
    const user = await createUser(db);
    for (const token of ['garbage', tokenFor(user.id, { now: new Date(Date.now() - 3_600_000) }), tokenFor(user.id, { secret: 'another-secret-0123456789' })]) {
      const client = new TestClient(backend.url);
      await client.opened();
      client.send({ type: 'init', token });
      expect((await client.whenClosed()).code).toBe(4401);
    }
  });

  it('closes with 4401 when no init arrives in time', async () => {
    const slow = await startBackend({ WS_INIT_TIMEOUT_MS: '300' });
    const client = new TestClient(slow.url);
    await client.opened();
    expect((await client.whenClosed()).code).toBe(4401);
  });
});

describe('bad input and hostile clients', () => {
  it('answers malformed JSON and unknown actions with an error, keeps the connection, and acks the next valid action', async () => {
    const user = await createUser(db);
    const client = await TestClient.signedIn(backend.url, user.id);
    client.send('{not json');
    expect(await client.next((m) => m.type === 'error' && m.id === null)).toMatchObject({ error: { code: 'invalid_input' } });
    client.send({ id: 'u1', type: 'action', action: { type: 'referral/steal-quota' } });
    expect(await client.next((m) => 'id' in m && m.id === 'u1')).toMatchObject({ type: 'error', error: { code: 'invalid_input' } });
    for (const junk of [42, null, [], { type: 'action' }, { id: 'x', type: 'action', action: { type: 'referral/redeem', code: 7 } }, { __proto__: { type: 'init' } }]) {
      client.send(junk);
    }
    client.ws.send(Buffer.from([0xff, 0x00]), { binary: true });
    expect(await act(client, { type: 'referral-code/validate', code: UNKNOWN_CODE })).toMatchObject({ error: { code: 'code_not_found' } });
    expect(client.closed).toBeNull();
    client.close();
  });

  it('closes a connection whose message is over 16 KiB, and still accepts new connections', async () => {
    const user = await createUser(db);
    const client = await TestClient.signedIn(backend.url, user.id);
    client.send({ id: 'big', type: 'action', action: { type: 'referral/redeem', code: 'x'.repeat(17 * 1024) } });
    expect((await client.whenClosed()).code).toBe(1009);
    const again = await TestClient.signedIn(backend.url, user.id);
    expect(await act(again, { type: 'referral-code/validate', code: UNKNOWN_CODE })).toMatchObject({ error: { code: 'code_not_found' } });
    again.close();
  });

  it('refuses an upgrade from a foreign Origin (cross-site websocket hijacking) and on another path', async () => {
    for (const [url, origin] of [
      [backend.url, 'https://evil.com'],
      [backend.url, 'http://localhost:3000.evil.com'],
      [backend.url.replace('/ws', '/other'), APP_ORIGIN],
    ] as const) {
      const client = new TestClient(url, { origin });
      await expect(client.opened()).rejects.toThrow(/upgrade refused: (403|404)/);
    }
  });

  it('rate-limits a flood, then closes it; the server stays healthy', async () => {
    const user = await createUser(db);
    const client = await TestClient.signedIn(backend.url, user.id);
    for (let i = 0; i < 200 && client.ws.readyState === WebSocket.OPEN; i++) {
      client.send({ id: `f${i}`, type: 'action', action: { type: 'referral-code/validate', code: UNKNOWN_CODE } });
    }
    expect(await client.next((m) => m.type === 'error' && m.error.code === 'rate_limited')).toBeTruthy();
    expect((await client.whenClosed()).code).toBe(1008);
    const health = await fetch(`http://127.0.0.1:${backend.port}/healthz`);
    expect(health.status).toBe(200);
    const fresh = await TestClient.signedIn(backend.url, user.id);
    expect(await act(fresh, { type: 'referral-code/validate', code: UNKNOWN_CODE })).toMatchObject({ error: { code: 'code_not_found' } });
    fresh.close();
  });

  it('drops a client that stops answering pings', async () => {
    const fast = await startBackend({ WS_HEARTBEAT_INTERVAL_MS: '200' });
    const user = await createUser(db);
    const healthy = await TestClient.signedIn(fast.url, user.id);
    const silent = await TestClient.signedIn(fast.url, user.id);
    // Stop the silent client's automatic pong replies.
    (silent.ws as unknown as { pong: () => void }).pong = () => {};
    silent.ws.removeAllListeners('ping');
    (silent.ws as unknown as { _receiver: { removeAllListeners: (e: string) => void; on: (e: string, f: () => void) => void } })._receiver.removeAllListeners('ping');
    (silent.ws as unknown as { _receiver: { on: (e: string, f: () => void) => void } })._receiver.on('ping', () => {});
    expect((await silent.whenClosed(5_000)).code).toBe(1006);
    expect(healthy.closed).toBeNull();
    healthy.close();
  });
});

describe('health', () => {
  it('GET /healthz answers 200 when the database answers', async () => {
    const response = await fetch(`http://127.0.0.1:${backend.port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, database: 'up' });
  });
});
