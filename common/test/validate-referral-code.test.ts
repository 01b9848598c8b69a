import { describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAM } from '../src/constants';
import { redeemReferralCode } from '../src/referrals/redeem-referral-code';
import { validateReferralCode } from '../src/referrals/validate-referral-code';
import { createUser, createUsers } from '../src/testing/factories';
import { useTestDb } from './helpers';

const db = useTestDb();

describe('validateReferralCode', () => {
  it('shows the referrer\'s display name and the rewards, and nothing else about them', async () => {
    const referrer = await createUser(db, { name: 'Ada Lovelace' });
    const result = await validateReferralCode({ db, input: referrer.referralCode.toUpperCase() });
    expect(result).toEqual({
      ok: true,
      valid: true,
      referralCode: referrer.referralCode,
      referrer: { name: 'Ada Lovelace' },
      rewards: { referrer: DEFAULT_PROGRAM.rewardReferrer, referred: DEFAULT_PROGRAM.rewardReferred },
      program: {
        version: 1,
        redeemWindowDays: DEFAULT_PROGRAM.redeemWindowDays,
        attributionCookieDays: DEFAULT_PROGRAM.attributionCookieDays,
      },
    });
    const text = JSON.stringify(result);
    expect(text).not.toContain(referrer.email!);
    expect(text).not.toContain(referrer.id);
  });

  it('answers invalid_code and code_not_found', async () => {
    expect(await validateReferralCode({ db, input: 'nope' })).toMatchObject({ ok: false, code: 'invalid_code' });
    expect(await validateReferralCode({ db, input: 'ref-00000000-0000-4000-8000-000000000000' })).toMatchObject({
      ok: false,
      code: 'code_not_found',
    });
  });

  it('answers code_exhausted when the referrer has no uses left', async () => {
    const referrer = await createUser(db);
    for (const friend of await createUsers(db, DEFAULT_PROGRAM.maxReferralsPerReferrer)) {
      await redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode });
    }
    expect(await validateReferralCode({ db, input: referrer.referralCode })).toMatchObject({ code: 'code_exhausted' });
  });
});
