// The farming loopholes of docs/security.md ("Alt accounts"), closed, on real
// PostgreSQL: addresses compared by network and over the referrer's recent
// history, a missing fingerprint, bursts caught however late their friends
// finish, disposable subdomains, account deletion, and an operator deciding
// their own referral.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAM, DEFAULT_QUOTA } from '../src/constants';
import type { User } from '../src/db/schema';
import { completeOnboarding } from '../src/referrals/complete-onboarding';
import { decideReferral } from '../src/referrals/decide-referral';
import { recordLandingView, recordSignIn, recordSignupFingerprint, type ClientFingerprint } from '../src/referrals/fingerprint';
import { getReferralSummary } from '../src/referrals/get-referral-summary';
import { findLedgerViolations } from '../src/referrals/ledger';
import { redeemReferralCode } from '../src/referrals/redeem-referral-code';
import { regenerateReferralCode } from '../src/referrals/regenerate-referral-code';
import { validateReferralCode } from '../src/referrals/validate-referral-code';
import { createUser, createUsers, getUser, NO_FINGERPRINT, referralOfReferred } from '../src/testing/factories';
import { deleteAccount } from '../src/users/delete-account';
import { APP_URL, useTestDb } from './helpers';

const db = useTestDb(20);
const SECRET = 'hardening-tests-secret-0123456789';

/** A user who signed up from `client` (and nothing else recorded). */
async function signedUpFrom(client: ClientFingerprint, overrides: Partial<User> = {}): Promise<User> {
  const user = await createUser(db, { ...NO_FINGERPRINT, ...overrides });
  await recordSignupFingerprint({ db, userId: user.id, client, secret: SECRET });
  return user;
}

/** Redeems and finishes onboarding; the referral row after it. */
async function refer(referrer: User, friend: User) {
  expect(await redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode })).toMatchObject({ ok: true });
  expect(await completeOnboarding({ db, userId: friend.id })).toMatchObject({ ok: true });
  return (await referralOfReferred(db, friend.id))!;
}

const agent = (label: string) => `Mozilla/5.0 (${label}) Test/1`;

describe('addresses: networks, history, and a missing address', () => {
  it('the same /24 is same_network (50): alone it completes, with the same browser it is held', async () => {
    const referrer = await signedUpFrom({ ip: '198.51.100.10', userAgent: agent('shared') });
    const alone = await signedUpFrom({ ip: '198.51.100.77', userAgent: agent('other') });
    expect(await refer(referrer, alone)).toMatchObject({ status: 'completed', signals: ['same_network'], riskScore: 50 });
    const withBrowser = await signedUpFrom({ ip: '198.51.100.78', userAgent: agent('shared') });
    expect(await refer(referrer, withBrowser)).toMatchObject({ status: 'held', signals: ['same_network', 'same_user_agent'] });
  });

  it('compares IPv6 by /64, and the exact address as same_ip', async () => {
    const referrer = await signedUpFrom({ ip: '2001:db8:aa:bb::1', userAgent: agent('v6 referrer') });
    const sameNetwork = await signedUpFrom({ ip: '2001:db8:aa:bb:ffff::2', userAgent: agent('v6 a') });
    expect((await refer(referrer, sameNetwork)).signals).toEqual(['same_network']);
    const sameAddress = await signedUpFrom({ ip: '2001:0db8:00aa:00bb::1', userAgent: agent('v6 b') });
    expect(await refer(referrer, sameAddress)).toMatchObject({ status: 'held', signals: ['same_ip'] });
    const elsewhere = await signedUpFrom({ ip: '2001:db8:aa:bc::1', userAgent: agent('v6 c') });
    expect((await refer(referrer, elsewhere)).signals).toEqual([]);
  });

  it("compares a friend with the referrer's recent sign-ins, not only the address they signed up from", async () => {
    const referrer = await signedUpFrom({ ip: '192.0.2.10', userAgent: agent('home') });
    // Later, the referrer signs in from elsewhere, where the alt accounts are made.
    await recordSignIn({ db, userId: referrer.id, client: { ip: '203.0.113.50', userAgent: agent('laptop') }, secret: SECRET });
    const alt = await signedUpFrom({ ip: '203.0.113.50', userAgent: agent('alt') });
    expect(await refer(referrer, alt)).toMatchObject({ status: 'held', signals: ['same_ip'] });
  });

  it("compares a friend with the addresses the referrer opened landing pages from", async () => {
    const referrer = await signedUpFrom({ ip: '192.0.2.20', userAgent: agent('desk') });
    const other = await createUser(db);
    await recordLandingView({ db, code: other.referralCode, client: { ip: '203.0.113.60', userAgent: agent('phone') }, secret: SECRET, viewerId: referrer.id });
    const alt = await signedUpFrom({ ip: '203.0.113.60', userAgent: agent('alt 2') });
    expect(await refer(referrer, alt)).toMatchObject({ status: 'held', signals: ['same_ip'] });
  });

  it('a friend with no known address is held (missing_address); with no user agent, it weighs what same_user_agent would', async () => {
    const referrer = await signedUpFrom({ ip: '192.0.2.30', userAgent: agent('r') });
    const noAddress = await signedUpFrom({ ip: null, userAgent: agent('f') });
    expect(await refer(referrer, noAddress)).toMatchObject({ status: 'held', signals: ['missing_address'], riskScore: 100 });
    const noAgent = await signedUpFrom({ ip: '203.0.113.70', userAgent: null });
    expect(await refer(referrer, noAgent)).toMatchObject({ status: 'completed', signals: ['missing_user_agent'], riskScore: 50 });
    // Nothing recorded at all: both.
    const nothing = await createUser(db, NO_FINGERPRINT);
    expect((await refer(referrer, nothing)).signals).toEqual(['missing_address', 'missing_user_agent']);
  });
});

describe('velocity: a burst is caught whenever its friends finish', () => {
  it('five friends who redeemed in a burst and finish signing up 11 minutes later are all held', async () => {
    const referrer = await createUser(db);
    const friends = await createUsers(db, DEFAULT_PROGRAM.velocityMaxReferrals + 2);
    for (const friend of friends) {
      expect(await redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode })).toMatchObject({ status: 'pending' });
    }
    // The burst happened 11 minutes ago: past the window of the old rule, which looked back from the completion.
    await db.$client`update referral set created_at = created_at - interval '11 minutes' where referrer_id = ${referrer.id}`;
    for (const friend of friends) await completeOnboarding({ db, userId: friend.id });
    const rows = await Promise.all(friends.map((f) => referralOfReferred(db, f.id)));
    expect(rows.map((r) => r!.status)).toEqual(friends.map(() => 'held'));
    expect(rows.every((r) => r!.signals.includes('velocity'))).toBe(true);
    expect((await getUser(db, referrer.id)).quota).toBe(DEFAULT_QUOTA);
  });

  it('referrals spread out over time are not a burst', async () => {
    const referrer = await createUser(db);
    const friends = await createUsers(db, DEFAULT_PROGRAM.velocityMaxReferrals + 1);
    for (const [i, friend] of friends.entries()) {
      await redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode });
      // Each one 8 minutes after the one before: never more than two in any 10 minutes.
      await db.$client`update referral set created_at = now() - ${(friends.length - i) * 8} * interval '1 minute' where referred_id = ${friend.id}`;
    }
    for (const friend of friends) await completeOnboarding({ db, userId: friend.id });
    const rows = await Promise.all(friends.map((f) => referralOfReferred(db, f.id)));
    expect(rows.map((r) => r!.status)).toEqual(friends.map(() => 'completed'));
  });
});

describe('disposable e-mail domains', () => {
  it('matches a listed domain and every domain under it (the package list and its wildcard list)', async () => {
    for (const email of ['x@33mail.com', 'x@anything.33mail.com', 'x@a.b.33mail.com', 'X@Deep.Sub.MAILINATOR.COM']) {
      const referrer = await createUser(db);
      const friend = await createUser(db, { email: email.replace('@', `-${Math.random().toString(36).slice(2)}@`) });
      expect((await refer(referrer, friend)).signals, email).toEqual(['disposable_domain']);
    }
    const [row] = await db.$client<{ disposable: boolean }[]>`
      select is_disposable_email('x@not33mail.com') or is_disposable_email('x@33mail.com.example') or is_disposable_email('no-at-sign') as disposable`;
    expect(row?.disposable).toBe(false);
  });
});

describe('deleting an account', () => {
  it('keeps the referral and the ledger; the person can never be referred or rewarded again; the place stays counted', async () => {
    const referrer = await createUser(db);
    const email = `Returning.Person+${Math.random().toString(36).slice(2)}@example.test`;
    const friend = await createUser(db, { email: email.toLowerCase() });
    expect(await refer(referrer, friend)).toMatchObject({ status: 'completed' });
    expect(await deleteAccount({ db, userId: friend.id, requestedBy: 'member' })).toEqual({ ok: true });

    // The facts stay: the referral, both ledger rows, both quotas; the friend is anonymous.
    expect(await referralOfReferred(db, friend.id)).toMatchObject({ status: 'completed', referrerId: referrer.id });
    const gone = await getUser(db, friend.id);
    expect(gone).toMatchObject({ name: null, email: null, signupIpHash: null, quota: DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferred });
    expect(gone.deletedAt).toBeInstanceOf(Date);
    expect((await getUser(db, referrer.id)).quota).toBe(DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferrer);
    const summary = await getReferralSummary({ db, userId: referrer.id, appUrl: APP_URL });
    expect(summary).toMatchObject({ ok: true, usedReferrals: 1, referrals: [{ name: 'A friend', status: 'completed' }] });

    // Back with a new account, under the same address written another way: not referred, not rewarded.
    const returning = await createUser(db, { email: email.replace('Returning.Person', 'returning.person').toLowerCase() });
    const another = await createUser(db);
    expect(await redeemReferralCode({ db, userId: returning.id, input: another.referralCode })).toMatchObject({ ok: false, code: 'not_eligible' });
    // Nor as a referrer: their code has no places.
    expect(await validateReferralCode({ db, input: returning.referralCode })).toMatchObject({ ok: false, code: 'code_exhausted' });
    const newcomer = await createUser(db);
    expect(await redeemReferralCode({ db, userId: newcomer.id, input: returning.referralCode })).toMatchObject({ ok: false, code: 'code_exhausted' });
    expect(await getReferralSummary({ db, userId: returning.id, appUrl: APP_URL })).toMatchObject({ remainingReferrals: 0, canRedeem: false });

    // The deleted account's session (JWTs outlive it) can do nothing.
    expect(await redeemReferralCode({ db, userId: friend.id, input: another.referralCode })).toMatchObject({ ok: false, code: 'unauthenticated' });
    expect(await getReferralSummary({ db, userId: friend.id, appUrl: APP_URL })).toMatchObject({ ok: false, code: 'unauthenticated' });
    expect(await deleteAccount({ db, userId: friend.id, requestedBy: 'member' })).toMatchObject({ ok: false, code: 'unauthenticated' });
    expect(await regenerateReferralCode({ db, userId: friend.id, appUrl: APP_URL })).toMatchObject({ ok: false, code: 'unauthenticated' });
    expect((await getUser(db, friend.id)).referralCode).toMatch(/^deleted-/);
    expect(await findLedgerViolations(db.$client)).toEqual([]);
  });

  it("deleting the referrer leaves the friend's referral, reward and the ledger as they were", async () => {
    const referrer = await createUser(db);
    const friend = await createUser(db);
    await refer(referrer, friend);
    const code = referrer.referralCode;
    expect(await deleteAccount({ db, userId: referrer.id, requestedBy: 'member' })).toEqual({ ok: true });
    expect(await referralOfReferred(db, friend.id)).toMatchObject({ status: 'completed', referrerId: referrer.id });
    expect((await getUser(db, friend.id)).quota).toBe(DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferred);
    // The friend stays referred: paid once, never again.
    const other = await createUser(db);
    expect(await redeemReferralCode({ db, userId: friend.id, input: other.referralCode })).toMatchObject({ ok: false, code: 'already_referred' });
    // The old code is gone.
    expect(await validateReferralCode({ db, input: code })).toMatchObject({ ok: false, code: 'code_not_found' });
    expect(await findLedgerViolations(db.$client)).toEqual([]);
  });

  it('the database refuses to remove a user row that referrals or ledger rows name', async () => {
    const referrer = await createUser(db);
    const friend = await createUser(db);
    await refer(referrer, friend);
    for (const id of [referrer.id, friend.id]) {
      await expect(db.$client`delete from "user" where id = ${id}`).rejects.toMatchObject({ code: '23503' });
    }
  });

  it('an operator deletes an account with a reason, audited; a missing reason or account changes nothing', async () => {
    const member = await createUser(db);
    const actor = { id: null, email: 'ops@example.test' };
    expect(await deleteAccount({ db, userId: member.id, requestedBy: 'operator', actor, reason: '  ' })).toMatchObject({ ok: false, code: 'invalid_input' });
    expect((await getUser(db, member.id)).deletedAt).toBeNull();
    expect(await deleteAccount({ db, userId: 'no-such-user', requestedBy: 'operator', actor, reason: 'Spam' })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await deleteAccount({ db, userId: member.id, requestedBy: 'operator', actor, reason: 'Asked by e-mail' })).toEqual({ ok: true });
    const audit = await db.$client`select requested_by, actor_email, reason from account_deletion where user_id = ${member.id}`;
    expect(audit).toEqual([{ requested_by: 'operator', actor_email: 'ops@example.test', reason: 'Asked by e-mail' }]);
  });
});

describe('operator decisions', () => {
  it('an operator cannot decide a referral in which they are the referrer or the friend', async () => {
    const referrer = await createUser(db);
    const friend = await createUser(db, { email: `own-${Math.random().toString(36).slice(2)}@mailinator.com` });
    expect(await refer(referrer, friend)).toMatchObject({ status: 'held' });
    for (const operator of [referrer, friend]) {
      const result = await decideReferral({ db, referralId: friend.id, action: 'approve', actor: { id: operator.id, email: operator.email! }, reason: 'Mine' });
      expect(result).toMatchObject({ ok: false, code: 'forbidden' });
    }
    expect((await referralOfReferred(db, friend.id))!.status).toBe('held');
    expect(await decideReferral({ db, referralId: friend.id, action: 'approve', actor: { id: null, email: 'ops@example.test' }, reason: 'Checked' })).toMatchObject({ ok: true });
  });
});
