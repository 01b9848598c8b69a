import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAM } from '../src/constants';
import { isReferralCode } from '../src/referrals/parse-referral-input';
import { redeemReferralCode } from '../src/referrals/redeem-referral-code';
import { regenerateReferralCode } from '../src/referrals/regenerate-referral-code';
import { validateReferralCode } from '../src/referrals/validate-referral-code';
import { createUser, createUsers, getUser } from '../src/testing/factories';
import { APP_URL, useTestDb } from './helpers';

const db = useTestDb();

/** Seconds from now until the next UTC midnight. */
function secondsToNextUtcDay(): number {
  const now = new Date();
  return (Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime()) / 1000;
}

/** As if the user's regenerations so far had been made yesterday (the count is the database's, per UTC day). */
async function moveRegenerationsToYesterday(userId: string) {
  await db.execute(sql`update "user" set code_regenerated_on = code_regenerated_on - 1 where id = ${userId}`);
}

describe('regenerateReferralCode', () => {
  it('gives a fresh code and link; the old code stops working at once', async () => {
    const user = await createUser(db);
    const friend = await createUser(db);
    const result = await regenerateReferralCode({ db, userId: user.id, appUrl: APP_URL });
    if (!result.ok) throw new Error(`expected success, got ${result.code}`);
    expect(isReferralCode(result.referralCode)).toBe(true);
    expect(result.referralCode).not.toBe(user.referralCode);
    expect(result.referralLink).toBe(`${APP_URL}/referrals/${result.referralCode}`);
    expect(result.regenerationsLeftToday).toBe(DEFAULT_PROGRAM.regenerationsPerDay - 1);
    expect((await getUser(db, user.id)).referralCode).toBe(result.referralCode);

    expect(await validateReferralCode({ db, input: user.referralCode })).toMatchObject({ code: 'code_not_found' });
    expect(await redeemReferralCode({ db, userId: friend.id, input: user.referralCode })).toMatchObject({
      code: 'code_not_found',
    });
    expect(await redeemReferralCode({ db, userId: friend.id, input: result.referralCode })).toMatchObject({ ok: true });
  });

  it('keeps existing referrals, which still count toward the cap', async () => {
    const referrer = await createUser(db);
    const friends = await createUsers(db, DEFAULT_PROGRAM.maxReferralsPerReferrer);
    for (const friend of friends.slice(0, DEFAULT_PROGRAM.maxReferralsPerReferrer - 1)) {
      expect((await redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode })).ok).toBe(true);
    }
    const fresh = await regenerateReferralCode({ db, userId: referrer.id, appUrl: APP_URL });
    if (!fresh.ok) throw new Error('expected success');
    expect((await redeemReferralCode({ db, userId: friends.at(-1)!.id, input: fresh.referralCode })).ok).toBe(true);
    const late = await createUser(db);
    expect(await redeemReferralCode({ db, userId: late.id, input: fresh.referralCode })).toMatchObject({
      code: 'code_exhausted',
    });
  });

  it("answers rate_limited with the seconds until the next UTC day once the day's regenerations are used, and allows as many again the next day", async () => {
    const user = await createUser(db);
    for (let i = 0; i < DEFAULT_PROGRAM.regenerationsPerDay; i++) {
      expect((await regenerateReferralCode({ db, userId: user.id, appUrl: APP_URL })).ok).toBe(true);
    }
    const before = (await getUser(db, user.id)).referralCode;
    expect(await regenerateReferralCode({ db, userId: user.id, appUrl: APP_URL })).toMatchObject({
      ok: false,
      code: 'rate_limited',
      retryAfterSeconds: expect.any(Number),
    });
    const limited = await regenerateReferralCode({ db, userId: user.id, appUrl: APP_URL });
    if (limited.ok || limited.code !== 'rate_limited') throw new Error('expected rate_limited');
    expect(Math.abs((limited.retryAfterSeconds ?? 0) - secondsToNextUtcDay())).toBeLessThanOrEqual(5);
    expect((await getUser(db, user.id)).referralCode).toBe(before);

    await moveRegenerationsToYesterday(user.id);
    for (let i = 0; i < DEFAULT_PROGRAM.regenerationsPerDay; i++) {
      expect((await regenerateReferralCode({ db, userId: user.id, appUrl: APP_URL })).ok).toBe(true);
    }
    expect(await regenerateReferralCode({ db, userId: user.id, appUrl: APP_URL })).toMatchObject({ code: 'rate_limited' });
  });

  it('counts per user: one user at the limit does not limit another', async () => {
    const [a, b] = await createUsers(db, 2);
    for (let i = 0; i < DEFAULT_PROGRAM.regenerationsPerDay; i++) {
      await regenerateReferralCode({ db, userId: a!.id, appUrl: APP_URL });
    }
    expect((await regenerateReferralCode({ db, userId: b!.id, appUrl: APP_URL })).ok).toBe(true);
  });

  it('answers unauthenticated for a missing or unknown user and does not use up a regeneration', async () => {
    expect(await regenerateReferralCode({ db, userId: '', appUrl: APP_URL })).toMatchObject({
      code: 'unauthenticated',
    });
    expect(await regenerateReferralCode({ db, userId: 'no-such-user', appUrl: APP_URL })).toMatchObject({
      code: 'unauthenticated',
    });
    const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from "user" where code_regenerated_on is not null and id = 'no-such-user'`);
    expect(row!.n).toBe(0);
  });
});
