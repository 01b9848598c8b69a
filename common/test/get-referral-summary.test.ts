import { describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAM, DEFAULT_QUOTA } from '../src/constants';
import { completeOnboarding } from '../src/referrals/complete-onboarding';
import { getReferralSummary } from '../src/referrals/get-referral-summary';
import { redeemReferralCode } from '../src/referrals/redeem-referral-code';
import { createUser, daysAgo } from '../src/testing/factories';
import { APP_URL, useTestDb } from './helpers';

const db = useTestDb();

describe('getReferralSummary', () => {
  it('describes a new user', async () => {
    const user = await createUser(db);
    expect(await getReferralSummary({ db, userId: user.id, appUrl: APP_URL })).toEqual({
      ok: true,
      referralCode: user.referralCode,
      referralLink: `${APP_URL}/referrals/${user.referralCode}`,
      maxReferrals: DEFAULT_PROGRAM.maxReferralsPerReferrer,
      usedReferrals: 0,
      remainingReferrals: DEFAULT_PROGRAM.maxReferralsPerReferrer,
      quota: DEFAULT_QUOTA,
      rewards: { referrer: DEFAULT_PROGRAM.rewardReferrer, referred: DEFAULT_PROGRAM.rewardReferred },
      programVersion: 1,
      referredBy: null,
      canRedeem: true,
      regenerationsLeftToday: DEFAULT_PROGRAM.regenerationsPerDay,
      referrals: [],
    });
  });

  it('lists referrals by display name and status, newest first, and never shows their e-mails or ids', async () => {
    const referrer = await createUser(db);
    const early = await createUser(db, { name: 'Early Friend' });
    const late = await createUser(db, { name: null });
    await redeemReferralCode({ db, userId: early.id, input: referrer.referralCode });
    await completeOnboarding({ db, userId: early.id });
    await redeemReferralCode({ db, userId: late.id, input: referrer.referralCode });

    const summary = await getReferralSummary({ db, userId: referrer.id, appUrl: APP_URL });
    if (!summary.ok) throw new Error('expected success');
    expect(summary).toMatchObject({
      usedReferrals: 2,
      remainingReferrals: DEFAULT_PROGRAM.maxReferralsPerReferrer - 2,
      quota: DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferrer,
    });
    expect(summary.referrals).toEqual([
      { name: 'A friend', status: 'pending', statusReason: null, createdAt: expect.any(Date), completedAt: null },
      { name: 'Early Friend', status: 'completed', statusReason: null, createdAt: expect.any(Date), completedAt: expect.any(Date) },
    ]);
    const text = JSON.stringify(summary);
    for (const friend of [early, late]) {
      expect(text).not.toContain(friend.email!);
      expect(text).not.toContain(friend.id);
    }
  });

  it('shows who referred the user, and that they can no longer redeem', async () => {
    const referrer = await createUser(db, { name: 'Grace' });
    const friend = await createUser(db);
    await redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode });
    expect(await getReferralSummary({ db, userId: friend.id, appUrl: APP_URL })).toMatchObject({
      referredBy: { name: 'Grace', status: 'pending', statusReason: null },
      canRedeem: false,
    });
  });

  it('says an account older than the redeem window cannot redeem', async () => {
    const old = await createUser(db, { createdAt: daysAgo(DEFAULT_PROGRAM.redeemWindowDays + 1) });
    expect(await getReferralSummary({ db, userId: old.id, appUrl: APP_URL })).toMatchObject({ canRedeem: false });
  });

  it('answers unauthenticated for a missing or unknown user', async () => {
    expect(await getReferralSummary({ db, userId: '', appUrl: APP_URL })).toMatchObject({ code: 'unauthenticated' });
    expect(await getReferralSummary({ db, userId: 'nobody', appUrl: APP_URL })).toMatchObject({ code: 'unauthenticated' });
  });
});
