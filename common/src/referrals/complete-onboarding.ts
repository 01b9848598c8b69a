import { REFERRAL_REWARD_REFERRED, REFERRAL_REWARD_REFERRER } from '../constants';
import type { Db } from '../db/client';
import { fail, type Result } from '../errors';
import { displayName } from './referral-link';
import { pipelinedTransaction, withTransactionRetry } from './transaction';

export interface CompleteOnboardingOptions {
  db: Db;
  userId: string;
}

export type CompleteOnboardingResult = Result<
  {
    onboardedAt: Date;
    /** The user's quota after this call. */
    quota: number;
    /** The referral that brought this user, if any, as it stands after this call. */
    referral: {
      status: 'completed';
      referrer: { name: string };
      /** True only for the one call that completed it and granted the rewards. */
      rewardGranted: boolean;
    } | null;
  },
  'unauthenticated' | 'internal'
>;

interface CompletionRow {
  onboarded_at: Date;
  quota: number;
  referrer_name: string | null;
  referral_status: 'pending' | 'completed' | null;
  reward_granted: boolean;
  quota_after: number | null;
}

/**
 * Marks the user's sign-up as completed and completes the referral that
 * brought them, if it is pending: status 'completed', `completed_at` = now,
 * both rewards, in one transaction, exactly once.
 *
 * The first statement locks the user's row (and stamps `onboarded_at` the
 * first time), so it queues behind a redemption of the same user in flight;
 * the second then sees that redemption's referral. The `status = 'pending'`
 * guard on the referral row makes every call after the first change nothing.
 */
export async function completeOnboarding(options: CompleteOnboardingOptions): Promise<CompleteOnboardingResult> {
  const { db, userId } = options;
  if (!userId) return fail('unauthenticated');

  return withTransactionRetry(async (): Promise<CompleteOnboardingResult> => {
    const [, completion] = await pipelinedTransaction<[unknown, CompletionRow[]]>(db.$client, (tx) => [
      tx`
        update "user" set onboarded_at = coalesce(onboarded_at, now())
        where id = ${userId}
        returning id`,
      tx`
        with u as (
          select id, quota, onboarded_at from "user" where id = ${userId}
        ), completed as (
          update referral set status = 'completed', completed_at = now()
          where referred_id = ${userId} and status = 'pending'
          returning referrer_id, referred_id
        ), rewarded as (
          update "user"
          set quota = "user".quota + case when "user".id = completed.referrer_id
            then ${REFERRAL_REWARD_REFERRER}::int else ${REFERRAL_REWARD_REFERRED}::int end
          from completed
          where "user".id in (completed.referrer_id, completed.referred_id)
          returning "user".id, "user".quota
        )
        select u.onboarded_at, u.quota,
          referrer.name as referrer_name,
          case when exists (select 1 from completed) then 'completed' else referral.status::text end
            as referral_status,
          exists (select 1 from completed) as reward_granted,
          (select quota from rewarded where id = u.id) as quota_after
        from u
        left join referral on referral.referred_id = u.id
        left join "user" referrer on referrer.id = referral.referrer_id`,
    ]);

    const row = completion[0];
    if (!row) return fail('unauthenticated');
    return {
      ok: true,
      onboardedAt: row.onboarded_at,
      quota: row.quota_after ?? row.quota,
      // A pending referral is always completed by this call, so it is completed or absent.
      referral:
        row.referral_status === null
          ? null
          : { status: 'completed', referrer: { name: displayName(row.referrer_name) }, rewardGranted: row.reward_granted },
    };
  });
}
