import { DEFAULT_PROGRAM, DEFAULT_QUOTA, VALIDATE_RATE_LIMIT_REQUESTS, fail, verifyWsToken } from '@app/common';
import { createUser, createUsers, daysAgo } from '@app/common/testing';
import { describe, expect, it, vi } from 'vitest';
import { GET as summaryRoute, POST as redeemRoute } from '@/app/api/referrals/route';
import { POST as regenerateRoute } from '@/app/api/referrals/code/route';
import { GET as validateRoute } from '@/app/api/referrals/validate/route';
import { GET as wsTokenRoute } from '@/app/api/ws-token/route';
import { CLIENT_ADDRESS_HEADER } from '@/server/client-address';
import { route } from '@/server/route';
import { APP_URL, json, request, useTestDb } from './helpers';

const db = useTestDb(5);
const UNKNOWN_CODE = 'ref-00000000-0000-4000-8000-000000000000';

/**
 * Each validate test comes from its own client address (as web/server.ts hands
 * it to the app, CLIENT_ADDRESS_HEADER), so the per-client limit is theirs alone.
 */
function client() {
  return { [CLIENT_ADDRESS_HEADER]: `198.51.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` };
}

async function redeem(user: { id: string }, referralCode: unknown) {
  return json(await redeemRoute(await request('/api/referrals', { method: 'POST', user, body: { referralCode } })));
}

describe('GET /api/referrals', () => {
  it('answers the signed-in user\'s summary', async () => {
    const user = await createUser(db);
    const { status, body } = await json(await summaryRoute(await request('/api/referrals', { user })));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      referralCode: user.referralCode,
      referralLink: `${APP_URL}/referrals/${user.referralCode}`,
      maxReferrals: DEFAULT_PROGRAM.maxReferralsPerReferrer,
      usedReferrals: 0,
      remainingReferrals: DEFAULT_PROGRAM.maxReferralsPerReferrer,
      quota: DEFAULT_QUOTA,
      referredBy: null,
      canRedeem: true,
      regenerationsLeftToday: DEFAULT_PROGRAM.regenerationsPerDay,
      referrals: [],
    });
    expect(body).not.toHaveProperty('ok');
  });

  it('answers 401 without a session, with a forged session, and for a deleted user', async () => {
    for (const req of [
      await request('/api/referrals'),
      await request('/api/referrals', { cookie: 'next-auth.session-token=not-a-jwt' }),
      await request('/api/referrals', { user: { id: 'no-such-user' } }),
    ]) {
      expect(await json(await summaryRoute(req))).toEqual({
        status: 401,
        body: { error: { code: 'unauthenticated', message: expect.any(String) } },
      });
    }
  });

  it('shows referred people by display name only: no e-mails or ids of other users', async () => {
    const referrer = await createUser(db);
    const friends = await createUsers(db, 2);
    for (const friend of friends) await redeem(friend, referrer.referralCode);
    const response = await summaryRoute(await request('/api/referrals', { user: referrer }));
    const text = await response.text();
    expect(JSON.parse(text).referrals).toHaveLength(2);
    for (const friend of friends) {
      expect(text).not.toContain(friend.email!);
      expect(text).not.toContain(friend.id);
    }
  });
});

describe('POST /api/referrals', () => {
  it('redeems a code (pending) and a pasted link', async () => {
    const [referrer, friend, other] = await createUsers(db, 3);
    expect(await redeem(friend!, referrer!.referralCode)).toEqual({
      status: 200,
      body: { status: 'pending', quota: DEFAULT_QUOTA, referrer: { name: referrer!.name } },
    });
    expect((await redeem(other!, `https://app.example.com/referrals/${referrer!.referralCode}`)).status).toBe(200);
  });

  it('completes at once for an onboarded user', async () => {
    const referrer = await createUser(db);
    const friend = await createUser(db, { onboardedAt: new Date() });
    expect(await redeem(friend, referrer.referralCode)).toMatchObject({
      status: 200,
      body: { status: 'completed', quota: DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferred },
    });
  });

  it.each([
    ['a non-JSON body', { rawBody: '{not json' }],
    ['an empty body', { rawBody: '' }],
    ['a number', { body: 42 }],
    ['an array', { body: ['ref-x'] }],
    ['a missing field', { body: { code: 'x' } }],
    ['a non-string code', { body: { referralCode: 12 } }],
    ['a null code', { body: { referralCode: null } }],
    ['an object code', { body: { referralCode: { $ne: '' } } }],
    ['a huge body', { body: { referralCode: 'x'.repeat(20_000) } }],
    ['a __proto__ key', { rawBody: '{"__proto__": {"admin": true}}' }],
  ])('answers 400 invalid_input for %s', async (_label, options) => {
    const user = await createUser(db);
    const { status, body } = await json(await redeemRoute(await request('/api/referrals', { method: 'POST', user, ...options })));
    expect(status).toBe(400);
    expect(body).toEqual({ error: { code: 'invalid_input', message: expect.any(String) } });
  });

  it('answers every rule\'s error with its status', async () => {
    const [referrer, friend, second] = await createUsers(db, 3);
    const old = await createUser(db, { createdAt: daysAgo(DEFAULT_PROGRAM.redeemWindowDays + 1) });
    const cases: [unknown, { id: string }, number, string][] = [
      ['not a code', friend!, 400, 'invalid_code'],
      [UNKNOWN_CODE, friend!, 404, 'code_not_found'],
      [friend!.referralCode, friend!, 422, 'self_referral'],
      [referrer!.referralCode, old, 422, 'not_eligible'],
    ];
    for (const [code, user, status, errorCode] of cases) {
      expect(await redeem(user, code)).toEqual({
        status,
        body: { error: { code: errorCode, message: expect.any(String) } },
      });
    }
    expect((await redeem(friend!, referrer!.referralCode)).status).toBe(200);
    expect(await redeem(friend!, second!.referralCode)).toMatchObject({ status: 409, body: { error: { code: 'already_referred' } } });
    expect(await redeem(referrer!, friend!.referralCode)).toMatchObject({ status: 422, body: { error: { code: 'referral_loop' } } });
  });

  it('answers 409 code_exhausted once the referrer has used all referrals', async () => {
    const referrer = await createUser(db);
    for (const friend of await createUsers(db, DEFAULT_PROGRAM.maxReferralsPerReferrer)) await redeem(friend, referrer.referralCode);
    const late = await createUser(db);
    expect(await redeem(late, referrer.referralCode)).toMatchObject({ status: 409, body: { error: { code: 'code_exhausted' } } });
  });

  it('answers 401 without a session (before reading the body)', async () => {
    const { status, body } = await json(
      await redeemRoute(await request('/api/referrals', { method: 'POST', rawBody: '{broken' })),
    );
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('refuses a cross-origin POST with 403 and changes nothing; same-origin and Origin-less requests pass', async () => {
    const [referrer, friend, other] = await createUsers(db, 3);
    for (const origin of ['https://evil.com', 'http://localhost:3000.evil.com', 'null', 'http://localhost:3001']) {
      const response = await redeemRoute(
        await request('/api/referrals', { method: 'POST', user: friend!, origin, body: { referralCode: referrer!.referralCode } }),
      );
      expect(await json(response)).toEqual({ status: 403, body: { error: { code: 'forbidden', message: expect.any(String) } } });
    }
    const sneaky = await redeemRoute(
      await request('/api/referrals', {
        method: 'POST',
        user: friend!,
        origin: null,
        headers: { 'sec-fetch-site': 'cross-site' },
        body: { referralCode: referrer!.referralCode },
      }),
    );
    expect(sneaky.status).toBe(403);
    const summary = await json(await summaryRoute(await request('/api/referrals', { user: referrer! })));
    expect(summary.body.usedReferrals).toBe(0);

    expect((await redeem(friend!, referrer!.referralCode)).status).toBe(200);
    const originless = await redeemRoute(
      await request('/api/referrals', { method: 'POST', user: other!, origin: null, body: { referralCode: referrer!.referralCode } }),
    );
    expect(originless.status).toBe(200);
  });
});

describe('POST /api/referrals/code', () => {
  it('regenerates 3 times, then answers 429 with Retry-After', async () => {
    const user = await createUser(db);
    const codes = new Set<string>([user.referralCode]);
    for (let i = 0; i < DEFAULT_PROGRAM.regenerationsPerDay; i++) {
      const { status, body } = await json(await regenerateRoute(await request('/api/referrals/code', { method: 'POST', user })));
      expect(status).toBe(200);
      expect(body).toEqual({
        referralCode: expect.stringMatching(/^ref-/),
        referralLink: `${APP_URL}/referrals/${body.referralCode as string}`,
        regenerationsLeftToday: DEFAULT_PROGRAM.regenerationsPerDay - 1 - i,
      });
      codes.add(body.referralCode as string);
    }
    expect(codes.size).toBe(DEFAULT_PROGRAM.regenerationsPerDay + 1);
    const limited = await regenerateRoute(await request('/api/referrals/code', { method: 'POST', user }));
    const { status, body } = await json(limited);
    expect(status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    expect(body).toEqual({ error: { code: 'rate_limited', message: expect.any(String), retryAfterSeconds: retryAfter } });
  });

  it('answers 401 without a session and 403 cross-origin', async () => {
    expect((await regenerateRoute(await request('/api/referrals/code', { method: 'POST' }))).status).toBe(401);
    const user = await createUser(db);
    const response = await regenerateRoute(await request('/api/referrals/code', { method: 'POST', user, origin: 'https://evil.com' }));
    expect(response.status).toBe(403);
  });
});

describe('GET /api/referrals/validate', () => {
  it('is public and shows only the referrer\'s name and the rewards', async () => {
    const referrer = await createUser(db, { name: 'Ada' });
    const response = await validateRoute(await request(`/api/referrals/validate?code=${referrer.referralCode}`, { headers: client() }));
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toEqual({ valid: true, referrer: { name: 'Ada' }, rewards: { referrer: 500, referred: 500 } });
    expect(text).not.toContain(referrer.email!);
    expect(text).not.toContain(referrer.id);
  });

  it('answers 400 invalid_input, 400 invalid_code, 404 and 409', async () => {
    const referrer = await createUser(db);
    for (const friend of await createUsers(db, DEFAULT_PROGRAM.maxReferralsPerReferrer)) await redeem(friend, referrer.referralCode);
    const cases: [string, number, string][] = [
      ['/api/referrals/validate', 400, 'invalid_input'],
      [`/api/referrals/validate?code=${'x'.repeat(3000)}`, 400, 'invalid_input'],
      ['/api/referrals/validate?code=hello', 400, 'invalid_code'],
      [`/api/referrals/validate?code=${UNKNOWN_CODE}`, 404, 'code_not_found'],
      [`/api/referrals/validate?code=${referrer.referralCode}`, 409, 'code_exhausted'],
    ];
    for (const [path, status, code] of cases) {
      expect(await json(await validateRoute(await request(path, { headers: client() })))).toEqual({
        status,
        body: { error: { code, message: expect.any(String) } },
      });
    }
  });

  it(`limits one client to ${VALIDATE_RATE_LIMIT_REQUESTS} checks a minute (429 with Retry-After); others are unaffected`, async () => {
    const attacker = { [CLIENT_ADDRESS_HEADER]: '203.0.113.7' };
    const statuses: number[] = [];
    for (let i = 0; i < VALIDATE_RATE_LIMIT_REQUESTS + 5; i++) {
      const response = await validateRoute(await request(`/api/referrals/validate?code=${UNKNOWN_CODE}`, { headers: attacker }));
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await response.json()).toMatchObject({ error: { code: 'rate_limited', retryAfterSeconds: expect.any(Number) } });
      }
    }
    expect(statuses.slice(0, VALIDATE_RATE_LIMIT_REQUESTS).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(VALIDATE_RATE_LIMIT_REQUESTS).every((s) => s === 429)).toBe(true);
    // A client cannot escape its bucket with headers of its own: only the server's address counts.
    const spoofed = await validateRoute(
      await request(`/api/referrals/validate?code=${UNKNOWN_CODE}`, { headers: { ...attacker, 'x-forwarded-for': '1.2.3.4', 'x-real-ip': '1.2.3.5' } }),
    );
    expect(spoofed.status).toBe(429);
    const someoneElse = await validateRoute(await request(`/api/referrals/validate?code=${UNKNOWN_CODE}`, { headers: client() }));
    expect(someoneElse.status).toBe(404);
  });
});

describe('GET /api/ws-token', () => {
  it('gives a signed-in user a short-lived token for the backend', async () => {
    const user = await createUser(db);
    const { status, body } = await json(await wsTokenRoute(await request('/api/ws-token', { user })));
    expect(status).toBe(200);
    expect(verifyWsToken(body.token, process.env.AUTH_SECRET!)).toMatchObject({ sub: user.id });
    expect(new Date(body.expiresAt as string).getTime()).toBeGreaterThan(Date.now());
    expect(body.url).toMatch(/^wss?:\/\//);
  });

  it('answers 401 without a session', async () => {
    expect((await wsTokenRoute(await request('/api/ws-token'))).status).toBe(401);
  });
});

describe('the route wrapper', () => {
  it('answers an unexpected error with 500 internal and a request id, never the error itself', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = route({
      auth: 'public',
      handle: async () => {
        throw new Error('secret database detail');
      },
    });
    const response = await broken(await request('/api/anything'));
    const text = await response.text();
    expect(response.status).toBe(500);
    const body = JSON.parse(text) as { error: { code: string; requestId: string } };
    expect(body.error).toMatchObject({ code: 'internal', requestId: expect.any(String) });
    expect(response.headers.get('x-request-id')).toBe(body.error.requestId);
    expect(text).not.toContain('secret database detail');
    expect(spy.mock.calls.join(' ')).toContain(body.error.requestId);
    spy.mockRestore();
  });

  it('maps a domain internal failure to 500 with a request id', async () => {
    const busy = route({ auth: 'public', handle: async () => fail('internal', { message: 'busy' }) });
    const { status, body } = await json(await busy(await request('/api/anything')));
    expect(status).toBe(500);
    expect(body).toEqual({ error: { code: 'internal', message: 'busy', requestId: expect.any(String) } });
  });
});

describe('limits that protect the server', () => {
  it('refuses a body over 16 KiB from its Content-Length, before reading it', async () => {
    const user = await createUser(db);
    const req = await request('/api/referrals', {
      method: 'POST',
      user,
      rawBody: JSON.stringify({ referralCode: 'x'.repeat(17 * 1024) }),
    });
    expect(await json(await redeemRoute(req))).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
  });

  it('gives no websocket token to a session whose user was deleted', async () => {
    expect((await wsTokenRoute(await request('/api/ws-token', { user: { id: 'deleted-user' } }))).status).toBe(401);
  });
});
