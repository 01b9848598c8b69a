import { describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAM, DEFAULT_QUOTA } from '../src/constants';
import { completeOnboarding } from '../src/referrals/complete-onboarding';
import { redeemReferralCode } from '../src/referrals/redeem-referral-code';
import { createUser, createUsers, getUser, referralOfReferred } from '../src/testing/factories';
import { useTestDb } from './helpers';

const db = useTestDb();

describe('completeOnboarding', () => {
  it('stamps onboarded_at for a user who was not referred, and grants nothing', async () => {
    const user = await createUser(db);
    const result = await completeOnboarding({ db, userId: user.id });
    expect(result).toMatchObject({ ok: true, quota: DEFAULT_QUOTA, referral: null, onboardedAt: expect.any(Date) });
    expect((await getUser(db, user.id)).onboardedAt).toBeInstanceOf(Date);
  });

  it('completes a pending referral with both rewards', async () => {
    const [referrer, friend] = await createUsers(db, 2);
    await redeemReferralCode({ db, userId: friend!.id, input: referrer!.referralCode });
    const result = await completeOnboarding({ db, userId: friend!.id });
    expect(result).toMatchObject({
      ok: true,
      quota: DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferred,
      referral: { status: 'completed', referrer: { name: referrer!.name }, rewardGranted: true },
    });
    const row = await referralOfReferred(db, friend!.id);
    expect(row?.status).toBe('completed');
    expect(row?.completedAt).toBeInstanceOf(Date);
    expect((await getUser(db, referrer!.id)).quota).toBe(DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferrer);
  });

  it('changes nothing the second time: same onboarded_at, no second reward', async () => {
    const [referrer, friend] = await createUsers(db, 2);
    await redeemReferralCode({ db, userId: friend!.id, input: referrer!.referralCode });
    const first = await completeOnboarding({ db, userId: friend!.id });
    const second = await completeOnboarding({ db, userId: friend!.id });
    expect(second).toMatchObject({
      ok: true,
      quota: DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferred,
      referral: { status: 'completed', rewardGranted: false },
    });
    if (!first.ok || !second.ok) throw new Error('expected success');
    expect(second.onboardedAt).toEqual(first.onboardedAt);
    expect((await getUser(db, referrer!.id)).quota).toBe(DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferrer);
  });

  it('answers unauthenticated for a missing or unknown user', async () => {
    expect(await completeOnboarding({ db, userId: '' })).toMatchObject({ ok: false, code: 'unauthenticated' });
    expect(await completeOnboarding({ db, userId: 'no-such-user' })).toMatchObject({ ok: false, code: 'unauthenticated' });
  });
});
