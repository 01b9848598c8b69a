import {
  MAX_REFERRALS_PER_CODE,
  REFERRAL_REDEEM_WINDOW_DAYS,
  REFERRAL_REWARD_REFERRED,
  REFERRAL_REWARD_REFERRER,
} from '../constants';
import type { Db } from '../db/client';
import type { ReferralStatus } from '../db/schema';
import { fail, type Result } from '../errors';
import { parseReferralInput } from './parse-referral-input';
import { displayName } from './referral-link';
import { pipelinedTransaction, withTransactionRetry } from './transaction';

export interface RedeemReferralCodeOptions {
  db: Db;
  /** The signed-in user who redeems. */
  userId: string;
  /** What they typed or pasted: a code or a referral link. */
  input: unknown;
}

export type RedeemReferralCodeError =
  | 'unauthenticated'
  | 'invalid_code'
  | 'code_not_found'
  | 'self_referral'
  | 'already_referred'
  | 'referral_loop'
  | 'not_eligible'
  | 'code_exhausted'
  | 'internal';

export type RedeemReferralCodeResult = Result<
  {
    /** 'completed' when the user had already finished onboarding, else 'pending'. */
    status: ReferralStatus;
    /** The redeeming user's quota after this call. */
    quota: number;
    referrer: { name: string };
  },
  RedeemReferralCodeError
>;

interface CheckRow {
  user_quota: number;
  referrer_id: string | null;
  referrer_name: string | null;
  self_referral: boolean | null;
  already_referred: boolean;
  referral_loop: boolean | null;
  not_eligible: boolean;
  code_exhausted: boolean | null;
  inserted_status: ReferralStatus | null;
  user_quota_after: number | null;
}

/**
 * Redeems a referral code for a user (DESIGN.md §4, steps 1-8).
 *
 * One transaction, one round trip. The first statement locks the referrer's
 * and the user's rows (in id order, so two redemptions never wait on each
 * other in a circle); every redemption that involves either of them queues
 * there. The second statement starts after the lock, so it sees every
 * referral committed before, and checks and inserts at once: the cap, "already
 * referred" and loops cannot be raced. If the user has finished onboarding, the
 * same statement completes the referral and grants both rewards.
 */
export async function redeemReferralCode(options: RedeemReferralCodeOptions): Promise<RedeemReferralCodeResult> {
  const { db, userId } = options;
  if (!userId) return fail('unauthenticated');
  const parsed = parseReferralInput(options.input);
  if (!parsed.ok) return parsed;
  const code = parsed.referralCode;
  const sql = db.$client;

  return withTransactionRetry(async (): Promise<RedeemReferralCodeResult> => {
    const [, checked] = await pipelinedTransaction<[unknown, CheckRow[]]>(sql, (tx) => [
      tx`
        select id from "user"
        where referral_code = ${code} or id = ${userId}
        order by id
        for no key update`,
      tx`
        with u as (
          select id, quota, created_at, onboarded_at from "user" where id = ${userId}
        ), r as (
          select id, name from "user" where referral_code = ${code}
        ), checks as (
          select
            u.id as user_id, u.quota as user_quota, u.onboarded_at,
            r.id as referrer_id, r.name as referrer_name,
            r.id = u.id as self_referral,
            exists (select 1 from referral where referred_id = u.id) as already_referred,
            exists (select 1 from referral where referrer_id = u.id and referred_id = r.id) as referral_loop,
            u.created_at < now() - make_interval(days => ${REFERRAL_REDEEM_WINDOW_DAYS}) as not_eligible,
            (select count(*) from referral where referrer_id = r.id) >= ${MAX_REFERRALS_PER_CODE} as code_exhausted
          from u left join r on true
        ), inserted as (
          insert into referral (referrer_id, referred_id, status, completed_at)
          select referrer_id, user_id,
            case when onboarded_at is null then 'pending' else 'completed' end::referral_status,
            case when onboarded_at is null then null else now() end
          from checks
          where referrer_id is not null
            and not (self_referral or already_referred or referral_loop or not_eligible or code_exhausted)
          on conflict do nothing
          returning referrer_id, referred_id, status
        ), rewarded as (
          update "user"
          set quota = "user".quota + case when "user".id = inserted.referrer_id
            then ${REFERRAL_REWARD_REFERRER}::int else ${REFERRAL_REWARD_REFERRED}::int end
          from inserted
          where inserted.status = 'completed' and "user".id in (inserted.referrer_id, inserted.referred_id)
          returning "user".id, "user".quota
        )
        select checks.user_quota, checks.referrer_id, checks.referrer_name,
          checks.self_referral, checks.already_referred, checks.referral_loop, checks.not_eligible,
          checks.code_exhausted,
          (select status from inserted) as inserted_status,
          (select quota from rewarded where id = checks.user_id) as user_quota_after
        from checks`,
    ]);

    const row = checked[0];
    if (!row) return fail('unauthenticated');
    if (row.referrer_id === null) return fail('code_not_found');
    // The order of DESIGN.md §4: the first rule that fails is the one reported.
    if (row.self_referral) return fail('self_referral');
    if (row.already_referred) return fail('already_referred');
    if (row.referral_loop) return fail('referral_loop');
    if (row.not_eligible) return fail('not_eligible');
    if (row.code_exhausted) return fail('code_exhausted');
    // Both rows are locked, so a conflict here means a referral we could not see yet.
    if (row.inserted_status === null) return fail('already_referred');

    return {
      ok: true,
      status: row.inserted_status,
      quota: row.user_quota_after ?? row.user_quota,
      referrer: { name: displayName(row.referrer_name) },
    };
  });
}
