// CSRF: a state-changing request that a foreign page makes the victim's
// browser send (their session cookie attached, the foreign Origin or
// Sec-Fetch-Site: cross-site) is refused with 403 `forbidden` and changes
// nothing, on every POST route of the API and every server action of the
// pages. The same request from the app's own origin works.
import { getUser, referralOfReferred } from '@app/common/testing';
import { expect, test } from '@playwright/test';
import { APP, APP_HOST, actionIds, expectTypedError, formPost, http, member, useDb, type HttpOptions, type Member } from './helpers';

const db = useDb();
const port = Number(new URL(APP).port);

/** Origins that are not the app's, including near misses. */
const FOREIGN_ORIGINS = [
  'http://evil.com',
  'null',
  `http://${APP_HOST}.evil.com`,
  `https://${APP_HOST}`,
  `http://127.0.0.1:${port}`,
  `http://localhost:${port + 1}`,
  'http://localhost',
  `${APP}/`,
  `${APP.toUpperCase()}`,
];

/** How a cross-site request identifies itself: a foreign Origin, or (older browsers) only Sec-Fetch-Site. */
const CROSS_SITE: HttpOptions[] = [
  ...FOREIGN_ORIGINS.map((origin) => ({ origin })),
  { headers: { 'sec-fetch-site': 'cross-site' } },
];

/** A server action posted the way Next's client calls it (fetch with a Next-Action header). */
function fetchPost(id: string, fields: Record<string, string>) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  return { body, headers: { 'next-action': id, accept: 'text/x-component' } };
}

async function snapshot(who: Member) {
  const user = await getUser(db, who.user.id);
  const referral = await referralOfReferred(db, who.user.id);
  return { name: user.name, quota: user.quota, code: user.referralCode, onboardedAt: user.onboardedAt, referral };
}

test.describe('API', () => {
  test('cross-origin POST /api/referrals (redeem) is refused with 403 and redeems nothing', async () => {
    const referrer = await member(db);
    const victim = await member(db);
    const before = await snapshot(victim);
    for (const options of CROSS_SITE) {
      const response = await http('/api/referrals', { ...options, cookie: victim.cookie, json: { referralCode: referrer.user.referralCode } });
      expectTypedError(response, 'forbidden', JSON.stringify(options));
    }
    expect(await snapshot(victim)).toEqual(before);
    expect(await referralOfReferred(db, victim.user.id)).toBeNull();
  });

  test('cross-origin POST /api/referrals/code (regenerate) is refused with 403 and keeps the code', async () => {
    const victim = await member(db);
    const before = await snapshot(victim);
    for (const options of CROSS_SITE) {
      const response = await http('/api/referrals/code', { ...options, method: 'POST', cookie: victim.cookie });
      expectTypedError(response, 'forbidden', JSON.stringify(options));
    }
    expect(await snapshot(victim)).toEqual(before);
  });

  test('the same POSTs from the app\'s origin, or with no Origin at all (curl), are served', async () => {
    const referrer = await member(db);
    for (const options of [{ origin: APP }, { headers: { 'sec-fetch-site': 'same-origin' } }, {}] as HttpOptions[]) {
      const user = await member(db);
      const redeemed = await http('/api/referrals', { ...options, cookie: user.cookie, json: { referralCode: referrer.user.referralCode } });
      expect(redeemed.status, `${JSON.stringify(options)} ${redeemed.text}`).toBe(200);
      expect((await referralOfReferred(db, user.user.id))?.referrerId).toBe(referrer.user.id);

      const regenerated = await http('/api/referrals/code', { ...options, method: 'POST', cookie: user.cookie });
      expect(regenerated.status, `${JSON.stringify(options)} ${regenerated.text}`).toBe(200);
      expect((await getUser(db, user.user.id)).referralCode).not.toBe(user.user.referralCode);
    }
  });
});

test.describe('server actions', () => {
  test('cross-origin posts of the member page\'s actions (get a new code, apply an invite) get 403 and change nothing', async () => {
    const referrer = await member(db);
    const victim = await member(db);
    const ids = await actionIds('/referrals', victim.cookie);
    expect(Object.keys(ids).sort()).toEqual(['redeem', 'regenerate']);
    const before = await snapshot(victim);

    for (const options of CROSS_SITE) {
      for (const [action, fields] of [
        ['regenerate', {}],
        ['redeem', { referralCode: referrer.user.referralCode }],
      ] as const) {
        const asForm = await http('/referrals', { ...options, cookie: victim.cookie, body: formPost(ids[action]!, fields) });
        expectTypedError(asForm, 'forbidden', `${action} form ${JSON.stringify(options)}`);
        const { body, headers } = fetchPost(ids[action]!, fields);
        const asFetch = await http('/referrals', { ...options, cookie: victim.cookie, body, headers: { ...options.headers, ...headers } });
        expectTypedError(asFetch, 'forbidden', `${action} fetch ${JSON.stringify(options)}`);
      }
    }
    expect(await snapshot(victim)).toEqual(before);
  });

  test('the same form posts from the app\'s origin work (the action ids are the real ones)', async () => {
    const referrer = await member(db);
    const user = await member(db);
    const ids = await actionIds('/referrals', user.cookie);

    const regenerated = await http('/referrals', { origin: APP, cookie: user.cookie, body: formPost(ids.regenerate!, {}) });
    expect(regenerated.status).toBe(303);
    expect(regenerated.headers.get('location')).toBe('/referrals?notice=regenerated');
    expect((await getUser(db, user.user.id)).referralCode).not.toBe(user.user.referralCode);

    const redeemed = await http('/referrals', { origin: APP, cookie: user.cookie, body: formPost(ids.redeem!, { referralCode: referrer.user.referralCode }) });
    expect(redeemed.status).toBe(303);
    expect((await referralOfReferred(db, user.user.id))?.referrerId).toBe(referrer.user.id);
  });

  test('a cross-origin post of the onboarding form gets 403: no name, no sign-up, no referral; from the app it signs up', async () => {
    const attacker = await member(db);
    const victim = await member(db, { onboardedAt: null });
    const ids = await actionIds('/onboard', victim.cookie);
    expect(ids.completeSignUp).toBeTruthy();
    const fields = { name: 'Pwned by evil.com', terms: 'on', referralCode: attacker.user.referralCode };
    const before = await snapshot(victim);

    for (const options of CROSS_SITE) {
      const asForm = await http('/onboard', { ...options, cookie: victim.cookie, body: formPost(ids.completeSignUp!, fields) });
      expectTypedError(asForm, 'forbidden', `form ${JSON.stringify(options)}`);
      const { body, headers } = fetchPost(ids.completeSignUp!, fields);
      const asFetch = await http('/onboard', { ...options, cookie: victim.cookie, body, headers: { ...options.headers, ...headers } });
      expectTypedError(asFetch, 'forbidden', `fetch ${JSON.stringify(options)}`);
    }
    const after = await snapshot(victim);
    expect(after).toEqual(before);
    expect(after.onboardedAt).toBeNull();

    const signedUp = await http('/onboard', { origin: APP, cookie: victim.cookie, body: formPost(ids.completeSignUp!, { ...fields, name: 'Victor' }) });
    expect(signedUp.status).toBe(303);
    expect(signedUp.headers.get('location')).toBe('/onboard/welcome');
    expect((await getUser(db, victim.user.id)).onboardedAt).not.toBeNull();
  });
});
