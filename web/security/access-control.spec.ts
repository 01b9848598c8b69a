// Access control: without a valid session every route says 401 (pages send
// the visitor to sign in), and nothing a user can reach, over HTTP, in a page
// or on the websocket, carries another user's e-mail or id.
import { schema } from '@app/common/db';
import { referralOfReferred } from '@app/common/testing';
import { expect, test } from '@playwright/test';
import { eq } from 'drizzle-orm';
import {
  APP,
  WsClient,
  expectTypedError,
  http,
  jsonOf,
  member,
  sessionCookie,
  staysOnApp,
  useDb,
  type HttpOptions,
  type Member,
} from './helpers';

const db = useDb();

/** Every API route, as a client would call it (state-changing ones from the app's origin, so CSRF does not answer first). */
function apiCalls(referralCode: string): { name: string; path: string; options: HttpOptions }[] {
  return [
    { name: 'GET /api/referrals', path: '/api/referrals', options: {} },
    { name: 'POST /api/referrals', path: '/api/referrals', options: { origin: APP, json: { referralCode } } },
    { name: 'POST /api/referrals/code', path: '/api/referrals/code', options: { origin: APP, method: 'POST' } },
    { name: 'GET /api/ws-token', path: '/api/ws-token', options: {} },
  ];
}

const PAGES = ['/referrals', '/onboard', '/onboard/welcome'];

/** The sessions that are not one: none, forged, expired, garbage, or of a user who no longer exists. */
async function nonSessions(): Promise<{ label: string; cookie?: string }[]> {
  const gone = await member(db);
  await db.delete(schema.users).where(eq(schema.users.id, gone.user.id));
  const someone = await member(db);
  return [
    { label: 'no cookie' },
    { label: 'signed with another secret', cookie: await sessionCookie(someone.user, { secret: 'not-the-secret-0123456789abcdef' }) },
    { label: 'expired', cookie: await sessionCookie(someone.user, { maxAge: -60 }) },
    { label: 'garbage', cookie: 'next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z' },
    { label: 'empty', cookie: 'next-auth.session-token=' },
    { label: 'no subject', cookie: await sessionCookie({ id: '' }) },
    { label: 'deleted user', cookie: gone.cookie },
    { label: 'unknown user id', cookie: await sessionCookie({ id: '00000000-0000-4000-8000-000000000000' }) },
  ];
}

test('without a valid session every API route answers 401 unauthenticated, and changes nothing', async () => {
  const referrer = await member(db);
  for (const session of await nonSessions()) {
    for (const call of apiCalls(referrer.user.referralCode)) {
      const response = await http(call.path, { ...call.options, cookie: session.cookie });
      expectTypedError(response, 'unauthenticated', `${call.name} with ${session.label}`);
    }
  }
  expect((await db.select().from(schema.referrals).where(eq(schema.referrals.referrerId, referrer.user.id))).length).toBe(0);
});

test('without a valid session the member pages send the visitor to sign in and show no data', async () => {
  for (const session of await nonSessions()) {
    for (const path of PAGES) {
      const response = await http(path, { cookie: session.cookie });
      expect(response.status, `${path} with ${session.label}`).toBe(307);
      const target = new URL(response.headers.get('location') ?? '', APP);
      expect(staysOnApp(target.toString()) && target.pathname, `${path} with ${session.label}`).toBe('/api/auth/signin');
      expect(response.text, path).not.toMatch(/ref-[0-9a-f-]{36}|@example\.test/);
    }
  }
});

test('no API response allows another origin to read it (no CORS headers)', async () => {
  const user = await member(db);
  for (const call of apiCalls(user.user.referralCode)) {
    for (const method of [undefined, 'OPTIONS']) {
      const response = await http(call.path, { ...call.options, method: method ?? call.options.method, origin: 'http://evil.com', cookie: user.cookie });
      expect(response.headers.get('access-control-allow-origin'), `${method ?? ''} ${call.name}`).toBeNull();
      expect(response.headers.get('access-control-allow-credentials'), `${method ?? ''} ${call.name}`).toBeNull();
    }
  }
});

/** Fails when `text` (something `viewer` received) carries the e-mail or id of anyone in `others`. */
function expectNothingOf(others: Member[], text: string, where: string) {
  const lower = text.toLowerCase();
  for (const other of others) {
    expect(lower, `${where} leaks ${other.user.email}`).not.toContain(other.user.email!.toLowerCase());
    expect(lower, `${where} leaks the id of ${other.user.name}`).not.toContain(other.user.id.toLowerCase());
  }
}

test('what each user sees (API, pages, public validate and landing page, websocket) never has another user\'s e-mail or id', async () => {
  const referrer = await member(db, { name: 'Ada Referrer' });
  const friend = await member(db, { name: 'Bob Friend' });
  const anonymous = await member(db, { name: null });
  const stranger = await member(db, { name: 'Carol Stranger' });
  const newcomer = await member(db, { onboardedAt: null, name: 'Dan Newcomer' });
  const everyone = [referrer, friend, anonymous, stranger, newcomer];
  const othersThan = (m: Member) => everyone.filter((o) => o !== m);

  // The referrer's socket is open while friends join: the pushes are checked too.
  const socket = await WsClient.ready(referrer.user.id);
  for (const who of [friend, anonymous]) {
    const redeemed = await http('/api/referrals', { origin: APP, cookie: who.cookie, json: { referralCode: referrer.user.referralCode } });
    expect(redeemed.status, redeemed.text).toBe(200);
    expectNothingOf(othersThan(who), redeemed.text, `redeem by ${who.user.name}`);
  }
  expect((await referralOfReferred(db, anonymous.user.id))?.status).toBe('completed');
  await expect.poll(() => socket.pushes.length).toBeGreaterThanOrEqual(4);
  expectNothingOf(othersThan(referrer), JSON.stringify(socket.pushes), 'websocket pushes');
  expect(JSON.stringify(socket.pushes)).toContain('A friend');
  socket.close();

  const code = referrer.user.referralCode;
  const seen: { viewer: Member | null; where: string; text: string }[] = [];
  for (const viewer of everyone) {
    for (const path of ['/api/referrals', '/api/ws-token', '/referrals', '/onboard', '/onboard/welcome', `/referrals/${code}`, `/onboard?referral_code=${code}`]) {
      const response = await http(path, { cookie: viewer.cookie });
      seen.push({ viewer, where: `${path} as ${viewer.user.name}`, text: response.text + JSON.stringify([...response.headers]) });
    }
    // Ids in the query do not pick another user.
    const smuggled = await http(`/api/referrals?userId=${friend.user.id}&id=${friend.user.id}&sub=${friend.user.id}`, { cookie: viewer.cookie });
    expect((jsonOf(smuggled) as { referralCode: string }).referralCode, viewer.user.name ?? 'anonymous').toBe(viewer.user.referralCode);
  }
  for (const path of [`/api/referrals/validate?code=${code}`, `/referrals/${code}`]) {
    const response = await http(path, { headers: { 'x-forwarded-for': '198.51.100.7' } });
    expect(response.status, path).toBe(200);
    seen.push({ viewer: null, where: `${path} signed out`, text: response.text });
  }

  for (const { viewer, where, text } of seen) expectNothingOf(viewer ? othersThan(viewer) : everyone, text, where);

  // The referrer's own view: friends by display name only.
  const summary = jsonOf(await http('/api/referrals', { cookie: referrer.cookie })) as { referrals: Record<string, unknown>[] };
  expect(summary.referrals.map((r) => Object.keys(r).sort())).toEqual([
    ['completedAt', 'createdAt', 'name', 'status', 'statusReason'],
    ['completedAt', 'createdAt', 'name', 'status', 'statusReason'],
  ]);
  expect(summary.referrals.map((r) => r.name).sort()).toEqual(['A friend', 'Bob Friend']);
  const validate = jsonOf(await http(`/api/referrals/validate?code=${code}`, { headers: { 'x-forwarded-for': '198.51.100.8' } }));
  expect(validate).toEqual({ valid: true, referrer: { name: 'Ada Referrer' }, rewards: expect.any(Object) });
});
