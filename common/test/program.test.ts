// The referral program as data (docs/referral-rules.md, "The program's
// settings") on real PostgreSQL: every setting changes what the next
// operation does, the rule for a referral that completes after a change, the
// version in the ledger, validation, and concurrent edits. These tests change
// the program, which every other test relies on, so they run on a database of
// their own.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAM, DEFAULT_QUOTA } from '../src/constants';
import type { User } from '../src/db/schema';
import { completeOnboarding } from '../src/referrals/complete-onboarding';
import { decideReferral } from '../src/referrals/decide-referral';
import { recordSignIn, recordSignupFingerprint } from '../src/referrals/fingerprint';
import { getReferralSummary } from '../src/referrals/get-referral-summary';
import { findLedgerViolations } from '../src/referrals/ledger';
import {
  getProgram,
  getProgramHistory,
  programChanges,
  updateProgram,
  type ProgramSettings,
} from '../src/referrals/program';
import { redeemReferralCode } from '../src/referrals/redeem-referral-code';
import { regenerateReferralCode } from '../src/referrals/regenerate-referral-code';
import { validateReferralCode } from '../src/referrals/validate-referral-code';
import { createUser, createUsers, daysAgo, getUser, NO_FINGERPRINT, referralOfReferred } from '../src/testing/factories';
import { useOwnTestDb } from '../src/testing/use-test-db';
import { APP_URL } from './helpers';

const own = useOwnTestDb(20);
const db = () => own.db();
const operator = { id: null, email: 'operator@example.test' };
const SECRET = 'program-tests-secret-0123456789';

/** The program in force with `change` applied, saved as the next version. */
async function change(change: Partial<ProgramSettings>, reason = 'test') {
  const current = await getProgram({ db: db() });
  const { version: _v, createdAt: _c, createdBy: _b, reason: _r, ...settings } = current;
  const result = await updateProgram({ db: db(), settings: { ...settings, ...change }, actor: operator, reason });
  if (!result.ok) throw new Error(`updateProgram: ${result.code} ${result.message}`);
  return result.program;
}

/** Back to the defaults (as a new version), so each test starts from known numbers. */
async function resetToDefaults() {
  const current = await getProgram({ db: db() });
  if (programChanges(current, structuredClone(DEFAULT_PROGRAM) as ProgramSettings).length > 0) {
    await change(structuredClone(DEFAULT_PROGRAM) as ProgramSettings, 'back to the defaults');
  }
}

async function redeemAndFinish(referrer: User, friend: User) {
  const redeemed = await redeemReferralCode({ db: db(), userId: friend.id, input: referrer.referralCode });
  if (!redeemed.ok) throw new Error(`redeem: ${redeemed.code}`);
  const done = await completeOnboarding({ db: db(), userId: friend.id });
  if (!done.ok) throw new Error(`complete: ${done.code}`);
  return done;
}

async function grants(referralId: string) {
  return db().$client<{ user_id: string; amount: number; reason: string; program_version: number }[]>`
    select user_id, amount, reason, program_version from quota_grant where referral_id = ${referralId} order by id`;
}

describe('the program record', () => {
  it('starts at version 1, the defaults of common/src/constants.ts, made by nobody', async () => {
    const [first] = await getProgramHistory({ db: db(), limit: 100 }).then((h) => h.slice(-1));
    expect(first).toMatchObject({ version: 1, createdBy: null, ...DEFAULT_PROGRAM });
  });

  it('refuses bad input with a typed error and changes nothing', async () => {
    await resetToDefaults();
    const before = await getProgram({ db: db() });
    const { version: _v, createdAt: _c, createdBy: _b, reason: _r, ...settings } = before;
    const bad: [string, unknown][] = [
      ['a negative reward', { ...settings, rewardReferrer: -1 }],
      ['a cap of 0', { ...settings, maxReferralsPerReferrer: 0 }],
      ['a window of 10,000 days', { ...settings, redeemWindowDays: 10_000 }],
      ['a threshold that is not a number', { ...settings, fraudThreshold: Number.NaN }],
      ['a fraction', { ...settings, rewardReferred: 12.5 }],
      ['a number as text', { ...settings, rewardReferred: '600' }],
      ['a missing setting', { ...settings, rewardReferred: undefined }],
      ['an unknown setting', { ...settings, bonus: 5 }],
      ['an unknown signal', { ...settings, signalWeights: { ...settings.signalWeights, astrology: 5 } }],
      ['a negative weight', { ...settings, signalWeights: { ...settings.signalWeights, velocity: -5 } }],
      ['nothing at all', null],
    ];
    for (const [what, input] of bad) {
      const result = await updateProgram({ db: db(), settings: input, actor: operator, reason: 'bad' });
      expect(result, what).toMatchObject({ ok: false, code: 'invalid_input', message: expect.any(String) });
    }
    expect(await updateProgram({ db: db(), settings: { ...settings, rewardReferrer: -1 }, actor: operator, reason: 'bad' })).toMatchObject({
      message: expect.stringContaining('Reward for the referrer: a whole number from 0 to 100,000.'),
    });
    // No reason, or the same settings again: nothing saved either.
    expect(await updateProgram({ db: db(), settings: { ...settings, rewardReferrer: 900 }, actor: operator, reason: '  ' })).toMatchObject({
      code: 'invalid_input',
    });
    expect(await updateProgram({ db: db(), settings, actor: operator, reason: 'same' })).toMatchObject({ code: 'invalid_input' });
    expect((await getProgram({ db: db() })).version).toBe(before.version);
  });

  it('records who, when and why; an edit against a version that is no longer current is a conflict', async () => {
    await resetToDefaults();
    const base = await getProgram({ db: db() });
    const { version: _v, createdAt: _c, createdBy: _b, reason: _r, ...settings } = base;
    const saved = await updateProgram({
      db: db(),
      settings: { ...settings, rewardReferrer: 750 },
      expectedVersion: base.version,
      actor: { id: null, email: 'ada@example.test' },
      reason: 'Holiday promotion',
    });
    expect(saved).toMatchObject({
      ok: true,
      program: { version: base.version + 1, rewardReferrer: 750, createdBy: { email: 'ada@example.test' }, reason: 'Holiday promotion' },
    });
    const stale = await updateProgram({
      db: db(),
      settings: { ...settings, rewardReferred: 750 },
      expectedVersion: base.version,
      actor: operator,
      reason: 'made from an old page',
    });
    expect(stale).toMatchObject({ ok: false, code: 'conflict', message: expect.stringContaining(`version ${base.version + 1}`) });
    expect((await getProgram({ db: db() })).rewardReferred).toBe(settings.rewardReferred);
  });

  it('two operators saving at once make versions in order, each whole, never a mix', async () => {
    await resetToDefaults();
    const start = (await getProgram({ db: db() })).version;
    const edits = Array.from({ length: 12 }, (_, i) => ({
      rewardReferrer: 600 + i,
      rewardReferred: 700 + i,
      maxReferralsPerReferrer: 6 + i,
    }));
    const results = await Promise.all(
      edits.map((edit, i) =>
        updateProgram({
          db: db(),
          settings: { ...(structuredClone(DEFAULT_PROGRAM) as ProgramSettings), ...edit },
          actor: operator,
          reason: `edit ${i}`,
        }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const versions = results.map((r) => (r.ok ? r.program.version : 0)).sort((a, b) => a - b);
    expect(versions).toEqual(edits.map((_, i) => start + 1 + i));
    const history = await getProgramHistory({ db: db(), limit: 12 });
    for (const version of history) {
      const i = Number(version.reason.replace('edit ', ''));
      expect(version).toMatchObject(edits[i]!);
    }

    // All from the same page (the same expected version): exactly one is saved, the others are told.
    const current = (await getProgram({ db: db() })).version;
    const racing = await Promise.all(
      edits.map((edit, i) =>
        updateProgram({
          db: db(),
          settings: { ...(structuredClone(DEFAULT_PROGRAM) as ProgramSettings), ...edit, rewardReferred: 900 + i },
          expectedVersion: current,
          actor: operator,
          reason: `race ${i}`,
        }),
      ),
    );
    expect(racing.filter((r) => r.ok)).toHaveLength(1);
    expect(racing.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'conflict')).toBe(true);
    expect((await getProgram({ db: db() })).version).toBe(current + 1);
  });
});

describe('each setting changes the next operation', () => {
  it('the rewards: a referral redeemed after the change pays the new rewards, and the ledger records the version', async () => {
    await resetToDefaults();
    const program = await change({ rewardReferrer: 800, rewardReferred: 300 });
    const [referrer, friend] = await createUsers(db(), 2, { onboardedAt: new Date() });
    expect(await validateReferralCode({ db: db(), input: referrer!.referralCode })).toMatchObject({ rewards: { referrer: 800, referred: 300 } });
    expect(await getReferralSummary({ db: db(), userId: referrer!.id, appUrl: APP_URL })).toMatchObject({
      rewards: { referrer: 800, referred: 300 },
      programVersion: program.version,
    });
    await redeemAndFinish(referrer!, friend!);
    expect((await getUser(db(), referrer!.id)).quota).toBe(DEFAULT_QUOTA + 800);
    expect((await getUser(db(), friend!.id)).quota).toBe(DEFAULT_QUOTA + 300);
    expect(await grants(friend!.id)).toEqual([
      { user_id: referrer!.id, amount: 800, reason: 'referral_referrer', program_version: program.version },
      { user_id: friend!.id, amount: 300, reason: 'referral_referred', program_version: program.version },
    ]);
    expect(await referralOfReferred(db(), friend!.id)).toMatchObject({ programVersion: program.version, scoredProgramVersion: program.version });
  });

  it('a referral pending at a reward change is paid the rewards of the version it was redeemed under', async () => {
    await resetToDefaults();
    const [referrer, friend] = await createUsers(db(), 2);
    const redeemed = await redeemReferralCode({ db: db(), userId: friend!.id, input: referrer!.referralCode });
    expect(redeemed).toMatchObject({ ok: true, status: 'pending' });
    const redeemedUnder = (await referralOfReferred(db(), friend!.id))!.programVersion;
    const raised = await change({ rewardReferrer: 2000, rewardReferred: 2000, fraudThreshold: 40 });
    await completeOnboarding({ db: db(), userId: friend!.id });
    // Paid per the version it was redeemed under; scored by the one in force when it finished.
    expect(await grants(friend!.id)).toEqual([
      { user_id: referrer!.id, amount: DEFAULT_PROGRAM.rewardReferrer, reason: 'referral_referrer', program_version: redeemedUnder },
      { user_id: friend!.id, amount: DEFAULT_PROGRAM.rewardReferred, reason: 'referral_referred', program_version: redeemedUnder },
    ]);
    expect(await referralOfReferred(db(), friend!.id)).toMatchObject({ programVersion: redeemedUnder, scoredProgramVersion: raised.version });
  });

  it('a held referral approved after a reward change is paid, and revoked, per its own version', async () => {
    await resetToDefaults();
    const [referrer, friend] = await createUsers(db(), 2, { onboardedAt: new Date() });
    const before = await change({ signalWeights: { ...DEFAULT_PROGRAM.signalWeights, same_user_agent: 100 } });
    await db().execute(sql`update "user" set signup_user_agent_hash = 'one-browser' where id in (${referrer!.id}, ${friend!.id})`);
    expect(await redeemReferralCode({ db: db(), userId: friend!.id, input: referrer!.referralCode })).toMatchObject({ ok: true, status: 'held' });
    await change({ rewardReferrer: 5000, rewardReferred: 5000 });
    expect(await decideReferral({ db: db(), referralId: friend!.id, action: 'approve', actor: operator, reason: 'checked' })).toMatchObject({ ok: true });
    expect((await grants(friend!.id)).map((g) => [g.amount, g.program_version])).toEqual([
      [DEFAULT_PROGRAM.rewardReferrer, before.version],
      [DEFAULT_PROGRAM.rewardReferred, before.version],
    ]);
    expect(await decideReferral({ db: db(), referralId: friend!.id, action: 'revoke', actor: operator, reason: 'alt' })).toMatchObject({ ok: true });
    expect((await getUser(db(), referrer!.id)).quota).toBe(DEFAULT_QUOTA);
    expect((await getUser(db(), friend!.id)).quota).toBe(DEFAULT_QUOTA);
    expect(await findLedgerViolations(db().$client)).toEqual([]);
  });

  it('the cap: lowered below what a referrer has, it takes nothing back and allows no more', async () => {
    await resetToDefaults();
    const referrer = await createUser(db());
    const friends = await createUsers(db(), 4);
    for (const friend of friends.slice(0, 3)) {
      expect(await redeemReferralCode({ db: db(), userId: friend.id, input: referrer.referralCode })).toMatchObject({ ok: true });
    }
    await change({ maxReferralsPerReferrer: 2 });
    expect(await validateReferralCode({ db: db(), input: referrer.referralCode })).toMatchObject({ code: 'code_exhausted' });
    expect(await redeemReferralCode({ db: db(), userId: friends[3]!.id, input: referrer.referralCode })).toMatchObject({ code: 'code_exhausted' });
    expect(await getReferralSummary({ db: db(), userId: referrer.id, appUrl: APP_URL })).toMatchObject({
      maxReferrals: 2,
      usedReferrals: 3,
      remainingReferrals: 0,
    });
    expect(await db().$client`select count(*)::int as n from referral where referrer_id = ${referrer.id}`).toEqual([{ n: 3 }]);
    // Raised again: the next redemption fits.
    await change({ maxReferralsPerReferrer: 4 });
    expect(await redeemReferralCode({ db: db(), userId: friends[3]!.id, input: referrer.referralCode })).toMatchObject({ ok: true });
  });

  it('the redeem window', async () => {
    await resetToDefaults();
    const referrer = await createUser(db());
    const [a, b] = await createUsers(db(), 2, { createdAt: daysAgo(3) });
    expect(await redeemReferralCode({ db: db(), userId: a!.id, input: referrer.referralCode })).toMatchObject({ ok: true });
    await change({ redeemWindowDays: 2 });
    expect(await redeemReferralCode({ db: db(), userId: b!.id, input: referrer.referralCode })).toMatchObject({ code: 'not_eligible' });
    expect(await validateReferralCode({ db: db(), input: referrer.referralCode })).toMatchObject({ program: { redeemWindowDays: 2 } });
  });

  it('regenerations per day, and the invite cookie lifetime', async () => {
    await resetToDefaults();
    const user = await createUser(db());
    await change({ regenerationsPerDay: 1, attributionCookieDays: 90 });
    expect(await getReferralSummary({ db: db(), userId: user.id, appUrl: APP_URL })).toMatchObject({ regenerationsLeftToday: 1 });
    expect(await regenerateReferralCode({ db: db(), userId: user.id, appUrl: APP_URL })).toMatchObject({ ok: true, regenerationsLeftToday: 0 });
    expect(await regenerateReferralCode({ db: db(), userId: user.id, appUrl: APP_URL })).toMatchObject({ code: 'rate_limited' });
    await change({ regenerationsPerDay: 3 });
    expect(await regenerateReferralCode({ db: db(), userId: user.id, appUrl: APP_URL })).toMatchObject({ ok: true, regenerationsLeftToday: 1 });
    const code = (await getUser(db(), user.id)).referralCode;
    expect(await validateReferralCode({ db: db(), input: code })).toMatchObject({ program: { attributionCookieDays: 90 } });
  });

  it('the threshold and a signal weight', async () => {
    await resetToDefaults();
    const sameBrowser = async () => {
      const [referrer, friend] = await createUsers(db(), 2, { onboardedAt: new Date() });
      await db().execute(sql`update "user" set signup_user_agent_hash = ${`agent-${friend!.id}`} where id in (${referrer!.id}, ${friend!.id})`);
      const result = await redeemReferralCode({ db: db(), userId: friend!.id, input: referrer!.referralCode });
      return result.ok ? result.status : result.code;
    };
    // same_user_agent weighs 50 of 100: alone it holds nothing.
    expect(await sameBrowser()).toBe('completed');
    await change({ fraudThreshold: 50 });
    expect(await sameBrowser()).toBe('held');
    await change({ fraudThreshold: 100, signalWeights: { ...DEFAULT_PROGRAM.signalWeights, same_user_agent: 100 } });
    expect(await sameBrowser()).toBe('held');
    await change({ signalWeights: { ...DEFAULT_PROGRAM.signalWeights, same_user_agent: 0 } });
    expect(await sameBrowser()).toBe('completed');
  });

  it('the burst window and the referrals allowed in it', async () => {
    await resetToDefaults();
    const burst = async (friends: number) => {
      const referrer = await createUser(db());
      const statuses: string[] = [];
      for (const friend of await createUsers(db(), friends, { onboardedAt: new Date() })) {
        const result = await redeemReferralCode({ db: db(), userId: friend.id, input: referrer.referralCode });
        statuses.push(result.ok ? result.status : result.code);
      }
      return statuses;
    };
    expect(await burst(2)).toEqual(['completed', 'completed']);
    await change({ velocityMaxReferrals: 1 });
    expect(await burst(2)).toEqual(['completed', 'held']);
    // Two referrals five minutes apart: one burst in a 10-minute window, two separate ones in a 1-minute window.
    const fiveMinutesApart = async () => {
      const referrer = await createUser(db());
      const [first, second] = await createUsers(db(), 2, { onboardedAt: new Date() });
      await redeemReferralCode({ db: db(), userId: first!.id, input: referrer.referralCode });
      await db().execute(sql`update referral set created_at = now() - interval '5 minutes' where referred_id = ${first!.id}`);
      const result = await redeemReferralCode({ db: db(), userId: second!.id, input: referrer.referralCode });
      return result.ok ? result.status : result.code;
    };
    expect(await fiveMinutesApart()).toBe('held');
    await change({ velocityWindowMinutes: 1 });
    expect(await fiveMinutesApart()).toBe('completed');
  });

  it('the address history: an old sign-in address of the referrer stops counting once outside it', async () => {
    await resetToDefaults();
    const sharedAddress = async () => {
      const referrer = await createUser(db(), { onboardedAt: new Date() });
      const friend = await createUser(db(), { onboardedAt: new Date(), ...NO_FINGERPRINT });
      await recordSignIn({ db: db(), userId: referrer!.id, client: { ip: '203.0.113.9', userAgent: `A ${referrer!.id}` }, secret: SECRET });
      await db().execute(sql`update user_address_history set created_at = now() - interval '5 days' where user_id = ${referrer!.id}`);
      await recordSignupFingerprint({ db: db(), userId: friend!.id, client: { ip: '203.0.113.9', userAgent: `B ${friend!.id}` }, secret: SECRET });
      const result = await redeemReferralCode({ db: db(), userId: friend!.id, input: referrer!.referralCode });
      return result.ok ? result.status : result.code;
    };
    expect(await sharedAddress()).toBe('held');
    await change({ addressHistoryDays: 2 });
    expect(await sharedAddress()).toBe('completed');
  });
});
