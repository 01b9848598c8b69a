import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { referrals } from '../../db/schema';
import { adminReferralColumns, friend, referrer, statusIs, withSignalsDescribed, type AdminReferral } from './admin-referral';
import { clampCount } from './limit';

/** The most recently completed referrals, newest first: the ones an operator may want to revoke. */
export async function getRecentCompletedReferrals(options: { db: Db; limit?: number }): Promise<AdminReferral[]> {
  const limit = clampCount(options.limit ?? 20, 500);
  const rows = await options.db
    .select(adminReferralColumns(referrals))
    .from(referrals)
    .innerJoin(referrer, eq(referrer.id, referrals.referrerId))
    .innerJoin(friend, eq(friend.id, referrals.referredId))
    .where(statusIs(referrals.status, 'completed'))
    // nulls last, as the (status, completed_at) index is ordered, so the index serves the order.
    .orderBy(sql`${referrals.completedAt} desc nulls last`, referrals.referredId)
    .limit(limit);
  return withSignalsDescribed(options.db, rows);
}
