import { describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAM, DEFAULT_QUOTA } from '../src/constants';
import { redeemReferralCode } from '../src/referrals/redeem-referral-code';
import { createUser, createUsers, daysAgo, getUser, referralOfReferred, referralsOf } from '../src/testing/factories';
import { useTestDb } from './helpers';

const db = useTestDb();
const UNKNOWN_CODE = 'ref-00000000-0000-4000-8000-000000000000';

describe('redeemReferralCode', () => {
  it('creates a pending referral for a user who has not finished onboarding, and grants nothing yet', async () => {
    const [referrer, friend] = await createUsers(db, 2);
    const result = await redeemReferralCode({ db, userId: friend!.id, input: referrer!.referralCode });
    expect(result).toEqual({ ok: true, status: 'pending', quota: DEFAULT_QUOTA, referrer: { name: referrer!.name } });
    const row = await referralOfReferred(db, friend!.id);
    expect(row).toMatchObject({ referrerId: referrer!.id, status: 'pending', completedAt: null });
    expect((await getUser(db, referrer!.id)).quota).toBe(DEFAULT_QUOTA);
  });

  it('completes at once, with both rewards, for a user who already finished onboarding', async () => {
    const referrer = await createUser(db);
    const friend = await createUser(db, { onboardedAt: new Date() });
    const result = await redeemReferralCode({ db, userId: friend.id, input: `  ${referrer.referralCode.toUpperCase()} ` });
    expect(result).toEqual({
      ok: true,
      status: 'completed',
      quota: DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferred,
      referrer: { name: referrer.name },
    });
    const row = await referralOfReferred(db, friend.id);
    expect(row?.status).toBe('completed');
    expect(row?.completedAt).toBeInstanceOf(Date);
    expect((await getUser(db, referrer.id)).quota).toBe(DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferrer);
    expect((await getUser(db, friend.id)).quota).toBe(DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferred);
  });

  it('accepts a pasted referral link', async () => {
    const [referrer, friend] = await createUsers(db, 2);
    const result = await redeemReferralCode({
      db,
      userId: friend!.id,
      input: `https://app.example.com/referrals/${referrer!.referralCode}`,
    });
    expect(result.ok).toBe(true);
  });

  it('shows a referrer without a name as "A friend", never by e-mail', async () => {
    const referrer = await createUser(db, { name: null });
    const friend = await createUser(db);
    const result = await redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode });
    expect(result).toMatchObject({ ok: true, referrer: { name: 'A friend' } });
    expect(JSON.stringify(result)).not.toContain(referrer.email!);
  });

  it('answers invalid_code for input that is not a code, without a referral', async () => {
    const friend = await createUser(db);
    for (const input of ['hello', '', 'ref-123', 42, null]) {
      expect(await redeemReferralCode({ db, userId: friend.id, input })).toMatchObject({ ok: false, code: 'invalid_code' });
    }
    expect(await referralOfReferred(db, friend.id)).toBeNull();
  });

  it('answers code_not_found for a well-formed code nobody has', async () => {
    const friend = await createUser(db);
    expect(await redeemReferralCode({ db, userId: friend.id, input: UNKNOWN_CODE })).toMatchObject({
      ok: false,
      code: 'code_not_found',
      message: expect.any(String),
    });
  });

  it('answers self_referral for the user\'s own code', async () => {
    const user = await createUser(db);
    expect(await redeemReferralCode({ db, userId: user.id, input: user.referralCode })).toMatchObject({
      ok: false,
      code: 'self_referral',
    });
  });

  it('answers already_referred for a second code, and keeps the first referral', async () => {
    const [first, second, friend] = await createUsers(db, 3);
    expect((await redeemReferralCode({ db, userId: friend!.id, input: first!.referralCode })).ok).toBe(true);
    expect(await redeemReferralCode({ db, userId: friend!.id, input: second!.referralCode })).toMatchObject({
      ok: false,
      code: 'already_referred',
    });
    expect(await redeemReferralCode({ db, userId: friend!.id, input: first!.referralCode })).toMatchObject({
      ok: false,
      code: 'already_referred',
    });
    expect((await referralOfReferred(db, friend!.id))?.referrerId).toBe(first!.id);
  });

  it('answers referral_loop when the referrer was referred by this user', async () => {
    const [a, b] = await createUsers(db, 2);
    expect((await redeemReferralCode({ db, userId: b!.id, input: a!.referralCode })).ok).toBe(true);
    // a was not referred yet, but a referred b: b's code would close a loop.
    expect(await redeemReferralCode({ db, userId: a!.id, input: b!.referralCode })).toMatchObject({
      ok: false,
      code: 'referral_loop',
    });
  });

  it('answers not_eligible for an account older than the redeem window', async () => {
    const referrer = await createUser(db);
    const old = await createUser(db, { createdAt: daysAgo(DEFAULT_PROGRAM.redeemWindowDays + 1) });
    const justInside = await createUser(db, { createdAt: daysAgo(DEFAULT_PROGRAM.redeemWindowDays - 0.01) });
    expect(await redeemReferralCode({ db, userId: old.id, input: referrer.referralCode })).toMatchObject({
      ok: false,
      code: 'not_eligible',
    });
    expect((await redeemReferralCode({ db, userId: justInside.id, input: referrer.referralCode })).ok).toBe(true);
  });

  it(`answers code_exhausted once the referrer has ${DEFAULT_PROGRAM.maxReferralsPerReferrer} referrals, pending or completed`, async () => {
    const referrer = await createUser(db);
    const friends = await createUsers(db, DEFAULT_PROGRAM.maxReferralsPerReferrer + 1);
    const onboarded = await createUser(db, { onboardedAt: new Date() });
    expect((await redeemReferralCode({ db, userId: onboarded.id, input: referrer.referralCode })).ok).toBe(true);
    for (const friend of friends.slice(0, DEFAULT_PROGRAM.maxReferralsPerReferrer - 1)) {
      expect((await redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode })).ok).toBe(true);
    }
    expect(await redeemReferralCode({ db, userId: friends.at(-1)!.id, input: referrer.referralCode })).toMatchObject({
      ok: false,
      code: 'code_exhausted',
    });
    expect(await referralsOf(db, referrer.id)).toHaveLength(DEFAULT_PROGRAM.maxReferralsPerReferrer);
  });

  it('reports the first failing rule in the order of docs/referral-rules.md ("How redeeming a code works")', async () => {
    // An old account that was already referred: already_referred (step 4) before not_eligible (step 6).
    const [first, second] = await createUsers(db, 2);
    const old = await createUser(db, { createdAt: daysAgo(DEFAULT_PROGRAM.redeemWindowDays + 30) });
    await db.$client`insert into referral (referrer_id, referred_id, program_version) values (${first!.id}, ${old.id}, 1)`;
    expect(await redeemReferralCode({ db, userId: old.id, input: second!.referralCode })).toMatchObject({
      code: 'already_referred',
    });
    // An old account trying its own code: self_referral (step 3).
    expect(await redeemReferralCode({ db, userId: old.id, input: old.referralCode })).toMatchObject({
      code: 'self_referral',
    });
  });

  it('answers unauthenticated for a missing or unknown user, without a referral', async () => {
    const referrer = await createUser(db);
    expect(await redeemReferralCode({ db, userId: '', input: referrer.referralCode })).toMatchObject({
      code: 'unauthenticated',
    });
    expect(await redeemReferralCode({ db, userId: 'no-such-user', input: referrer.referralCode })).toMatchObject({
      code: 'unauthenticated',
    });
    expect(await referralsOf(db, referrer.id)).toHaveLength(0);
  });
});
