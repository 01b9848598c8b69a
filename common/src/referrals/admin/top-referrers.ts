import type { Db } from '../../db/client';
import { clampCount } from './limit';
import type { AdminPerson } from './people';
import { periodCte, type Period } from './period';

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

/** One row per referrer, best first; the counts are cast to int, so they arrive as numbers. */
type TopReferrerRow = {
  id: string;
  name: string | null;
  email: string | null;
  deleted: boolean;
  completed: number;
  held: number;
  pending: number;
  rejected: number;
  landing_views: number;
};

// SQL, not the query builder: the period's CTE, a ranked CTE of filtered counts, and a correlated sum.
function selectTopReferrerRows(db: Db, period: Period, limit: number) {
  return db.$client<TopReferrerRow[]>`
    with ${periodCte(db, period)},
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
}

/**
 * Referrers ranked by completed referrals, then by held ones (a referrer whose
 * friends keep being held is worth a look), then by all referrals. Everyone
 * with at least one referral in the period can appear.
 */
export async function getTopReferrers(options: GetTopReferrersOptions): Promise<TopReferrer[]> {
  const limit = clampCount(options.limit ?? 10, 100);
  const rows = await selectTopReferrerRows(options.db, options, limit);
  return rows.map((r) => ({
    referrer: { id: r.id, name: r.name, email: r.email, deleted: r.deleted },
    completed: r.completed,
    held: r.held,
    pending: r.pending,
    rejected: r.rejected,
    landingViews: r.landing_views,
  }));
}
