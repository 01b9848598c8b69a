// What the operator page (`/admin/referrals`, DESIGN.md §9) reads: the funnel
// and totals, top referrers, the review queue, recent completions, the audit
// log and the webhook deliveries. Each function is one SQL statement, so what
// it returns is one consistent snapshot. These are for operators only: they
// include people's e-mail addresses, which no member-facing read does.
import { FRAUD_SIGNAL_WEIGHTS, PROGRAM_OVERVIEW_MAX_AGE_SECONDS, type FraudSignal } from '../constants';
import type { Db } from '../db/client';
import type { ReferralStatus } from '../db/schema';
import type { ReferralDecision } from './decide-referral';
import { FRAUD_SIGNAL_DESCRIPTIONS } from './fraud';

/** The funnel's default window: this many UTC days, today included. */
export const ADMIN_FUNNEL_DAYS = 14;

/** A person as operators see them: display name as stored (maybe none) and e-mail. */
export interface AdminPerson {
  id: string;
  name: string | null;
  email: string | null;
  /** The account was deleted: nothing of the person is left but the id. */
  deleted: boolean;
}

/** A fraud signal with its weight and what it means, in plain words. */
export interface AdminSignal {
  signal: string;
  /** Its weight in the score (FRAUD_SIGNAL_WEIGHTS); null for a signal this code does not know. */
  weight: number | null;
  description: string;
}

export function describeSignals(signals: readonly string[]): AdminSignal[] {
  return signals.map((signal) => {
    const known = Object.hasOwn(FRAUD_SIGNAL_WEIGHTS, signal) ? (signal as FraudSignal) : null;
    return {
      signal,
      weight: known ? FRAUD_SIGNAL_WEIGHTS[known] : null,
      description: known ? FRAUD_SIGNAL_DESCRIPTIONS[known] : signal,
    };
  });
}

// ---------------------------------------------------------------------------
// Funnel per day

export interface FunnelDay {
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
  /** Visits to referral landing pages that day. */
  landingViews: number;
  /** Referrals created that day (a friend signed up with a code). */
  signUps: number;
  /** Of those sign-ups, how many stand at each status now. */
  pending: number;
  held: number;
  completed: number;
  rejected: number;
}

export interface GetReferralFunnelOptions {
  db: Db;
  /** How many UTC days, ending with the day of `now` (default ADMIN_FUNNEL_DAYS). */
  days?: number;
  /** The end of the window (default: the database's now). */
  now?: Date;
}

/**
 * The funnel per UTC day, oldest first, one entry for every day of the
 * window (zeros included). Sign-ups are counted on the day the referral was
 * created, under the status it has now: "of the friends who signed up that
 * day, 3 are completed, 1 is held".
 */
export async function getReferralFunnel(options: GetReferralFunnelOptions): Promise<FunnelDay[]> {
  const { db } = options;
  const days = Math.max(1, Math.min(366, Math.trunc(options.days ?? ADMIN_FUNNEL_DAYS)));
  // Timestamps go over the wire as ISO text (the Drizzle driver leaves their (de)serialising to us).
  const now = options.now?.toISOString() ?? null;
  const rows = await db.$client<
    { day: string; landing_views: number; sign_ups: number; pending: number; held: number; completed: number; rejected: number }[]
  >`
    with bounds as (
      select (coalesce(${now}::timestamptz, now()) at time zone 'UTC')::date - (${days}::int - 1) as first_day,
             (coalesce(${now}::timestamptz, now()) at time zone 'UTC')::date as last_day
    ),
    window_range as (
      select (first_day::timestamp at time zone 'UTC') as starts,
             ((last_day + 1)::timestamp at time zone 'UTC') as ends
      from bounds
    ),
    calendar as (
      select d::date as day from bounds, generate_series(first_day, last_day, interval '1 day') as d
    ),
    views as (
      select t.day, sum(t.views)::int as landing_views
      from referral_landing_total t, bounds b
      where t.day between b.first_day and b.last_day
      group by 1
    ),
    signups as (
      select (r.created_at at time zone 'UTC')::date as day,
        count(*)::int as sign_ups,
        count(*) filter (where r.status = 'pending')::int as pending,
        count(*) filter (where r.status = 'held')::int as held,
        count(*) filter (where r.status = 'completed')::int as completed,
        count(*) filter (where r.status = 'rejected')::int as rejected
      from referral r, window_range w
      where r.created_at >= w.starts and r.created_at < w.ends
      group by 1
    )
    select to_char(c.day, 'YYYY-MM-DD') as day,
      coalesce(v.landing_views, 0) as landing_views,
      coalesce(s.sign_ups, 0) as sign_ups,
      coalesce(s.pending, 0) as pending,
      coalesce(s.held, 0) as held,
      coalesce(s.completed, 0) as completed,
      coalesce(s.rejected, 0) as rejected
    from calendar c
    left join views v on v.day = c.day
    left join signups s on s.day = c.day
    order by c.day`;
  return rows.map((r) => ({
    day: r.day,
    landingViews: r.landing_views,
    signUps: r.sign_ups,
    pending: r.pending,
    held: r.held,
    completed: r.completed,
    rejected: r.rejected,
  }));
}

// ---------------------------------------------------------------------------
// Totals

export interface ReferralTotals {
  landingViews: number;
  /** Referrals created (friends who signed up with a code). */
  signUps: number;
  pending: number;
  held: number;
  completed: number;
  rejected: number;
  /** People who have referred at least one friend. */
  referrers: number;
  /** Quota granted as referral rewards (both sides), and taken back by revocations (a positive number). */
  quotaGranted: number;
  quotaClawedBack: number;
}

export interface GetReferralTotalsOptions {
  db: Db;
  /** Count only what happened at or after `since` and before `until` (default: all time). */
  since?: Date;
  until?: Date;
}

/**
 * `period (starts, ends, first_day, end_day)`, a CTE of the half-open
 * interval [since, until) (unbounded when not given), for the queries below
 * to join. Landing views are counted per UTC day (referral_landing_total and
 * _day): a period takes the days from since's to until's, until's day excluded.
 */
function periodCte(db: Db, options: { since?: Date; until?: Date }) {
  const since = options.since?.toISOString() ?? null;
  const until = options.until?.toISOString() ?? null;
  return db.$client`period as (
      select p.starts, p.ends,
             (p.starts at time zone 'UTC')::date as first_day, (p.ends at time zone 'UTC')::date as end_day
      from (select coalesce(${since}::timestamptz, '-infinity'::timestamptz) as starts,
                   coalesce(${until}::timestamptz, 'infinity'::timestamptz) as ends) p
    )`;
}

/** The program's totals, by referral status now (all time unless a period is given). */
export async function getReferralTotals(options: GetReferralTotalsOptions): Promise<ReferralTotals> {
  const { db } = options;
  const [row] = await db.$client<
    {
      landing_views: number;
      sign_ups: number;
      pending: number;
      held: number;
      completed: number;
      rejected: number;
      referrers: number;
      quota_granted: number;
      quota_clawed_back: number;
    }[]
  >`
    with ${periodCte(db, options)},
    refs as (
      -- One pass over the period's referrals.
      select count(*)::int as sign_ups,
        count(*) filter (where r.status = 'pending')::int as pending,
        count(*) filter (where r.status = 'held')::int as held,
        count(*) filter (where r.status = 'completed')::int as completed,
        count(*) filter (where r.status = 'rejected')::int as rejected
      from referral r, period p where r.created_at >= p.starts and r.created_at < p.ends
    ),
    referrers as (
      -- Grouped, not count(distinct): a hash of the referrer ids instead of a sort of every referral.
      select count(*)::int as referrers from (
        select r.referrer_id from referral r, period p where r.created_at >= p.starts and r.created_at < p.ends group by 1
      ) x
    ),
    grants as (
      select coalesce(sum(g.amount) filter (where g.reason in ('referral_referrer', 'referral_referred')), 0)::int as quota_granted,
        coalesce(-sum(g.amount) filter (where g.reason = 'clawback'), 0)::int as quota_clawed_back
      from quota_grant g, period p where g.created_at >= p.starts and g.created_at < p.ends
    )
    select
      (select coalesce(sum(t.views), 0) from referral_landing_total t, period p where t.day >= p.first_day and t.day < p.end_day)::int as landing_views,
      refs.*, referrers.*, grants.*
    from refs, referrers, grants`;
  if (!row) throw new Error('getReferralTotals: no row');
  return {
    landingViews: row.landing_views,
    signUps: row.sign_ups,
    pending: row.pending,
    held: row.held,
    completed: row.completed,
    rejected: row.rejected,
    referrers: row.referrers,
    quotaGranted: row.quota_granted,
    quotaClawedBack: row.quota_clawed_back,
  };
}

// ---------------------------------------------------------------------------
// Top referrers

export interface TopReferrer {
  referrer: AdminPerson;
  completed: number;
  held: number;
  pending: number;
  rejected: number;
  /** Visits to this referrer's landing page in the same period. */
  landingViews: number;
}

export interface GetTopReferrersOptions {
  db: Db;
  /** At most this many (default 10). */
  limit?: number;
  /** Count only referrals (and visits) at or after `since` and before `until` (default: all time). */
  since?: Date;
  until?: Date;
}

/**
 * Referrers ranked by completed referrals, then by held ones (a referrer whose
 * friends keep being held is worth a look), then by all referrals. Everyone
 * with at least one referral in the period can appear.
 */
export async function getTopReferrers(options: GetTopReferrersOptions): Promise<TopReferrer[]> {
  const { db } = options;
  const limit = Math.max(1, Math.min(100, Math.trunc(options.limit ?? 10)));
  const rows = await db.$client<
    {
      id: string;
      name: string | null;
      email: string | null;
      deleted: boolean;
      completed: number;
      held: number;
      pending: number;
      rejected: number;
      landing_views: number;
    }[]
  >`
    with ${periodCte(db, options)},
    ranked as (
      select r.referrer_id,
        count(*) filter (where r.status = 'completed')::int as completed,
        count(*) filter (where r.status = 'held')::int as held,
        count(*) filter (where r.status = 'pending')::int as pending,
        count(*) filter (where r.status = 'rejected')::int as rejected,
        count(*)::int as total
      from referral r, period p
      where r.created_at >= p.starts and r.created_at < p.ends
      group by r.referrer_id
      order by completed desc, held desc, total desc, r.referrer_id
      limit ${limit}
    )
    select u.id, u.name, u.email, u.deleted_at is not null as deleted, k.completed, k.held, k.pending, k.rejected,
      (select coalesce(sum(d.views), 0) from referral_landing_day d, period p
        where d.referrer_id = k.referrer_id and d.day >= p.first_day and d.day < p.end_day)::int as landing_views
    from ranked k join "user" u on u.id = k.referrer_id
    order by k.completed desc, k.held desc, k.total desc, k.referrer_id`;
  return rows.map((r) => ({
    referrer: { id: r.id, name: r.name, email: r.email, deleted: r.deleted },
    completed: r.completed,
    held: r.held,
    pending: r.pending,
    rejected: r.rejected,
    landingViews: r.landing_views,
  }));
}

// ---------------------------------------------------------------------------
// The all-time overview: totals and top referrers, from a snapshot

/** The operator page's all-time figures, as of `computedAt`. */
export interface ProgramOverview {
  totals: ReferralTotals;
  topReferrers: TopReferrer[];
  computedAt: Date;
  /** Older than PROGRAM_OVERVIEW_MAX_AGE_SECONDS: the caller should have it recomputed (refreshProgramOverview). */
  stale: boolean;
}

/** How many top referrers the snapshot keeps. */
const OVERVIEW_TOP_REFERRERS = 10;

interface OverviewData {
  totals: ReferralTotals;
  /** Counts only: the people are read when the overview is (a deleted account shows as deleted at once). */
  top: (Omit<TopReferrer, 'referrer'> & { referrerId: string })[];
}

/**
 * Counts the program's all-time totals and top referrers now (a second or
 * more on a large program) and keeps them as the snapshot the operator page
 * shows. Concurrent refreshes are harmless: each writes a whole, consistent
 * snapshot, and the last one stays.
 */
export async function refreshProgramOverview(options: { db: Db }): Promise<ProgramOverview> {
  const { db } = options;
  const [totals, top] = await Promise.all([getReferralTotals({ db }), getTopReferrers({ db, limit: OVERVIEW_TOP_REFERRERS })]);
  const data: OverviewData = { totals, top: top.map(({ referrer, ...counts }) => ({ referrerId: referrer.id, ...counts })) };
  const [row] = await db.$client<{ computed_at: string }[]>`
    insert into program_overview (id, data, computed_at) values (1, ${JSON.stringify(data)}::jsonb, now())
    on conflict (id) do update set data = excluded.data, computed_at = excluded.computed_at
    returning computed_at`;
  return { totals, topReferrers: top, computedAt: new Date(row!.computed_at), stale: false };
}

/**
 * The operator page's all-time figures: the latest snapshot (instant, with
 * its time), counted now only when there is none yet. `stale` says it is
 * older than PROGRAM_OVERVIEW_MAX_AGE_SECONDS, for the page to have it
 * recomputed after it answers (stale while revalidating).
 */
export async function getProgramOverview(options: { db: Db }): Promise<ProgramOverview> {
  const { db } = options;
  const [snapshot] = await db.$client<{ data: OverviewData; computed_at: string; stale: boolean }[]>`
    select data, computed_at, computed_at < now() - make_interval(secs => ${PROGRAM_OVERVIEW_MAX_AGE_SECONDS}) as stale
    from program_overview where id = 1`;
  if (!snapshot) return refreshProgramOverview({ db });
  const ids = snapshot.data.top.map((t) => t.referrerId);
  const people = await db.$client<{ id: string; name: string | null; email: string | null; deleted: boolean }[]>`
    select id, name, email, deleted_at is not null as deleted from "user" where id = any(${ids}::text[])`;
  const byId = new Map(people.map((p) => [p.id, p]));
  return {
    totals: snapshot.data.totals,
    topReferrers: snapshot.data.top.map(({ referrerId, ...counts }) => ({
      referrer: byId.get(referrerId) ?? { id: referrerId, name: null, email: null, deleted: true },
      ...counts,
    })),
    computedAt: new Date(snapshot.computed_at),
    stale: snapshot.stale,
  };
}

// ---------------------------------------------------------------------------
// Review queue and recent completions

export interface AdminReferral {
  /** The referral's id: its referred user's id (what decideReferral takes). */
  referralId: string;
  referrer: AdminPerson;
  friend: AdminPerson;
  status: ReferralStatus;
  riskScore: number;
  signals: AdminSignal[];
  /** Why it is held or not credited, as members read it. */
  statusReason: string | null;
  /** When the friend redeemed the code. */
  createdAt: Date;
  completedAt: Date | null;
}

export interface HeldReferral extends AdminReferral {
  /** When it was held: when the friend finished signing up (or redeemed, if later). */
  heldSince: Date;
  /** The referrer's record, all time: helps to tell a farm from a popular member. */
  referrerRecord: { completed: number; held: number; rejected: number };
}

export interface ReviewQueue {
  /** Every held referral, however many `items` shows. */
  total: number;
  /** The oldest first, at most `limit`. */
  items: HeldReferral[];
}

interface ReferralRow {
  referral_id: string;
  referrer_id: string;
  referrer_name: string | null;
  referrer_email: string | null;
  referrer_deleted: boolean;
  friend_id: string;
  friend_name: string | null;
  friend_email: string | null;
  friend_deleted: boolean;
  status: ReferralStatus;
  risk_score: number;
  signals: string[];
  status_reason: string | null;
  created_at: string;
  completed_at: string | null;
}

function toAdminReferral(r: ReferralRow): AdminReferral {
  return {
    referralId: r.referral_id,
    referrer: { id: r.referrer_id, name: r.referrer_name, email: r.referrer_email, deleted: r.referrer_deleted },
    friend: { id: r.friend_id, name: r.friend_name, email: r.friend_email, deleted: r.friend_deleted },
    status: r.status,
    riskScore: r.risk_score,
    signals: describeSignals(r.signals),
    statusReason: r.status_reason,
    createdAt: new Date(r.created_at),
    completedAt: r.completed_at === null ? null : new Date(r.completed_at),
  };
}

/** The held referrals waiting for an operator, oldest first (by when the friend used the code: first come, first reviewed). */
export async function getReviewQueue(options: { db: Db; limit?: number }): Promise<ReviewQueue> {
  const { db } = options;
  const limit = Math.max(1, Math.min(500, Math.trunc(options.limit ?? 50)));
  const rows = await db.$client<
    (ReferralRow & { held_since: string; total: number; record_completed: number; record_held: number; record_rejected: number })[]
  >`
    with held as (
      -- The oldest held referrals first (first come, first reviewed), straight from the (status, created_at) index.
      select r.* from referral r where r.status = 'held' order by r.created_at, r.referred_id limit ${limit}
    )
    select r.referred_id as referral_id,
      referrer.id as referrer_id, referrer.name as referrer_name, referrer.email as referrer_email,
      referrer.deleted_at is not null as referrer_deleted,
      friend.id as friend_id, friend.name as friend_name, friend.email as friend_email,
      friend.deleted_at is not null as friend_deleted,
      r.status, r.risk_score, r.signals, r.status_reason, r.created_at, r.completed_at,
      greatest(r.created_at, coalesce(friend.onboarded_at, r.created_at)) as held_since,
      (select count(*) from referral t where t.status = 'held')::int as total,
      record.completed as record_completed, record.held as record_held, record.rejected as record_rejected
    from held r
    join "user" referrer on referrer.id = r.referrer_id
    join "user" friend on friend.id = r.referred_id
    cross join lateral (
      select count(*) filter (where o.status = 'completed')::int as completed,
        count(*) filter (where o.status = 'held')::int as held,
        count(*) filter (where o.status = 'rejected')::int as rejected
      from referral o where o.referrer_id = r.referrer_id
    ) record
    order by r.created_at, r.referred_id`;
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map((r) => ({
      ...toAdminReferral(r),
      heldSince: new Date(r.held_since),
      referrerRecord: { completed: r.record_completed, held: r.record_held, rejected: r.record_rejected },
    })),
  };
}

/** The most recently completed referrals, newest first: the ones an operator may want to revoke. */
export async function getRecentCompletedReferrals(options: { db: Db; limit?: number }): Promise<AdminReferral[]> {
  const { db } = options;
  const limit = Math.max(1, Math.min(500, Math.trunc(options.limit ?? 20)));
  const rows = await db.$client<ReferralRow[]>`
    select r.referred_id as referral_id,
      referrer.id as referrer_id, referrer.name as referrer_name, referrer.email as referrer_email,
      referrer.deleted_at is not null as referrer_deleted,
      friend.id as friend_id, friend.name as friend_name, friend.email as friend_email,
      friend.deleted_at is not null as friend_deleted,
      r.status, r.risk_score, r.signals, r.status_reason, r.created_at, r.completed_at
    from referral r
    join "user" referrer on referrer.id = r.referrer_id
    join "user" friend on friend.id = r.referred_id
    where r.status = 'completed'
    -- nulls last, as the (status, completed_at) index is ordered, so the index serves the order.
    order by r.completed_at desc nulls last, r.referred_id
    limit ${limit}`;
  return rows.map(toAdminReferral);
}

// ---------------------------------------------------------------------------
// Audit log

export interface DecisionLogEntry {
  id: number;
  createdAt: Date;
  action: ReferralDecision;
  fromStatus: ReferralStatus;
  toStatus: ReferralStatus;
  /** The operator, as recorded at the time. */
  actorEmail: string;
  reason: string;
  referralId: string;
  /** The two people, or null when their account has since been deleted. */
  referrer: AdminPerson | null;
  friend: AdminPerson | null;
}

/** The audit log of operator decisions, newest first. */
export async function getRecentDecisions(options: { db: Db; limit?: number }): Promise<DecisionLogEntry[]> {
  const { db } = options;
  const limit = Math.max(1, Math.min(500, Math.trunc(options.limit ?? 20)));
  const rows = await db.$client<
    {
      id: string | number;
      created_at: string;
      action: ReferralDecision;
      from_status: ReferralStatus;
      to_status: ReferralStatus;
      actor_email: string;
      reason: string;
      referral_id: string;
      referrer_id: string | null;
      referrer_name: string | null;
      referrer_email: string | null;
      friend_id: string | null;
      friend_name: string | null;
      friend_email: string | null;
    }[]
  >`
    select d.id, d.created_at, d.action, d.from_status, d.to_status, d.actor_email, d.reason, d.referral_id,
      referrer.id as referrer_id, referrer.name as referrer_name, referrer.email as referrer_email,
      friend.id as friend_id, friend.name as friend_name, friend.email as friend_email
    from referral_decision d
    left join "user" referrer on referrer.id = d.referrer_id and referrer.deleted_at is null
    left join "user" friend on friend.id = d.referral_id and friend.deleted_at is null
    order by d.created_at desc, d.id desc
    limit ${limit}`;
  return rows.map((r) => ({
    id: Number(r.id),
    createdAt: new Date(r.created_at),
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    actorEmail: r.actor_email,
    reason: r.reason,
    referralId: r.referral_id,
    referrer: r.referrer_id === null ? null : { id: r.referrer_id, name: r.referrer_name, email: r.referrer_email, deleted: false },
    friend: r.friend_id === null ? null : { id: r.friend_id, name: r.friend_name, email: r.friend_email, deleted: false },
  }));
}

/** One deleted account, as the audit keeps it: when, by whom, why. Nothing of the person is left. */
export interface AccountDeletionEntry {
  id: number;
  createdAt: Date;
  requestedBy: 'member' | 'operator';
  /** The operator, as recorded at the time (null when the member deleted their own account). */
  actorEmail: string | null;
  reason: string | null;
}

/** Account deletions, newest first. */
export async function getRecentAccountDeletions(options: { db: Db; limit?: number }): Promise<AccountDeletionEntry[]> {
  const limit = Math.max(1, Math.min(500, Math.trunc(options.limit ?? 20)));
  const rows = await options.db.$client<
    { id: string | number; created_at: string; requested_by: 'member' | 'operator'; actor_email: string | null; reason: string | null }[]
  >`select id, created_at, requested_by, actor_email, reason from account_deletion order by created_at desc, id desc limit ${limit}`;
  return rows.map((r) => ({
    id: Number(r.id),
    createdAt: new Date(r.created_at),
    requestedBy: r.requested_by,
    actorEmail: r.actor_email,
    reason: r.reason,
  }));
}

// ---------------------------------------------------------------------------
// Webhook deliveries

export interface FailingWebhookEvent {
  eventId: string;
  type: string;
  referralId: string;
  /** 'failed': the backend gave up; 'pending': a try failed and it is still retrying. */
  status: 'pending' | 'failed';
  attempts: number;
  lastError: string | null;
  /** When the next try is due (pending only). */
  nextAttemptAt: Date | null;
  createdAt: Date;
}

export interface WebhookDeliverySummary {
  delivered: number;
  /** Not delivered yet, and no try has failed: new, or being sent right now. */
  pending: number;
  /** A try failed (last_error); still being retried with backoff. */
  retrying: number;
  /** Given up on. */
  failed: number;
  /** When the oldest undelivered event was written (null when none waits). */
  oldestUndeliveredAt: Date | null;
  /** The failed and retrying events, newest first, at most `limit`. */
  failing: FailingWebhookEvent[];
}

/**
 * How the webhook outbox (`webhook_event`) stands: counts by status, and the
 * events that have failed or are being retried, with their last error.
 */
export async function getWebhookDeliverySummary(options: { db: Db; limit?: number }): Promise<WebhookDeliverySummary> {
  const { db } = options;
  const limit = Math.max(1, Math.min(200, Math.trunc(options.limit ?? 10)));
  const [row] = await db.$client<
    {
      delivered: number;
      pending: number;
      retrying: number;
      failed: number;
      oldest_undelivered_at: string | null;
      failing: {
        event_id: string;
        type: string;
        referral_id: string;
        status: 'pending' | 'failed';
        attempts: number;
        last_error: string | null;
        next_attempt_at: string | null;
        created_at: string;
      }[];
    }[]
  >`
    select
      count(*) filter (where e.status = 'delivered')::int as delivered,
      count(*) filter (where e.status = 'pending' and e.last_error is null)::int as pending,
      count(*) filter (where e.status = 'pending' and e.last_error is not null)::int as retrying,
      count(*) filter (where e.status = 'failed')::int as failed,
      min(e.created_at) filter (where e.status <> 'delivered') as oldest_undelivered_at,
      coalesce((
        select json_agg(json_build_object(
            'event_id', f.event_id, 'type', f.type, 'referral_id', f.referral_id, 'status', f.status,
            'attempts', f.attempts, 'last_error', f.last_error,
            'next_attempt_at', case when f.status = 'pending' then f.next_attempt_at end,
            'created_at', f.created_at
          ) order by f.created_at desc, f.id desc)
        from (
          select * from webhook_event w
          where w.status = 'failed' or (w.status = 'pending' and w.last_error is not null)
          order by w.created_at desc, w.id desc
          limit ${limit}
        ) f
      ), '[]'::json) as failing
    from webhook_event e`;
  if (!row) throw new Error('getWebhookDeliverySummary: no row');
  return {
    delivered: row.delivered,
    pending: row.pending,
    retrying: row.retrying,
    failed: row.failed,
    oldestUndeliveredAt: row.oldest_undelivered_at === null ? null : new Date(row.oldest_undelivered_at),
    failing: row.failing.map((f) => ({
      eventId: f.event_id,
      type: f.type,
      referralId: f.referral_id,
      status: f.status,
      attempts: f.attempts,
      lastError: f.last_error,
      nextAttemptAt: f.next_attempt_at === null ? null : new Date(f.next_attempt_at),
      createdAt: new Date(f.created_at),
    })),
  };
}
