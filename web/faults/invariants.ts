// What must hold in the database after any fault, checked on the rows
// themselves (docs/referral-rules.md): nothing half done, nothing twice, no cap exceeded.
import { DEFAULT_PROGRAM, DEFAULT_QUOTA } from '@app/common';
import type { Db } from '@app/common/db';
import { findLedgerViolations } from '@app/common/referrals';

type Sql = Db['$client'];

export interface InvariantReport {
  users: number;
  referrals: number;
  completed: number;
  quotaSum: number;
  /** DEFAULT_QUOTA × users + both rewards × completed referrals. */
  expectedQuotaSum: number;
  /** Plain sentences, one per broken rule, with examples; empty when all hold. */
  violations: string[];
}

interface Counts {
  users: number;
  referrals: number;
  completed: number;
  quota_sum: number;
}

/** Checks every referral rule that a crash, a restart or a race could break. */
export async function checkInvariants(sql: Sql): Promise<InvariantReport> {
  const violations: string[] = [];
  const report = async (rule: string, rows: PromiseLike<readonly unknown[]>) => {
    const found = await rows;
    if (found.length > 0) violations.push(`${rule}: ${found.length}, e.g. ${JSON.stringify(found.slice(0, 3))}`);
  };

  await report(
    `referrers with more than ${DEFAULT_PROGRAM.maxReferralsPerReferrer} referrals`,
    sql`select referrer_id, count(*)::int as n from referral where status::text <> 'rejected'
        group by referrer_id having count(*) > ${DEFAULT_PROGRAM.maxReferralsPerReferrer}`,
  );
  await report(
    'users referred more than once',
    sql`select referred_id, count(*)::int as n from referral group by referred_id having count(*) > 1`,
  );
  await report(
    'referrals whose completed_at does not match their status',
    sql`select referrer_id, referred_id, status, completed_at from referral
        where (status::text in ('pending', 'held', 'completed') and (status = 'completed') <> (completed_at is not null))
           or completed_at < created_at`,
  );
  await report(
    'pending referrals of users who finished onboarding (a completion left half done)',
    sql`select r.referrer_id, r.referred_id from referral r join "user" u on u.id = r.referred_id
        where r.status = 'pending' and u.onboarded_at is not null`,
  );
  await report(
    'self-referrals',
    sql`select referrer_id from referral where referrer_id = referred_id`,
  );
  await report(
    'users whose quota is not DEFAULT_QUOTA plus the rewards of their completed referrals',
    sql`select u.id, u.quota, ${DEFAULT_QUOTA}
          + ${DEFAULT_PROGRAM.rewardReferrer} * (select count(*) from referral r where r.referrer_id = u.id and r.status = 'completed')::int
          + ${DEFAULT_PROGRAM.rewardReferred} * (select count(*) from referral r where r.referred_id = u.id and r.status = 'completed')::int
          as expected
        from "user" u
        where u.quota <> ${DEFAULT_QUOTA}
          + ${DEFAULT_PROGRAM.rewardReferrer} * (select count(*) from referral r where r.referrer_id = u.id and r.status = 'completed')::int
          + ${DEFAULT_PROGRAM.rewardReferred} * (select count(*) from referral r where r.referred_id = u.id and r.status = 'completed')::int`,
  );

  await report(
    'users whose quota is not DEFAULT_QUOTA plus their quota ledger (docs/referral-rules.md, "The quota ledger")',
    findLedgerViolations(sql),
  );

  const [counts] = await sql<Counts[]>`
    select
      (select count(*)::int from "user") as users,
      (select count(*)::int from referral) as referrals,
      (select count(*)::int from referral where status = 'completed') as completed,
      (select coalesce(sum(quota), 0)::int from "user") as quota_sum`;
  if (!counts) throw new Error('checkInvariants: the count query returned nothing');
  const expectedQuotaSum =
    DEFAULT_QUOTA * counts.users + (DEFAULT_PROGRAM.rewardReferrer + DEFAULT_PROGRAM.rewardReferred) * counts.completed;
  if (counts.quota_sum !== expectedQuotaSum) {
    violations.push(`sum of quotas is ${counts.quota_sum}, expected ${expectedQuotaSum}`);
  }
  return {
    users: counts.users,
    referrals: counts.referrals,
    completed: counts.completed,
    quotaSum: counts.quota_sum,
    expectedQuotaSum,
    violations,
  };
}

export interface ReferralRow {
  referrer_id: string;
  referred_id: string;
  status: 'pending' | 'held' | 'completed' | 'rejected';
}

/** Every referral, by the referred user's id. */
export async function referralsByReferred(sql: Sql): Promise<Map<string, ReferralRow>> {
  const rows = await sql<ReferralRow[]>`select referrer_id, referred_id, status from referral`;
  return new Map(rows.map((r) => [r.referred_id, r]));
}
