import type { Db } from '../../db/client';
import { periodCte, type Period } from './period';

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

/** The one row of totals; every figure is cast to int, so it arrives as a number. */
type TotalsRow = {
  landing_views: number;
  sign_ups: number;
  pending: number;
  held: number;
  completed: number;
  rejected: number;
  referrers: number;
  quota_granted: number;
  quota_clawed_back: number;
};

// SQL, not the query builder: filtered aggregates over four CTEs joined with the period's.
function selectTotalsRow(db: Db, period: Period) {
  return db.$client<TotalsRow[]>`
    with ${periodCte(db, period)},
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
}

/** The program's totals, by referral status now (all time unless a period is given). */
export async function getReferralTotals(options: GetReferralTotalsOptions): Promise<ReferralTotals> {
  const [row] = await selectTotalsRow(options.db, options);
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
