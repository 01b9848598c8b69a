import type { Db } from '../db/client';
import { fail, type Result } from '../errors';
import type { ReferralStatus } from '../db/schema';
import { announceReferralChange } from './announce';
import { displayName } from './referral-link';
import { withTransactionRetry } from './transaction';

export interface CompleteOnboardingOptions {
  db: Db;
  userId: string;
}

export type CompleteOnboardingResult = Result<
  {
    onboardedAt: Date;
    /** The user's quota after this call. */
    quota: number;
    /**
     * The referral that brought this user, if any. Onboarding finishes a
     * pending referral: after this call it is completed, or held for review
     * (or rejected, if an operator refused it before).
     */
    referral: {
      status: ReferralStatus;
      referrer: { name: string };
      /** True only for the one call that completed it and granted the rewards. */
      rewardGranted: boolean;
    } | null;
  },
  'unauthenticated' | 'internal'
>;

interface CompletionRow {
  result_code: 'ok' | 'unauthenticated';
  // Raw timestamps arrive as text: drizzle turns off postgres.js's date parsing on its client.
  result_onboarded_at: string | null;
  result_quota: number | null;
  result_referred: boolean | null;
  result_referrer_name: string | null;
  result_reward_granted: boolean | null;
  result_status: ReferralStatus | null;
  result_event: unknown;
}

/**
 * Marks the user's sign-up as completed and finishes the referral that
 * brought them, if it is pending: scored by the fraud signals, then completed
 * (`completed_at` = now, both rewards as ledger rows, exactly once) or held
 * for review, in one transaction. One call of the
 * `referral_complete_onboarding` function (common/src/db/functions): it locks the user
 * (and their referrer), so a redemption of the same user in flight finishes
 * first; the `status = 'pending'` guard makes every later call change nothing.
 */
export async function completeOnboarding(options: CompleteOnboardingOptions): Promise<CompleteOnboardingResult> {
  const { db, userId } = options;
  if (!userId) return fail('unauthenticated');

  return withTransactionRetry(async (): Promise<CompleteOnboardingResult> => {
    const [row] = await db.$client<CompletionRow[]>`
      select * from referral_complete_onboarding(${userId})`;
    if (!row) throw new Error('referral_complete_onboarding returned no row');
    if (row.result_code !== 'ok') return fail(row.result_code);
    if (row.result_onboarded_at === null || row.result_quota === null) {
      throw new Error('referral_complete_onboarding succeeded without onboarded_at or quota');
    }
    // Not awaited: the change is committed; its announcement follows with the next batch.
    void announceReferralChange(db.$client, row.result_event);
    return {
      ok: true,
      onboardedAt: new Date(row.result_onboarded_at),
      quota: row.result_quota,
      referral: row.result_referred
        ? {
            status: row.result_status ?? 'pending',
            referrer: { name: displayName(row.result_referrer_name) },
            rewardGranted: row.result_reward_granted === true,
          }
        : null,
    };
  });
}
