import { describe, expect, it } from 'vitest';
import { MAX_REFERRALS_PER_CODE, REFERRAL_REWARD_REFERRED, REFERRAL_REWARD_REFERRER } from '../src/constants';
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
      rewards: { referrer: REFERRAL_REWARD_REFERRER, referred: REFERRAL_REWARD_REFERRED },
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
    for (const friend of await createUsers(db, MAX_REFERRALS_PER_CODE)) {
      await redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode });
    }
    expect(await validateReferralCode({ db, input: referrer.referralCode })).toMatchObject({ code: 'code_exhausted' });
  });
});
