// The backend websocket: cross-site websocket hijacking (a foreign Origin is
// refused at the upgrade), authentication (no action before a valid init, a
// bad token closes with 4401, a token acts only as its own user), and the
// limits (too big, flooding).
import { CLOSE_CODES, ERROR_CODES, type ServerMessage } from '@app/common';
import { getUser } from '@app/common/testing';
import { expect, test } from '@playwright/test';
import { DESKTOP } from '../e2e/helpers';
import {
  APP,
  APP_HOST,
  AUTH_SECRET,
  BACKEND_PORT,
  SESSION_COOKIE,
  UpgradeRefused,
  WsClient,
  attackerSite,
  expectServersHealthy,
  loopbackOnly,
  member,
  useDb,
  wsToken,
  type WsEvent,
} from './helpers';

const db = useDb();
const port = Number(new URL(APP).port);

/** The websocket URL the app gives its pages (NEXT_PUBLIC_BACKEND_WS_URL in e2e/run.ts). */
const PAGE_WS_URL = `ws://localhost:${BACKEND_PORT}/ws`;

const FOREIGN_ORIGINS = [
  'http://evil.com',
  'https://evil.com',
  'null',
  `http://${APP_HOST}.evil.com`,
  `https://${APP_HOST}`,
  `http://127.0.0.1:${port}`,
  `http://localhost:${BACKEND_PORT}`,
  'http://localhost',
  `${APP}/`,
  `${APP}@evil.com`,
  'file://',
];

function errorOf(event: WsEvent): Extract<ServerMessage, { type: 'error' }> {
  const message = event.kind === 'message' ? event.message : null;
  if (message?.type !== 'error') throw new Error(`expected an error message, got ${JSON.stringify(event)}`);
  return message;
}

function closeCodeOf(event: WsEvent): number {
  expect(event.kind, JSON.stringify(event)).toBe('close');
  return event.kind === 'close' ? event.code : -1;
}

test.describe('cross-site websocket hijacking', () => {
  test('an upgrade from a foreign Origin is refused with 403', async () => {
    for (const origin of FOREIGN_ORIGINS) {
      const outcome = await WsClient.connect(origin).then(
        (client) => {
          client.close();
          return 'open';
        },
        (error: unknown) => (error instanceof UpgradeRefused ? error.status : String(error)),
      );
      expect(outcome, origin).toBe(403);
    }
  });

  test('an upgrade from the app\'s origin is accepted and serves the user of its token', async () => {
    const user = await member(db);
    const other = await member(db, { name: 'Other Referrer' });
    const client = await WsClient.ready(user.user.id);
    client.send({ id: 'v1', type: 'action', action: { type: 'referral-code/validate', code: other.user.referralCode } });
    const validated = await client.next();
    expect(validated.kind === 'message' && validated.message, JSON.stringify(validated)).toMatchObject({ type: 'ack', id: 'v1', result: { referrer: { name: 'Other Referrer' } } });
    // Redeeming the token user's own code is self-referral: the socket acts as that user.
    client.send({ id: 'r1', type: 'action', action: { type: 'referral/redeem', code: user.user.referralCode } });
    const redeemed = errorOf(await client.next());
    expect(redeemed.id).toBe('r1');
    expect(redeemed.error.code).toBe('self_referral');
    client.close();
  });

  test('in a browser, a page on another site cannot open the socket, nor read a token; the app\'s own page can', async ({ browser }) => {
    const victim = await member(db);
    const context = await browser.newContext({ viewport: DESKTOP });
    await context.addCookies([
      { name: SESSION_COOKIE, value: victim.cookie.split('=')[1]!, url: APP, httpOnly: true, sameSite: 'Lax' },
    ]);
    const evil = await attackerSite('<!doctype html><title>evil</title><h1>Win a prize</h1>');
    const offsite = await loopbackOnly(context);
    const page = await context.newPage();
    const tryOpen = (url: string) =>
      page.evaluate(
        (wsUrl) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(wsUrl);
            ws.onopen = () => {
              resolve('open');
              ws.close();
            };
            ws.onclose = (event) => resolve(`closed ${event.code}`);
          }),
        url,
      );

    await page.goto(evil.url);
    expect(await tryOpen(PAGE_WS_URL)).not.toBe('open');
    const token = await page.evaluate(async (app) => {
      try {
        const response = await fetch(`${app}/api/ws-token`, { credentials: 'include' });
        return await response.text();
      } catch (error) {
        return `blocked: ${String(error)}`;
      }
    }, APP);
    expect(token).toMatch(/^blocked/);

    await page.goto('/referrals');
    await expect(page.getByRole('heading', { name: 'Your referrals' })).toBeVisible();
    expect(await tryOpen(PAGE_WS_URL)).toBe('open');
    expect(offsite).toEqual([]);
    await context.close();
    await evil.close();
  });
});

test.describe('authentication', () => {
  test('no action is served before a valid init, and the connection stays open', async () => {
    const client = await WsClient.connect();
    for (const type of ['referral-code/generate', 'referral-code/validate', 'referral/redeem']) {
      client.send({ id: `a-${type}`, type: 'action', action: { type, code: 'ref-00000000-0000-4000-8000-000000000000' } });
      const error = errorOf(await client.next());
      expect(error.id).toBe(`a-${type}`);
      expect(error.error.code).toBe('unauthenticated');
    }
    expect(client.open).toBe(true);
    client.close();
  });

  test('a forged, expired or malformed token closes the connection with 4401', async () => {
    const user = await member(db);
    const tokens = [
      wsToken(user.user.id, 'another-secret-0123456789abcdef'),
      wsToken(user.user.id, AUTH_SECRET, -5),
      '',
      'not-a-token',
      `${wsToken(user.user.id).split('.')[0]}.`,
      `${Buffer.from(JSON.stringify({ sub: user.user.id, exp: 9999999999 })).toString('base64url')}.${wsToken(user.user.id).split('.')[1]}`,
      `${wsToken(user.user.id)}.extra`,
      victimCookieLike(user.cookie),
    ];
    for (const token of tokens) {
      const client = await WsClient.connect();
      client.send({ type: 'init', token });
      expect(closeCodeOf(await client.next()), token.slice(0, 60)).toBe(CLOSE_CODES.unauthenticated);
    }
  });

  test('one token opens one connection: used again, even at the same moment, it closes with 4401', async () => {
    const user = await member(db);
    const token = wsToken(user.user.id);
    const clients = await Promise.all(Array.from({ length: 3 }, () => WsClient.connect()));
    for (const client of clients) client.send({ type: 'init', token });
    const outcomes = await Promise.all(clients.map((c) => c.next()));
    const ready = outcomes.filter((e) => e.kind === 'message' && e.message?.type === 'ready');
    expect(ready, JSON.stringify(outcomes)).toHaveLength(1);
    expect(outcomes.filter((e) => e.kind === 'close' && e.code === CLOSE_CODES.unauthenticated)).toHaveLength(2);
    // Later, too.
    const late = await WsClient.connect();
    late.send({ type: 'init', token });
    expect(closeCodeOf(await late.next())).toBe(CLOSE_CODES.unauthenticated);
    // A fresh token opens a fresh connection.
    const fresh = await WsClient.ready(user.user.id);
    for (const c of [...clients, fresh]) c.close();
  });

  test('a token acts only as its own user: ids smuggled into messages are ignored', async () => {
    const user = await member(db);
    const other = await member(db);
    const client = await WsClient.ready(user.user.id);
    client.send({ id: 'g1', type: 'action', userId: other.user.id, action: { type: 'referral-code/generate', userId: other.user.id, sub: other.user.id } });
    const event = await client.next();
    expect(event.kind === 'message' && event.message?.type, JSON.stringify(event)).toBe('ack');
    expect((await getUser(db, other.user.id)).referralCode).toBe(other.user.referralCode);
    expect((await getUser(db, user.user.id)).referralCode).not.toBe(user.user.referralCode);
    // A second init cannot switch users either.
    client.send({ type: 'init', token: wsToken(other.user.id) });
    expect(errorOf(await client.next()).error.code).toBe('invalid_input');
    client.close();
  });
});

test.describe('limits', () => {
  test('a message over maxPayload closes the connection with 1009 and the backend stays healthy', async () => {
    const user = await member(db);
    const client = await WsClient.ready(user.user.id);
    client.send({ id: 'big', type: 'action', action: { type: 'referral-code/validate', code: 'x'.repeat(20 * 1024) } });
    expect(closeCodeOf(await client.next())).toBe(CLOSE_CODES.tooBig);
    await expectServersHealthy();
  });

  test('a flooding connection gets rate_limited errors, then is closed with 1008', async () => {
    const user = await member(db);
    const client = await WsClient.ready(user.user.id);
    for (let i = 0; i < 120; i++) client.send({ id: `f${i}`, type: 'action', action: { type: 'referral-code/validate', code: 'nope' } });
    const codes = new Set<string>();
    let closed = -1;
    for (let i = 0; i < 130 && closed === -1; i++) {
      const event = await client.next();
      if (event.kind === 'close') closed = event.code;
      else if (event.kind === 'message' && event.message?.type === 'error') {
        expect(ERROR_CODES).toContain(event.message.error.code);
        codes.add(event.message.error.code);
        if (event.message.error.code === 'rate_limited') expect(event.message.error.retryAfterSeconds).toBeGreaterThan(0);
      } else if (event.kind === 'timeout') break;
    }
    expect(codes).toContain('rate_limited');
    expect(closed).toBe(CLOSE_CODES.flood);
    await expectServersHealthy();
  });
});

/** The session cookie's JWT, which is not a websocket token (a different format and key). */
function victimCookieLike(cookie: string): string {
  return cookie.split('=')[1]!.slice(0, 1000);
}
