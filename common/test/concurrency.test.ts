import { inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAM, DEFAULT_QUOTA } from '../src/constants';
import type { Db } from '../src/db/client';
import { referrals, users } from '../src/db/schema';
import { completeOnboarding } from '../src/referrals/complete-onboarding';
import { redeemReferralCode } from '../src/referrals/redeem-referral-code';
import { regenerateReferralCode } from '../src/referrals/regenerate-referral-code';
import { withTransactionRetry } from '../src/referrals/transaction';
import { createUser, createUsers, getUser, referralOfReferred, referralsOf } from '../src/testing/factories';
import { APP_URL, useTestDb } from './helpers';

// Each call of a Promise.all below runs on its own connection of this pool,
// so PostgreSQL, not the pool, decides the order.
const db = useTestDb(50);

function countBy<T extends string>(values: T[]): Record<string, number> {
  return values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});
}

/** Every user's quota is exactly the default plus the rewards of their completed referrals. */
async function expectQuotasMatchReferrals(database: Db, userIds: string[]) {
  const rows = await database
    .select({
      id: users.id,
      quota: users.quota,
      expected: sql<number>`${DEFAULT_QUOTA}
        + ${DEFAULT_PROGRAM.rewardReferrer} * (select count(*) from referral r where r.referrer_id = "user".id and r.status = 'completed')::int
        + ${DEFAULT_PROGRAM.rewardReferred} * (select count(*) from referral r where r.referred_id = "user".id and r.status = 'completed')::int`.mapWith(
        Number,
      ),
    })
    .from(users)
    .where(inArray(users.id, userIds));
  expect(rows).toHaveLength(userIds.length);
  for (const row of rows) expect(row.quota, `quota of ${row.id}`).toBe(row.expected);
}

describe('concurrent redemptions', () => {
  it('100 simultaneous redemptions of one code by 100 users complete exactly 5; the other 95 get code_exhausted', async () => {
    const referrer = await createUser(db);
    // A third of the friends finished onboarding already, so some referrals complete at once.
    const friends = await Promise.all(
      Array.from({ length: 100 }, (_, i) => createUser(db, i % 3 === 0 ? { onboardedAt: new Date() } : {})),
    );
    const results = await Promise.all(
      friends.map((friend) => redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode })),
    );

    expect(countBy(results.map((r) => (r.ok ? 'ok' : r.code)))).toEqual({
      ok: DEFAULT_PROGRAM.maxReferralsPerReferrer,
      code_exhausted: 100 - DEFAULT_PROGRAM.maxReferralsPerReferrer,
    });
    const rows = await referralsOf(db, referrer.id);
    expect(rows).toHaveLength(DEFAULT_PROGRAM.maxReferralsPerReferrer);
    const completed = rows.filter((r) => r.status === 'completed').length;
    expect((await getUser(db, referrer.id)).quota).toBe(DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferrer * completed);
    await expectQuotasMatchReferrals(db, [referrer.id, ...friends.map((f) => f.id)]);
  });

  it('one user redeeming 20 different codes at once gets exactly one referral; 19 get already_referred', async () => {
    const referrers = await createUsers(db, 20);
    const friend = await createUser(db, { onboardedAt: new Date() });
    const results = await Promise.all(
      referrers.map((referrer) => redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode })),
    );
    expect(countBy(results.map((r) => (r.ok ? 'ok' : r.code)))).toEqual({ ok: 1, already_referred: 19 });
    const [row, ...others] = await db.select().from(referrals).where(sql`${referrals.referredId} = ${friend.id}`);
    expect(others).toHaveLength(0);
    expect(row?.status).toBe('completed');
    expect((await getUser(db, friend.id)).quota).toBe(DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferred);
    await expectQuotasMatchReferrals(db, [friend.id, ...referrers.map((r) => r.id)]);
  });

  it('completing the same onboarding 20 times at once grants the rewards exactly once', async () => {
    const [referrer, friend] = await createUsers(db, 2);
    await redeemReferralCode({ db, userId: friend!.id, input: referrer!.referralCode });
    const results = await Promise.all(Array.from({ length: 20 }, () => completeOnboarding({ db, userId: friend!.id })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && r.referral?.rewardGranted)).toHaveLength(1);
    expect((await getUser(db, friend!.id)).quota).toBe(DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferred);
    expect((await getUser(db, referrer!.id)).quota).toBe(DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferrer);
    // Every caller is told the same final quota.
    expect(new Set(results.map((r) => (r.ok ? r.quota : -1)))).toEqual(new Set([DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferred]));
  });

  it('two users redeeming each other\'s codes at once end with exactly one referral, never a loop (20 pairs)', async () => {
    const pairs = await Promise.all(Array.from({ length: 20 }, () => createUsers(db, 2)));
    const outcomes = await Promise.all(
      pairs.map(async ([a, b]) => {
        const [ab, ba] = await Promise.all([
          redeemReferralCode({ db, userId: a!.id, input: b!.referralCode }),
          redeemReferralCode({ db, userId: b!.id, input: a!.referralCode }),
        ]);
        return { a: a!, b: b!, results: [ab, ba] };
      }),
    );
    for (const { a, b, results } of outcomes) {
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.find((r) => !r.ok)).toMatchObject({ code: 'referral_loop' });
      const rows = await db
        .select()
        .from(referrals)
        .where(inArray(referrals.referredId, [a.id, b.id]));
      expect(rows).toHaveLength(1);
    }
  });

  it('a redemption and the completion of onboarding racing for one user end completed, rewarded once (20 users)', async () => {
    const referrer = await createUser(db);
    const others = await createUsers(db, 20);
    // 20 different referrers would hit no cap; use one referrer per friend.
    const referrersForFriends = [referrer, ...(await createUsers(db, 19))];
    await Promise.all(
      others.map((friend, i) =>
        Promise.all([
          redeemReferralCode({ db, userId: friend.id, input: referrersForFriends[i]!.referralCode }),
          completeOnboarding({ db, userId: friend.id }),
        ]),
      ),
    );
    for (const friend of others) {
      const row = await referralOfReferred(db, friend.id);
      expect(row?.status, 'a referral left pending after onboarding').toBe('completed');
    }
    await expectQuotasMatchReferrals(db, [...others.map((f) => f.id), ...referrersForFriends.map((r) => r.id)]);
  });

  it('a regeneration racing 30 redemptions: every redemption used the old code before it changed or got code_not_found', async () => {
    const referrer = await createUser(db);
    const friends = await createUsers(db, 30);
    const [regenerated, ...results] = await Promise.all([
      regenerateReferralCode({ db, userId: referrer.id, appUrl: APP_URL }),
      ...friends.map((friend) => redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode })),
    ]);
    expect(regenerated.ok).toBe(true);
    const codes = countBy(results.map((r) => (r.ok ? 'ok' : r.code)));
    expect(Object.keys(codes).every((c) => ['ok', 'code_exhausted', 'code_not_found'].includes(c))).toBe(true);
    expect(codes.ok ?? 0).toBe((await referralsOf(db, referrer.id)).length);
    expect(codes.ok ?? 0).toBeLessThanOrEqual(DEFAULT_PROGRAM.maxReferralsPerReferrer);
  });

  it('a storm of 300 mixed redemptions and completions keeps every rule and every quota exact', async () => {
    const people = await createUsers(db, 60);
    const operations = Array.from({ length: 300 }, (_, i) => {
      const user = people[(i * 7) % people.length]!;
      const other = people[(i * 13 + 5) % people.length]!;
      return i % 4 === 0
        ? completeOnboarding({ db, userId: user.id })
        : redeemReferralCode({ db, userId: user.id, input: other.referralCode });
    });
    const results = await Promise.all(operations);
    const unexpected = results.filter((r) => !r.ok && ['internal', 'invalid_code', 'unauthenticated'].includes(r.code));
    expect(unexpected).toEqual([]);

    const ids = people.map((p) => p.id);
    const rows = await db.select().from(referrals).where(inArray(referrals.referrerId, ids));
    const perReferrer = countBy(rows.map((r) => r.referrerId));
    expect(Math.max(0, ...Object.values(perReferrer))).toBeLessThanOrEqual(DEFAULT_PROGRAM.maxReferralsPerReferrer);
    expect(new Set(rows.map((r) => r.referredId)).size).toBe(rows.length);
    const pairs = new Set(rows.map((r) => `${r.referrerId}>${r.referredId}`));
    for (const r of rows) expect(pairs.has(`${r.referredId}>${r.referrerId}`), 'a two-way loop').toBe(false);
    await expectQuotasMatchReferrals(db, ids);
  });
});

describe('transaction retries', () => {
  it('retries a transaction that PostgreSQL aborted as a deadlock victim, and both transactions finish', async () => {
    const [a, b] = await createUsers(db, 2);
    let attempts = 0;
    const lockInOrder = (first: string, second: string) =>
      withTransactionRetry(async () => {
        attempts++;
        await db.$client.begin(async (tx) => {
          await tx`select id from "user" where id = ${first} for update`;
          await tx`select pg_sleep(0.2)`;
          await tx`update "user" set name = name where id = ${second}`;
        });
        return 'done' as const;
      });
    const results = await Promise.all([lockInOrder(a!.id, b!.id), lockInOrder(b!.id, a!.id)]);
    expect(results).toEqual(['done', 'done']);
    expect(attempts).toBeGreaterThanOrEqual(3);
  });

  it('gives up after the bounded number of tries with a clear internal error', async () => {
    let attempts = 0;
    const result = await withTransactionRetry(async () => {
      attempts++;
      throw Object.assign(new Error('could not serialize access'), { code: '40001' });
    }, 3);
    expect(attempts).toBe(3);
    expect(result).toMatchObject({ ok: false, code: 'internal', message: expect.stringMatching(/try again/) });
  });

  it('does not retry other errors', async () => {
    let attempts = 0;
    await expect(
      withTransactionRetry(async () => {
        attempts++;
        throw Object.assign(new Error('boom'), { code: '23505' });
      }),
    ).rejects.toThrow('boom');
    expect(attempts).toBe(1);
  });
});
