import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { referralDecisions, type ReferralStatus } from '../../db/schema';
import type { ReferralDecision } from '../decide-referral';
import { friend, referrer } from './admin-referral';
import { clampCount } from './limit';
import type { AdminPerson } from './people';

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
  const limit = clampCount(options.limit ?? 20, 500);
  const d = referralDecisions;
  const rows = await options.db
    .select({
      id: d.id,
      createdAt: d.createdAt,
      // A text column; its check constraint (referral_decision_action) holds it to the decisions.
      action: sql<ReferralDecision>`${d.action}`,
      fromStatus: d.fromStatus,
      toStatus: d.toStatus,
      actorEmail: d.actorEmail,
      reason: d.reason,
      referralId: d.referralId,
      // Left joins on accounts not deleted: a deleted person's object comes back null.
      referrer: { id: referrer.id, name: referrer.name, email: referrer.email },
      friend: { id: friend.id, name: friend.name, email: friend.email },
    })
    .from(d)
    .leftJoin(referrer, and(eq(referrer.id, d.referrerId), isNull(referrer.deletedAt)))
    .leftJoin(friend, and(eq(friend.id, d.referralId), isNull(friend.deletedAt)))
    .orderBy(desc(d.createdAt), desc(d.id))
    .limit(limit);
  return rows.map((r) => ({
    ...r,
    referrer: r.referrer && { ...r.referrer, deleted: false },
    friend: r.friend && { ...r.friend, deleted: false },
  }));
}
