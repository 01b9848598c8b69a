import type postgres from 'postgres';
import { DEFAULT_QUOTA } from '../constants';
import type { Db } from '../db/client';
import type { QuotaGrantReason } from '../db/schema';
import { displayName } from './referral-link';
import { LEDGER_REASON_WORDS } from './vocabulary';

/** A user whose quota is not DEFAULT_QUOTA + the sum of their ledger rows. */
export interface LedgerViolation {
  userId: string;
  quota: number;
  ledgerTotal: number;
}

/**
 * The ledger invariant (docs/referral-rules.md, "The quota ledger"), checked over every user:
 * `user.quota = DEFAULT_QUOTA + sum(quota_grant.amount)`. Empty when it holds.
 */
export async function findLedgerViolations(sql: postgres.Sql): Promise<LedgerViolation[]> {
  const rows = await sql<{ user_id: string; quota: number; ledger_total: number }[]>`
    select u.id as user_id, u.quota, coalesce(g.total, 0)::int as ledger_total
    from "user" u
    left join (select user_id, sum(amount) as total from quota_grant group by user_id) g on g.user_id = u.id
    where u.quota <> ${DEFAULT_QUOTA} + coalesce(g.total, 0)`;
  return rows.map((r) => ({ userId: r.user_id, quota: r.quota, ledgerTotal: r.ledger_total }));
}

export interface QuotaHistoryItem {
  /** The ledger row's id (a grant id): a host that keeps its own quota applies each id once (docs/integration.md). */
  id: string;
  amount: number;
  reason: QuotaGrantReason;
  /** What happened, in plain words, without anyone's e-mail. */
  description: string;
  /** The referral it belongs to (its referred person's id), or null for an operator's adjustment. */
  referralId: string | null;
  createdAt: Date;
}

/**
 * The user's quota changes, newest first (at most `limit`, only rows older
 * than the grant id `before` when given), each with the other person's
 * display name.
 */
export async function getQuotaHistory(options: {
  db: Db;
  userId: string;
  limit?: number;
  before?: string | null;
}): Promise<QuotaHistoryItem[]> {
  const { db, userId, limit = 20, before = null } = options;
  const rows = await db.$client<
    { id: string; amount: number; reason: QuotaGrantReason; referral_id: string | null; other_name: string | null; created_at: string }[]
  >`
    select g.id::text as id, g.amount, g.reason, g.referral_id, g.created_at,
      case when r.referrer_id = g.user_id then friend.name else referrer.name end as other_name
    from quota_grant g
    left join referral r on r.referred_id = g.referral_id
    left join "user" friend on friend.id = r.referred_id
    left join "user" referrer on referrer.id = r.referrer_id
    where g.user_id = ${userId} and (${before}::bigint is null or g.id < ${before}::bigint)
    order by g.id desc
    limit ${limit}`;
  return rows.map((r) => ({
    id: r.id,
    amount: r.amount,
    reason: r.reason,
    description: LEDGER_REASON_WORDS[r.reason](displayName(r.other_name)),
    referralId: r.referral_id,
    createdAt: new Date(r.created_at),
  }));
}
