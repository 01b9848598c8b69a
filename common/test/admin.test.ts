// The operator page's reads (common/src/referrals/admin/) on real PostgreSQL.
// Other test files write to the same database at the same time, so the
// counting queries are checked over periods in the past that only this file
// fills (rows written with explicit timestamps), and the lists by finding
// this file's own rows in them.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAM, PROGRAM_OVERVIEW_MAX_AGE_SECONDS } from '../src/constants';
import type { ReferralStatus, User } from '../src/db/schema';
import {
  ADMIN_FUNNEL_DAYS,
  describeSignals,
  getProgramOverview,
  getRecentCompletedReferrals,
  getRecentDecisions,
  getReferralFunnel,
  getReferralTotals,
  getReviewQueue,
  getTopReferrers,
  getWebhookDeliverySummary,
  refreshProgramOverview,
} from '../src/referrals/admin';
import { completeOnboarding } from '../src/referrals/complete-onboarding';
import { decideReferral } from '../src/referrals/decide-referral';
import { signalWords } from '../src/referrals/vocabulary';
import { redeemReferralCode } from '../src/referrals/redeem-referral-code';
import { deleteAccount } from '../src/users/delete-account';
import { createUser, createUsers } from '../src/testing/factories';
import { useTestDb } from './helpers';

const db = useTestDb(10);
const operator = { id: null, email: 'operator@example.test' };

const at = (iso: string) => new Date(iso);

/** A referral row as it stands at some time in the past (test data, not a redemption). */
async function referralAt(referrer: User, friend: User, status: ReferralStatus, createdAt: string, completedAt: string | null = null) {
  await db.$client`
    insert into referral (referrer_id, referred_id, status, created_at, completed_at, program_version, scored_program_version)
    values (${referrer.id}, ${friend.id}, ${status}, ${createdAt}::timestamptz, ${completedAt}::timestamptz,
      1, case when ${status} = 'pending' then null else 1 end)`;
}

/** Landing views counted on the UTC days of these times, as recordLandingView counts them (what the operator page reads). */
async function landingViewsAt(referrer: User, ...times: string[]) {
  for (const time of times) {
    await db.$client`
      with referrer_day as (
        insert into referral_landing_day (day, referrer_id, views) values ((${time}::timestamptz at time zone 'UTC')::date, ${referrer.id}, 1)
        on conflict (day, referrer_id) do update set views = referral_landing_day.views + 1
      )
      insert into referral_landing_total (day, shard, views) values ((${time}::timestamptz at time zone 'UTC')::date, 0, 1)
      on conflict (day, shard) do update set views = referral_landing_total.views + 1`;
  }
}

/** A ledger row at a past time, with the quota moved by it (the ledger invariant keeps holding). */
async function grantAt(user: User, amount: number, reason: string, referralId: string, createdAt: string) {
  await db.$client`
    with g as (
      insert into quota_grant (user_id, amount, reason, referral_id, created_at, program_version)
      values (${user.id}, ${amount}, ${reason}::quota_grant_reason, ${referralId}, ${createdAt}::timestamptz, 1)
      returning user_id, amount
    )
    update "user" u set quota = u.quota + g.amount from g where u.id = g.user_id`;
}

/** A friend whose referral is held: a throwaway e-mail address (the disposable_domain signal). */
async function heldReferral(referrer?: User) {
  const by = referrer ?? (await createUser(db, { name: `Referrer ${Math.random().toString(36).slice(2, 8)}` }));
  const friend = await createUser(db, { email: `held-${Math.random().toString(36).slice(2)}@mailinator.com` });
  expect(await redeemReferralCode({ db, userId: friend.id, input: by.referralCode })).toMatchObject({ ok: true });
  expect(await completeOnboarding({ db, userId: friend.id })).toMatchObject({ ok: true, referral: { status: 'held' } });
  return { referrer: by, friend };
}

describe('describeSignals', () => {
  it('gives each known signal its weight and plain words, and passes an unknown one through', () => {
    const program = { ...DEFAULT_PROGRAM, signalWeights: { ...DEFAULT_PROGRAM.signalWeights, velocity: 70 }, velocityMaxReferrals: 9 };
    expect(describeSignals(['same_ip', 'velocity', 'from_the_future'], program)).toEqual([
      { signal: 'same_ip', weight: DEFAULT_PROGRAM.signalWeights.same_ip, description: signalWords('same_ip', program) },
      { signal: 'velocity', weight: 70, description: signalWords('velocity', program) },
      { signal: 'from_the_future', weight: null, description: 'from_the_future' },
    ]);
    // The words carry the numbers of the version that scored it.
    expect(signalWords('velocity', program)).toContain('more than 9');
    // Not fooled by names on Object.prototype.
    expect(describeSignals(['toString'], program)[0]!.weight).toBeNull();
  });
});

describe('getReferralFunnel', () => {
  it('counts landing views and sign-ups per UTC day, by status now, with every day of the window present', async () => {
    const [ada, grace] = await createUsers(db, 2);
    const friends = await createUsers(db, 6);
    // The window: 2001-03-01 .. 2001-03-14 (14 days ending on the day of `now`).
    const now = at('2001-03-14T15:00:00Z');
    await landingViewsAt(ada!, '2001-03-01T00:00:00Z', '2001-03-01T23:59:59Z', '2001-03-14T23:59:59.999Z');
    await landingViewsAt(grace!, '2001-03-05T12:00:00Z');
    // Outside the window on both sides: never counted.
    await landingViewsAt(ada!, '2001-02-28T23:59:59Z', '2001-03-15T00:00:00Z');
    await referralAt(ada!, friends[0]!, 'completed', '2001-03-01T10:00:00Z', '2001-03-02T10:00:00Z');
    await referralAt(ada!, friends[1]!, 'held', '2001-03-01T11:00:00Z');
    await referralAt(ada!, friends[2]!, 'pending', '2001-03-14T23:00:00Z');
    await referralAt(grace!, friends[3]!, 'rejected', '2001-03-05T12:30:00Z');
    await referralAt(grace!, friends[4]!, 'completed', '2001-02-28T12:00:00Z', '2001-03-01T12:00:00Z');
    await referralAt(grace!, friends[5]!, 'completed', '2001-03-15T00:00:01Z', '2001-03-15T00:00:02Z');

    const days = await getReferralFunnel({ db, now });
    expect(days).toHaveLength(ADMIN_FUNNEL_DAYS);
    expect(days[0]!.day).toBe('2001-03-01');
    expect(days.at(-1)!.day).toBe('2001-03-14');
    const byDay = Object.fromEntries(days.map(({ day, ...counts }) => [day, counts]));
    expect(byDay['2001-03-01']).toEqual({ landingViews: 2, signUps: 2, pending: 0, held: 1, completed: 1, rejected: 0 });
    expect(byDay['2001-03-05']).toEqual({ landingViews: 1, signUps: 1, pending: 0, held: 0, completed: 0, rejected: 1 });
    expect(byDay['2001-03-14']).toEqual({ landingViews: 1, signUps: 1, pending: 1, held: 0, completed: 0, rejected: 0 });
    expect(byDay['2001-03-02']).toEqual({ landingViews: 0, signUps: 0, pending: 0, held: 0, completed: 0, rejected: 0 });
    const sum = (key: 'landingViews' | 'signUps') => days.reduce((n, d) => n + d[key], 0);
    expect([sum('landingViews'), sum('signUps')]).toEqual([4, 4]);

    // A shorter window, and the default one ends today (UTC).
    expect((await getReferralFunnel({ db, now, days: 1 })).map((d) => d.day)).toEqual(['2001-03-14']);
    const today = await getReferralFunnel({ db });
    expect(today).toHaveLength(ADMIN_FUNNEL_DAYS);
    expect(today.at(-1)!.day).toBe(new Date().toISOString().slice(0, 10));
  });
});

describe('getReferralTotals', () => {
  it('counts a period by status now, with the quota granted and clawed back', async () => {
    const [ada, grace] = await createUsers(db, 2);
    const friends = await createUsers(db, 5);
    await landingViewsAt(ada!, '2002-06-01T08:00:00Z', '2002-06-02T08:00:00Z', '2002-06-03T08:00:00Z');
    await landingViewsAt(ada!, '2002-07-01T00:00:00Z');
    await referralAt(ada!, friends[0]!, 'completed', '2002-06-01T09:00:00Z', '2002-06-01T09:05:00Z');
    await referralAt(ada!, friends[1]!, 'rejected', '2002-06-02T09:00:00Z', '2002-06-02T09:05:00Z');
    await referralAt(grace!, friends[2]!, 'held', '2002-06-03T09:00:00Z');
    await referralAt(grace!, friends[3]!, 'pending', '2002-06-04T09:00:00Z');
    await referralAt(grace!, friends[4]!, 'completed', '2002-07-01T09:00:00Z', '2002-07-01T09:05:00Z');
    // The completed one's rewards; the revoked one's rewards and their clawback.
    await grantAt(ada!, DEFAULT_PROGRAM.rewardReferrer, 'referral_referrer', friends[0]!.id, '2002-06-01T09:05:00Z');
    await grantAt(friends[0]!, DEFAULT_PROGRAM.rewardReferred, 'referral_referred', friends[0]!.id, '2002-06-01T09:05:00Z');
    await grantAt(ada!, DEFAULT_PROGRAM.rewardReferrer, 'referral_referrer', friends[1]!.id, '2002-06-02T09:05:00Z');
    await grantAt(friends[1]!, DEFAULT_PROGRAM.rewardReferred, 'referral_referred', friends[1]!.id, '2002-06-02T09:05:00Z');
    await grantAt(ada!, -DEFAULT_PROGRAM.rewardReferrer, 'clawback', friends[1]!.id, '2002-06-05T10:00:00Z');
    await grantAt(friends[1]!, -DEFAULT_PROGRAM.rewardReferred, 'clawback', friends[1]!.id, '2002-06-05T10:00:00Z');

    const june = await getReferralTotals({ db, since: at('2002-06-01T00:00:00Z'), until: at('2002-07-01T00:00:00Z') });
    expect(june).toEqual({
      landingViews: 3,
      signUps: 4,
      pending: 1,
      held: 1,
      completed: 1,
      rejected: 1,
      referrers: 2,
      quotaGranted: 2 * (DEFAULT_PROGRAM.rewardReferrer + DEFAULT_PROGRAM.rewardReferred),
      quotaClawedBack: DEFAULT_PROGRAM.rewardReferrer + DEFAULT_PROGRAM.rewardReferred,
    });

    // All time, read in one snapshot: the statuses add up to the sign-ups.
    const all = await getReferralTotals({ db });
    expect(all.signUps).toBe(all.pending + all.held + all.completed + all.rejected);
    expect(all.signUps).toBeGreaterThanOrEqual(5);
    expect(all.landingViews).toBeGreaterThanOrEqual(4);
  });
});

describe('getTopReferrers', () => {
  it('ranks by completed, then held, then all referrals, with each status counted and the landing views', async () => {
    const [most, heldOnly, fewer, outside] = await createUsers(db, 4);
    const friends = await createUsers(db, 9);
    const june = (day: number) => `2003-06-${String(day).padStart(2, '0')}T12:00:00Z`;
    await referralAt(most!, friends[0]!, 'completed', june(1), june(1));
    await referralAt(most!, friends[1]!, 'completed', june(2), june(2));
    await referralAt(most!, friends[2]!, 'rejected', june(3), june(3));
    await referralAt(heldOnly!, friends[3]!, 'held', june(4));
    await referralAt(heldOnly!, friends[4]!, 'held', june(5));
    await referralAt(fewer!, friends[5]!, 'completed', june(6), june(6));
    await referralAt(fewer!, friends[6]!, 'pending', june(7));
    await referralAt(outside!, friends[7]!, 'completed', '2003-05-31T23:59:59Z', '2003-06-01T00:00:01Z');
    await referralAt(outside!, friends[8]!, 'completed', '2003-07-01T00:00:00Z', '2003-07-01T00:00:01Z');
    await landingViewsAt(most!, june(1), june(2), june(3), '2003-07-02T00:00:00Z');

    const top = await getTopReferrers({ db, since: at('2003-06-01T00:00:00Z'), until: at('2003-07-01T00:00:00Z') });
    expect(top.map((t) => t.referrer.id)).toEqual([most!.id, fewer!.id, heldOnly!.id]);
    expect(top[0]).toEqual({
      referrer: { id: most!.id, name: most!.name, email: most!.email, deleted: false },
      completed: 2,
      held: 0,
      pending: 0,
      rejected: 1,
      landingViews: 3,
    });
    expect(top[1]).toMatchObject({ completed: 1, pending: 1, held: 0, rejected: 0, landingViews: 0 });
    expect(top[2]).toMatchObject({ completed: 0, held: 2 });

    const first = await getTopReferrers({ db, since: at('2003-06-01T00:00:00Z'), until: at('2003-07-01T00:00:00Z'), limit: 1 });
    expect(first.map((t) => t.referrer.id)).toEqual([most!.id]);
  });
});

describe('the all-time overview (a snapshot, recounted when stale)', () => {
  it('shows the snapshot until it is recounted; says when it is stale; deleted people show as deleted at once', async () => {
    const first = await refreshProgramOverview({ db });
    expect(first.stale).toBe(false);
    const before = await getProgramOverview({ db });
    expect(before.totals).toEqual(first.totals);
    expect(before.computedAt.getTime()).toBe(first.computedAt.getTime());

    // Something happens: the snapshot does not move until it is recounted.
    const referrer = await createUser(db);
    const friend = await createUser(db);
    expect(await redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode })).toMatchObject({ ok: true });
    expect((await getProgramOverview({ db })).totals.signUps).toBe(before.totals.signUps);

    // Older than the limit: stale, and a recount shows the new referral.
    await db.$client`update program_overview set computed_at = now() - make_interval(secs => ${PROGRAM_OVERVIEW_MAX_AGE_SECONDS + 1})`;
    expect((await getProgramOverview({ db })).stale).toBe(true);
    const after = await refreshProgramOverview({ db });
    expect(after.totals.signUps).toBeGreaterThan(before.totals.signUps);
    expect((await getProgramOverview({ db })).stale).toBe(false);

    // The people of the top list are read live: a deletion shows without a recount.
    const snapshot = (await db.$client<{ data: { top: { referrerId: string }[] } }[]>`select data from program_overview`)[0]!;
    snapshot.data.top = [{ ...snapshot.data.top[0], referrerId: referrer.id }];
    await db.$client`update program_overview set data = ${JSON.stringify(snapshot.data)}::jsonb`;
    expect((await getProgramOverview({ db })).topReferrers[0]!.referrer).toMatchObject({ id: referrer.id, email: referrer.email, deleted: false });
    await deleteAccount({ db, userId: referrer.id, requestedBy: 'member' });
    expect((await getProgramOverview({ db })).topReferrers[0]!.referrer).toMatchObject({ id: referrer.id, email: null, deleted: true });
    await refreshProgramOverview({ db });
  });
});

describe('the review queue, recent completions and the audit log', () => {
  it('lists held referrals oldest first, with both people, the signals in words and the referrer\'s record', async () => {
    const first = await heldReferral();
    const second = await heldReferral(first.referrer);

    const queue = await getReviewQueue({ db, limit: 500 });
    expect(queue.total).toBeGreaterThanOrEqual(2);
    const ids = queue.items.map((i) => i.referralId);
    expect(ids).toContain(first.friend.id);
    expect(ids.indexOf(first.friend.id)).toBeLessThan(ids.indexOf(second.friend.id));
    const item = queue.items.find((i) => i.referralId === first.friend.id)!;
    expect(item).toMatchObject({
      status: 'held',
      riskScore: DEFAULT_PROGRAM.signalWeights.disposable_domain,
      referrer: { id: first.referrer.id, name: first.referrer.name, email: first.referrer.email, deleted: false },
      friend: { id: first.friend.id, name: first.friend.name, email: first.friend.email, deleted: false },
      threshold: DEFAULT_PROGRAM.fraudThreshold,
      scoredProgramVersion: 1,
      signals: [
        {
          signal: 'disposable_domain',
          weight: DEFAULT_PROGRAM.signalWeights.disposable_domain,
          description: signalWords('disposable_domain', DEFAULT_PROGRAM),
        },
      ],
      referrerRecord: { completed: 0, held: 2, rejected: 0 },
      completedAt: null,
    });
    expect(item.statusReason).toBe('under_review');
    expect(item.heldSince.getTime()).toBeGreaterThanOrEqual(item.createdAt.getTime());

    const one = await getReviewQueue({ db, limit: 1 });
    expect(one.items).toHaveLength(1);
    expect(one.total).toBeGreaterThanOrEqual(2);
  });

  it('after an approval and a revocation: out of the queue, in and out of the completed list, and both decisions audited', async () => {
    const { referrer, friend } = await heldReferral();
    expect(await decideReferral({ db, referralId: friend.id, action: 'approve', actor: operator, reason: 'Known colleague' })).toMatchObject({ ok: true });

    expect((await getReviewQueue({ db, limit: 500 })).items.map((i) => i.referralId)).not.toContain(friend.id);
    const completed = await getRecentCompletedReferrals({ db, limit: 500 });
    const mine = completed.find((c) => c.referralId === friend.id);
    expect(mine).toMatchObject({ status: 'completed', referrer: { email: referrer.email }, friend: { email: friend.email } });
    expect(mine!.completedAt).toBeInstanceOf(Date);
    const times = completed.map((c) => c.completedAt!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));

    expect(await decideReferral({ db, referralId: friend.id, action: 'revoke', actor: operator, reason: 'Same person after all' })).toMatchObject({ ok: true });
    expect((await getRecentCompletedReferrals({ db, limit: 500 })).map((c) => c.referralId)).not.toContain(friend.id);

    const log = (await getRecentDecisions({ db, limit: 500 })).filter((d) => d.referralId === friend.id);
    expect(log).toMatchObject([
      {
        action: 'revoke',
        fromStatus: 'completed',
        toStatus: 'rejected',
        actorEmail: operator.email,
        reason: 'Same person after all',
        referrer: { id: referrer.id, name: referrer.name, email: referrer.email, deleted: false },
        friend: { id: friend.id, name: friend.name, email: friend.email, deleted: false },
      },
      { action: 'approve', fromStatus: 'held', toStatus: 'completed', reason: 'Known colleague' },
    ]);
    expect(log[0]!.createdAt).toBeInstanceOf(Date);
    expect(log[0]!.id).toBeGreaterThan(log[1]!.id);
  });

  it('keeps audit entries whose people have since deleted their accounts', async () => {
    const { friend } = await heldReferral();
    await decideReferral({ db, referralId: friend.id, action: 'reject', actor: operator, reason: 'Throwaway address' });
    expect(await deleteAccount({ db, userId: friend.id, requestedBy: 'member' })).toEqual({ ok: true });
    const entry = (await getRecentDecisions({ db, limit: 500 })).find((d) => d.referralId === friend.id);
    expect(entry).toMatchObject({ action: 'reject', reason: 'Throwaway address', friend: null });
  });
});

describe('getWebhookDeliverySummary', () => {
  it('counts events by delivery state and lists the failing ones with their last error', async () => {
    const tag = Math.random().toString(36).slice(2, 10);
    const event = (suffix: string, status: string, attempts: number, lastError: string | null) => db.$client`
      insert into webhook_event (type, referral_id, payload, status, attempts, last_error, next_attempt_at, delivered_at)
      values ('referral.completed', ${`${tag}-${suffix}`}, '{}'::jsonb, ${status}, ${attempts}, ${lastError},
        now() + interval '5 minutes', case when ${status} = 'delivered' then now() end)`;
    await event('delivered', 'delivered', 1, null);
    await event('new', 'pending', 0, null);
    // Being sent right now: attempts counts the try in flight, nothing has failed.
    await event('in-flight', 'pending', 1, null);
    await event('retrying', 'pending', 3, 'HTTP 503 from https://hooks.example.test/a');
    await event('failed', 'failed', 12, 'connect ECONNREFUSED 192.0.2.1:443');

    const summary = await getWebhookDeliverySummary({ db, limit: 200 });
    expect(summary.delivered).toBeGreaterThanOrEqual(1);
    expect(summary.pending).toBeGreaterThanOrEqual(1);
    expect(summary.retrying).toBeGreaterThanOrEqual(1);
    expect(summary.failed).toBeGreaterThanOrEqual(1);
    expect(summary.oldestUndeliveredAt).toBeInstanceOf(Date);
    const mine = summary.failing.filter((f) => f.referralId.startsWith(tag));
    expect(mine.map((f) => f.referralId).sort()).toEqual([`${tag}-failed`, `${tag}-retrying`]);
    expect(mine.find((f) => f.status === 'failed')).toMatchObject({
      type: 'referral.completed',
      attempts: 12,
      lastError: 'connect ECONNREFUSED 192.0.2.1:443',
      nextAttemptAt: null,
    });
    const retrying = mine.find((f) => f.status === 'pending')!;
    expect(retrying).toMatchObject({ attempts: 3, lastError: 'HTTP 503 from https://hooks.example.test/a' });
    expect(retrying.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now());
    expect(retrying.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
