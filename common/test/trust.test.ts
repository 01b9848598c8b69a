// The trust features on real PostgreSQL (docs/referral-rules.md, "Fraud
// review" and "The quota ledger"; docs/reviewing-referrals.md): the quota
// ledger, fraud signals and review, operator decisions under concurrency,
// and the webhook outbox.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAM, DEFAULT_QUOTA } from '../src/constants';
import type { User } from '../src/db/schema';
import { completeOnboarding } from '../src/referrals/complete-onboarding';
import { decideReferral, type ReferralDecision } from '../src/referrals/decide-referral';
import { recordLandingView, recordSignupFingerprint } from '../src/referrals/fingerprint';
import { findLedgerViolations, getQuotaHistory } from '../src/referrals/ledger';
import { redeemReferralCode } from '../src/referrals/redeem-referral-code';
import { validateReferralCode } from '../src/referrals/validate-referral-code';
import { createUser, createUsers, getUser, NO_FINGERPRINT, referralOfReferred } from '../src/testing/factories';
import { useTestDb } from './helpers';

const db = useTestDb(40);
const SECRET = 'trust-tests-secret-0123456789';
const admin = { id: null, email: 'operator@example.test' };

/** A referrer and a friend who has finished onboarding, with distinct addresses and browsers. */
async function pair(friendOverrides: Partial<User> = {}, referrerOverrides: Partial<User> = {}) {
  const referrer = await createUser(db, referrerOverrides);
  const friend = await createUser(db, friendOverrides);
  return { referrer, friend };
}

async function redeemAndOnboard(referrer: User, friend: User) {
  const redeemed = await redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode });
  expect(redeemed.ok).toBe(true);
  const done = await completeOnboarding({ db, userId: friend.id });
  if (!done.ok) throw new Error(done.message);
  return done;
}

async function quotas(...people: User[]) {
  return Promise.all(people.map(async (p) => (await getUser(db, p.id)).quota));
}

async function grantsOf(referralId: string) {
  return db.$client<{ user_id: string; amount: number; reason: string }[]>`
    select user_id, amount, reason from quota_grant where referral_id = ${referralId} order by id`;
}

async function outbox(referralId: string) {
  const rows = await db.$client<{ type: string }[]>`select type from webhook_event where referral_id = ${referralId} order by id`;
  return rows.map((r) => r.type);
}

describe('quota ledger', () => {
  it('writes one row per reward in the same transaction, and the invariant holds', async () => {
    const { referrer, friend } = await pair();
    await redeemAndOnboard(referrer, friend);
    expect(await grantsOf(friend.id)).toEqual([
      { user_id: referrer.id, amount: DEFAULT_PROGRAM.rewardReferrer, reason: 'referral_referrer' },
      { user_id: friend.id, amount: DEFAULT_PROGRAM.rewardReferred, reason: 'referral_referred' },
    ]);
    expect(await quotas(referrer, friend)).toEqual([DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferrer, DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferred]);
    expect(await findLedgerViolations(db.$client)).toEqual([]);
  });

  it('makes a double grant impossible even when the application checks are bypassed (unique key)', async () => {
    const { referrer, friend } = await pair();
    await redeemAndOnboard(referrer, friend);
    // Straight to the ledger function and straight to the table: neither grants twice.
    const [again] = await db.$client<{ applied: boolean }[]>`
      select quota_grant_apply(${referrer.id}, 500, 'referral_referrer', ${friend.id}, null, 1) as applied`;
    expect(again!.applied).toBe(false);
    await expect(
      db.$client`insert into quota_grant (user_id, amount, reason, referral_id, program_version) values (${friend.id}, 500, 'referral_referred', ${friend.id}, 1)`,
    ).rejects.toThrow(/quota_grant_once/);
    expect(await quotas(referrer, friend)).toEqual([DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferrer, DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferred]);
  });

  it('shows members their quota history in plain words, without e-mails', async () => {
    const { referrer, friend } = await pair({ name: 'Grace' }, { name: 'Ada' });
    await redeemAndOnboard(referrer, friend);
    const referrerHistory = await getQuotaHistory({ db, userId: referrer.id });
    expect(referrerHistory).toMatchObject([{ amount: 500, reason: 'referral_referrer', description: 'Grace joined with your referral' }]);
    const friendHistory = await getQuotaHistory({ db, userId: friend.id });
    expect(friendHistory).toMatchObject([{ amount: 500, description: "Welcome bonus: you joined with Ada's referral" }]);
    expect(JSON.stringify([referrerHistory, friendHistory])).not.toContain('@');
  });
});

describe('fraud signals', () => {
  const held = async (referrer: User, friend: User) => {
    const done = await redeemAndOnboard(referrer, friend);
    const row = await referralOfReferred(db, friend.id);
    return { done, row: row! };
  };

  it('a clean referral completes at once, with no signals', async () => {
    const { referrer, friend } = await pair();
    await recordSignupFingerprint({ db, userId: referrer.id, client: { ip: '203.0.113.1', userAgent: 'Browser A' }, secret: SECRET });
    await recordSignupFingerprint({ db, userId: friend.id, client: { ip: '198.51.100.7', userAgent: 'Browser B' }, secret: SECRET });
    const { done, row } = await held(referrer, friend);
    expect(done.referral).toMatchObject({ status: 'completed', rewardGranted: true });
    expect(row).toMatchObject({ status: 'completed', riskScore: 0, signals: [] });
    expect(await outbox(friend.id)).toEqual(['referral.created', 'referral.completed']);
  });

  async function expectHeldFor(signal: string, referrer: User, friend: User) {
    const { done, row } = await held(referrer, friend);
    expect(done.referral).toMatchObject({ status: 'held', rewardGranted: false });
    expect(row.status).toBe('held');
    expect(row.signals).toContain(signal);
    expect(row.statusReason).toBe('under_review');
    expect(await quotas(referrer, friend)).toEqual([DEFAULT_QUOTA, DEFAULT_QUOTA]);
    expect(await grantsOf(friend.id)).toEqual([]);
    expect(await outbox(friend.id)).toEqual(['referral.created', 'referral.held']);
  }

  it('email_match (case, +tags, Gmail dots) holds a referral that would otherwise complete', async () => {
    const tag = Math.random().toString(36).slice(2, 8).replace(/[0-9]/g, 'x');
    const { referrer, friend } = await pair(
      { email: `adalovelace${tag}@googlemail.com` },
      { email: `Ada.Lovelace${tag}+alt@Gmail.com` },
    );
    await expectHeldFor('email_match', referrer, friend);
  });

  it('disposable_domain holds a referral that would otherwise complete', async () => {
    const { referrer, friend } = await pair({ email: `someone-${Math.random().toString(36).slice(2)}@mailinator.com` });
    await expectHeldFor('disposable_domain', referrer, friend);
  });

  it('same_ip holds a referral; the same user agent alone does not', async () => {
    const sameIp = await pair(NO_FINGERPRINT, NO_FINGERPRINT);
    for (const user of [sameIp.referrer, sameIp.friend]) {
      await recordSignupFingerprint({ db, userId: user.id, client: { ip: '192.0.2.55', userAgent: `UA ${user.id}` }, secret: SECRET });
    }
    expect((await held(sameIp.referrer, sameIp.friend)).row).toMatchObject({ status: 'held', signals: ['same_ip'] });

    const sameBrowser = await pair(NO_FINGERPRINT, NO_FINGERPRINT);
    for (const [user, ip] of [[sameBrowser.referrer, '192.0.2.1'], [sameBrowser.friend, '198.51.100.2']] as const) {
      await recordSignupFingerprint({ db, userId: user.id, client: { ip, userAgent: 'Mozilla/5.0 Same' }, secret: SECRET });
    }
    expect((await held(sameBrowser.referrer, sameBrowser.friend)).row).toMatchObject({ status: 'completed', signals: ['same_user_agent'] });
  });

  it('velocity holds the referrals beyond the limit within the window', async () => {
    const referrer = await createUser(db);
    const friends = await createUsers(db, DEFAULT_PROGRAM.velocityMaxReferrals + 1);
    const statuses = [];
    for (const friend of friends) statuses.push((await held(referrer, friend)).row.status);
    expect(statuses).toEqual([...Array(DEFAULT_PROGRAM.velocityMaxReferrals).fill('completed'), 'held']);
    expect((await referralOfReferred(db, friends.at(-1)!.id))!.signals).toEqual(['velocity']);
  });

  it('stores only keyed hashes of addresses and browsers', async () => {
    const user = await createUser(db, NO_FINGERPRINT);
    const client = { ip: '203.0.113.99', userAgent: 'Secret Browser 1.0' };
    await recordSignupFingerprint({ db, userId: user.id, client, secret: SECRET });
    await recordLandingView({ db, code: user.referralCode, client, secret: SECRET, viewerId: user.id });
    const rows = await db.$client`
      select u.signup_ip_hash, u.signup_network_hash, u.signup_user_agent_hash, h.ip_hash, h.network_hash, h.user_agent_hash, v.visitor_hash
      from "user" u
      join user_address_history h on h.user_id = u.id
      join referral_landing_view v on v.referrer_id = u.id
      where u.id = ${user.id}`;
    const text = JSON.stringify(rows);
    expect(rows).toHaveLength(1);
    expect(text).not.toContain('203.0.113');
    expect(text).not.toContain('Secret Browser');
    expect(rows[0]!.signup_ip_hash).toBe(rows[0]!.ip_hash);
    expect(rows[0]!.signup_network_hash).toBe(rows[0]!.network_hash);
    expect(rows[0]!.visitor_hash).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});

describe('operator decisions', () => {
  async function heldReferral() {
    const { referrer, friend } = await pair({ email: `x-${Math.random().toString(36).slice(2)}@mailinator.com` });
    await redeemAndOnboard(referrer, friend);
    expect((await referralOfReferred(db, friend.id))!.status).toBe('held');
    return { referrer, friend };
  }

  it('approve grants exactly once under 20 concurrent approvals, audited once', async () => {
    const { referrer, friend } = await heldReferral();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => decideReferral({ db, referralId: friend.id, action: 'approve', actor: admin, reason: 'looked fine' })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'conflict')).toBe(true);
    expect(await quotas(referrer, friend)).toEqual([DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferrer, DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferred]);
    expect((await referralOfReferred(db, friend.id))!).toMatchObject({ status: 'completed', statusReason: null });
    const audit = await db.$client`select action, from_status, to_status, actor_email, reason from referral_decision where referral_id = ${friend.id}`;
    expect(audit).toEqual([{ action: 'approve', from_status: 'held', to_status: 'completed', actor_email: admin.email, reason: 'looked fine' }]);
    expect(await outbox(friend.id)).toEqual(['referral.created', 'referral.held', 'referral.completed']);
  });

  it('revoke claws back exactly once under 20 concurrent revokes', async () => {
    const { referrer, friend } = await pair();
    await redeemAndOnboard(referrer, friend);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => decideReferral({ db, referralId: friend.id, action: 'revoke', actor: admin, reason: 'alt account' })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await quotas(referrer, friend)).toEqual([DEFAULT_QUOTA, DEFAULT_QUOTA]);
    const grants = (await grantsOf(friend.id)).map((g) => `${g.user_id === friend.id ? 'friend' : 'referrer'} ${g.reason} ${g.amount}`);
    expect(grants.sort()).toEqual([
      `friend clawback ${-DEFAULT_PROGRAM.rewardReferred}`,
      `friend referral_referred ${DEFAULT_PROGRAM.rewardReferred}`,
      `referrer clawback ${-DEFAULT_PROGRAM.rewardReferrer}`,
      `referrer referral_referrer ${DEFAULT_PROGRAM.rewardReferrer}`,
    ]);
    expect((await referralOfReferred(db, friend.id))!.status).toBe('rejected');
    expect(await findLedgerViolations(db.$client)).toEqual([]);
  });

  it('reject grants nothing, frees a place under the cap, and needs a reason', async () => {
    const { referrer, friend } = await heldReferral();
    expect(await decideReferral({ db, referralId: friend.id, action: 'reject', actor: admin, reason: '  ' })).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(await decideReferral({ db, referralId: friend.id, action: 'reject', actor: admin, reason: 'nul\u0000' })).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(await decideReferral({ db, referralId: `${friend.id}\u0000`, action: 'reject', actor: admin, reason: 'ok' })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await decideReferral({ db, referralId: friend.id, action: 'reject', actor: admin, reason: 'throwaway e-mail' })).toMatchObject({ ok: true, status: 'rejected' });
    expect(await decideReferral({ db, referralId: friend.id, action: 'approve', actor: admin, reason: 'changed my mind' })).toMatchObject({
      ok: false,
      code: 'conflict',
      message: expect.stringContaining('already decided: it is now "Not credited"'),
    });
    expect(await decideReferral({ db, referralId: 'no-such-referral', action: 'approve', actor: admin, reason: 'changed my mind' })).toMatchObject({
      ok: false,
      code: 'not_found',
      message: expect.stringContaining('no such referral'),
    });
    expect(await quotas(referrer, friend)).toEqual([DEFAULT_QUOTA, DEFAULT_QUOTA]);
    // Rejected referrals do not count toward the cap: five more friends fit.
    const others = await createUsers(db, DEFAULT_PROGRAM.maxReferralsPerReferrer);
    const redeemed = await Promise.all(others.map((o) => redeemReferralCode({ db, userId: o.id, input: referrer.referralCode })));
    expect(redeemed.every((r) => r.ok)).toBe(true);
    const oneMore = await createUser(db);
    expect(await redeemReferralCode({ db, userId: oneMore.id, input: referrer.referralCode })).toMatchObject({ ok: false, code: 'code_exhausted' });
  });

  it('the landing page and /onboard (validate) count the cap as redeem does: a rejected referral frees its place', async () => {
    const { referrer, friend } = await heldReferral();
    await decideReferral({ db, referralId: friend.id, action: 'reject', actor: admin, reason: 'throwaway e-mail' });
    const others = await createUsers(db, DEFAULT_PROGRAM.maxReferralsPerReferrer - 1);
    for (const other of others) await redeemReferralCode({ db, userId: other.id, input: referrer.referralCode });
    expect(await validateReferralCode({ db, input: referrer.referralCode })).toMatchObject({ ok: true });
    const last = await createUser(db);
    await redeemReferralCode({ db, userId: last.id, input: referrer.referralCode });
    expect(await validateReferralCode({ db, input: referrer.referralCode })).toMatchObject({ ok: false, code: 'code_exhausted' });
  });

  it('a held referral counts toward the cap', async () => {
    const { referrer } = await heldReferral();
    const others = await createUsers(db, DEFAULT_PROGRAM.maxReferralsPerReferrer);
    const redeemed = await Promise.all(others.map((o) => redeemReferralCode({ db, userId: o.id, input: referrer.referralCode })));
    expect(redeemed.filter((r) => r.ok)).toHaveLength(DEFAULT_PROGRAM.maxReferralsPerReferrer - 1);
  });
});

describe('under load', () => {
  it('200 concurrent mixed operations (redeem, complete, approve, reject, revoke) keep the ledger and the rules', async () => {
    const referrers = await createUsers(db, 10);
    const friends = await createUsers(db, 60);
    // Some friends sign up with throwaway addresses, so some referrals are held.
    await Promise.all(
      friends.slice(0, 20).map((f, i) => db.$client`update "user" set email = ${`load-${i}-${f.id}@mailinator.com`} where id = ${f.id}`),
    );
    const actions: ReferralDecision[] = ['approve', 'reject', 'revoke'];
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const operations = Array.from({ length: 200 }, () => {
      const friend = friends[random(friends.length)]!;
      switch (random(4)) {
        case 0:
        case 1:
          return redeemReferralCode({ db, userId: friend.id, input: referrers[random(referrers.length)]!.referralCode });
        case 2:
          return completeOnboarding({ db, userId: friend.id });
        default:
          return decideReferral({ db, referralId: friend.id, action: actions[random(3)]!, actor: admin, reason: 'load test' });
      }
    });
    const results = await Promise.all(operations);
    expect(results.filter((r) => !r.ok && r.code === 'internal')).toEqual([]);

    expect(await findLedgerViolations(db.$client)).toEqual([]);
    // Over this test's referrers only: other test files share the database and insert raw rows.
    const mine = referrers.map((r) => r.id);
    const [rules] = await db.$client<{ over_cap: number; bad_completed: number; grants_of_uncompleted: number }[]>`
      select
        (select count(*) from (select referrer_id from referral where status::text <> 'rejected' and referrer_id = any(${mine})
           group by referrer_id having count(*) > ${DEFAULT_PROGRAM.maxReferralsPerReferrer}) x)::int as over_cap,
        (select count(*) from referral r where r.status = 'completed' and r.referrer_id = any(${mine}) and
           (select count(*) from quota_grant g where g.referral_id = r.referred_id and g.reason <> 'clawback') <> 2)::int as bad_completed,
        (select count(*) from referral r where r.status::text in ('pending', 'held') and r.referrer_id = any(${mine}) and
           exists (select 1 from quota_grant g where g.referral_id = r.referred_id))::int as grants_of_uncompleted`;
    expect(rules).toEqual({ over_cap: 0, bad_completed: 0, grants_of_uncompleted: 0 });
  });
});

describe('webhook outbox', () => {
  it('a redemption that fails writes no event; every change writes its event in its own transaction', async () => {
    const { referrer, friend } = await pair();
    const failed = await redeemReferralCode({ db, userId: friend.id, input: friend.referralCode });
    expect(failed).toMatchObject({ ok: false, code: 'self_referral' });
    expect(await outbox(friend.id)).toEqual([]);
    // A transaction that redeems and then rolls back leaves no event behind.
    await expect(
      db.$client.begin(async (tx) => {
        await tx`select * from referral_redeem(${friend.id}, ${referrer.referralCode})`;
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await outbox(friend.id)).toEqual([]);
    expect(await referralOfReferred(db, friend.id)).toBeNull();
  });
});
