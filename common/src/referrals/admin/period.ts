import type { Db } from '../../db/client';

/** A half-open interval [since, until); either end left out is unbounded. */
export interface Period {
  since?: Date;
  until?: Date;
}

/**
 * `period (starts, ends, first_day, end_day)`, a CTE of the half-open
 * interval [since, until) (unbounded when not given), for the totals and the
 * top referrers to join. Landing views are counted per UTC day
 * (referral_landing_total and _day): a period takes the days from since's to
 * until's, until's day excluded.
 */
export function periodCte(db: Db, period: Period) {
  const since = period.since?.toISOString() ?? null;
  const until = period.until?.toISOString() ?? null;
  return db.$client`period as (
      select p.starts, p.ends,
             (p.starts at time zone 'UTC')::date as first_day, (p.ends at time zone 'UTC')::date as end_day
      from (select coalesce(${since}::timestamptz, '-infinity'::timestamptz) as starts,
                   coalesce(${until}::timestamptz, 'infinity'::timestamptz) as ends) p
    )`;
}
