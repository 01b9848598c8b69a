import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { referrals } from '../../db/schema';
import { adminReferralColumns, friend, referrer, statusIs, withSignalsDescribed, type AdminReferral } from './admin-referral';
import { clampCount } from './limit';

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

/** The held referrals waiting for an operator, oldest first (by when the friend used the code: first come, first reviewed). */
export async function getReviewQueue(options: { db: Db; limit?: number }): Promise<ReviewQueue> {
  const { db } = options;
  const limit = clampCount(options.limit ?? 50, 500);
  // The oldest held referrals first (first come, first reviewed), straight from the (status, created_at) index.
  const held = db
    .select()
    .from(referrals)
    .where(statusIs(referrals.status, 'held'))
    .orderBy(referrals.createdAt, referrals.referredId)
    .limit(limit)
    .as('held');
  // The referrer's record, counted for each of those few.
  const record = db
    .select({
      completed: sql<number>`count(*) filter (where ${statusIs(referrals.status, 'completed')})::int`.as('record_completed'),
      held: sql<number>`count(*) filter (where ${statusIs(referrals.status, 'held')})::int`.as('record_held'),
      rejected: sql<number>`count(*) filter (where ${statusIs(referrals.status, 'rejected')})::int`.as('record_rejected'),
    })
    .from(referrals)
    .where(eq(referrals.referrerId, held.referrerId))
    .as('record');
  const rows = await db
    .select({
      ...adminReferralColumns(held),
      heldSince: sql`greatest(${held.createdAt}, coalesce(${friend.onboardedAt}, ${held.createdAt}))`.mapWith(held.createdAt),
      total: db.$count(referrals, statusIs(referrals.status, 'held')),
      referrerRecord: { completed: record.completed, held: record.held, rejected: record.rejected },
    })
    .from(held)
    .innerJoin(referrer, eq(referrer.id, held.referrerId))
    .innerJoin(friend, eq(friend.id, held.referredId))
    .crossJoinLateral(record)
    .orderBy(held.createdAt, held.referredId);
  return {
    total: rows[0]?.total ?? 0,
    items: await withSignalsDescribed(
      db,
      rows.map(({ total: _total, ...item }) => item),
    ),
  };
}
