import { describe, expect, it } from 'vitest';
import { MAX_REFERRALS_PER_CODE, REFERRAL_CODE_REGENERATIONS_PER_DAY } from '../src/constants';
import { isReferralCode } from '../src/referrals/parse-referral-input';
import { redeemReferralCode } from '../src/referrals/redeem-referral-code';
import { regenerateReferralCode } from '../src/referrals/regenerate-referral-code';
import { createRegenerationLimiter } from '../src/referrals/regeneration-limiter';
import { validateReferralCode } from '../src/referrals/validate-referral-code';
import { createUser, createUsers, getUser } from '../src/testing/factories';
import { APP_URL, useTestDb } from './helpers';

const db = useTestDb();

function clockAt(iso: string) {
  const clock = { now: new Date(iso) };
  return { clock, limiter: createRegenerationLimiter({ now: () => clock.now }) };
}

describe('regenerateReferralCode', () => {
  it('gives a fresh code and link; the old code stops working at once', async () => {
    const user = await createUser(db);
    const friend = await createUser(db);
    const { limiter } = clockAt('2026-11-26T12:00:00Z');
    const result = await regenerateReferralCode({ db, userId: user.id, appUrl: APP_URL, limiter });
    if (!result.ok) throw new Error(`expected success, got ${result.code}`);
    expect(isReferralCode(result.referralCode)).toBe(true);
    expect(result.referralCode).not.toBe(user.referralCode);
    expect(result.referralLink).toBe(`${APP_URL}/referrals/${result.referralCode}`);
    expect(result.regenerationsLeftToday).toBe(REFERRAL_CODE_REGENERATIONS_PER_DAY - 1);
    expect((await getUser(db, user.id)).referralCode).toBe(result.referralCode);

    expect(await validateReferralCode({ db, input: user.referralCode })).toMatchObject({ code: 'code_not_found' });
    expect(await redeemReferralCode({ db, userId: friend.id, input: user.referralCode })).toMatchObject({
      code: 'code_not_found',
    });
    expect(await redeemReferralCode({ db, userId: friend.id, input: result.referralCode })).toMatchObject({ ok: true });
  });

  it('keeps existing referrals, which still count toward the cap', async () => {
    const referrer = await createUser(db);
    const friends = await createUsers(db, MAX_REFERRALS_PER_CODE);
    for (const friend of friends.slice(0, MAX_REFERRALS_PER_CODE - 1)) {
      expect((await redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode })).ok).toBe(true);
    }
    const { limiter } = clockAt('2026-11-26T12:00:00Z');
    const fresh = await regenerateReferralCode({ db, userId: referrer.id, appUrl: APP_URL, limiter });
    if (!fresh.ok) throw new Error('expected success');
    expect((await redeemReferralCode({ db, userId: friends.at(-1)!.id, input: fresh.referralCode })).ok).toBe(true);
    const late = await createUser(db);
    expect(await redeemReferralCode({ db, userId: late.id, input: fresh.referralCode })).toMatchObject({
      code: 'code_exhausted',
    });
  });

  it('answers rate_limited with the seconds until the next UTC day on the 4th regeneration, and allows 3 more the next day', async () => {
    const user = await createUser(db);
    const { clock, limiter } = clockAt('2026-11-26T23:00:00Z');
    for (let i = 0; i < REFERRAL_CODE_REGENERATIONS_PER_DAY; i++) {
      expect((await regenerateReferralCode({ db, userId: user.id, appUrl: APP_URL, limiter })).ok).toBe(true);
    }
    const before = (await getUser(db, user.id)).referralCode;
    expect(await regenerateReferralCode({ db, userId: user.id, appUrl: APP_URL, limiter })).toMatchObject({
      ok: false,
      code: 'rate_limited',
      retryAfterSeconds: 3600,
    });
    expect((await getUser(db, user.id)).referralCode).toBe(before);

    clock.now = new Date('2026-11-27T00:00:00Z');
    for (let i = 0; i < REFERRAL_CODE_REGENERATIONS_PER_DAY; i++) {
      expect((await regenerateReferralCode({ db, userId: user.id, appUrl: APP_URL, limiter })).ok).toBe(true);
    }
    expect(await regenerateReferralCode({ db, userId: user.id, appUrl: APP_URL, limiter })).toMatchObject({
      code: 'rate_limited',
      retryAfterSeconds: 86_400,
    });
  });

  it('counts per user: one user at the limit does not limit another', async () => {
    const [a, b] = await createUsers(db, 2);
    const { limiter } = clockAt('2026-11-26T12:00:00Z');
    for (let i = 0; i < REFERRAL_CODE_REGENERATIONS_PER_DAY; i++) {
      await regenerateReferralCode({ db, userId: a!.id, appUrl: APP_URL, limiter });
    }
    expect((await regenerateReferralCode({ db, userId: b!.id, appUrl: APP_URL, limiter })).ok).toBe(true);
  });

  it('answers unauthenticated for a missing or unknown user and does not use up a regeneration', async () => {
    const { limiter } = clockAt('2026-11-26T12:00:00Z');
    expect(await regenerateReferralCode({ db, userId: '', appUrl: APP_URL, limiter })).toMatchObject({
      code: 'unauthenticated',
    });
    expect(await regenerateReferralCode({ db, userId: 'no-such-user', appUrl: APP_URL, limiter })).toMatchObject({
      code: 'unauthenticated',
    });
    expect(limiter.remaining('no-such-user')).toBe(REFERRAL_CODE_REGENERATIONS_PER_DAY);
  });
});
