import type { Db } from '../../db/client';
import { clampCount } from './limit';
import type { ReferralTotals } from './totals';

/** The funnel's default window: this many UTC days, today included. */
export const ADMIN_FUNNEL_DAYS = 14;

/**
 * One UTC day of the funnel: the landing views and sign-ups (referrals
 * created) of that day, and how many of those sign-ups stand at each status now.
 */
export interface FunnelDay extends Pick<ReferralTotals, 'landingViews' | 'signUps' | 'pending' | 'held' | 'completed' | 'rejected'> {
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
}

export interface GetReferralFunnelOptions {
  db: Db;
  /** How many UTC days, ending with the day of `now` (default ADMIN_FUNNEL_DAYS). */
  days?: number;
  /** The end of the window (default: the database's now). */
  now?: Date;
}

/** One row per day of the window, oldest first; the counts are cast to int, so they arrive as numbers. */
type FunnelRow = { day: string; landing_views: number; sign_ups: number; pending: number; held: number; completed: number; rejected: number };

// SQL, not the query builder: a calendar of days (generate_series) left-joined with two grouped CTEs.
function selectFunnelRows(db: Db, days: number, now: string | null) {
  return db.$client<FunnelRow[]>`
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
}

/**
 * The funnel per UTC day, oldest first, one entry for every day of the
 * window (zeros included). Sign-ups are counted on the day the referral was
 * created, under the status it has now: "of the friends who signed up that
 * day, 3 are completed, 1 is held".
 */
export async function getReferralFunnel(options: GetReferralFunnelOptions): Promise<FunnelDay[]> {
  const days = clampCount(options.days ?? ADMIN_FUNNEL_DAYS, 366);
  // Timestamps go over the wire as ISO text (the Drizzle driver leaves their (de)serialising to us).
  const now = options.now?.toISOString() ?? null;
  const rows = await selectFunnelRows(options.db, days, now);
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
