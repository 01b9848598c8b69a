import type { Db } from '../db/client';
import type { ReferralStatus } from '../db/schema';
import { fail, type Result } from '../errors';
import { announceReferralChange } from './announce';
import { parseReferralInput } from './parse-referral-input';
import { displayName } from './referral-link';
import { withTransactionRetry } from './transaction';

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
    /**
     * 'pending' until the user finishes onboarding; if they already had:
     * 'completed', or 'held' when the fraud signals sent it to review.
     */
    status: ReferralStatus;
    /** The redeeming user's quota after this call. */
    quota: number;
    referrer: { name: string };
  },
  RedeemReferralCodeError
>;

type RedeemOutcome = 'ok' | Exclude<RedeemReferralCodeError, 'invalid_code' | 'internal'>;

interface RedeemRow {
  result_code: RedeemOutcome;
  result_status: ReferralStatus | null;
  result_quota: number | null;
  result_referrer_name: string | null;
  result_event: unknown;
}

/**
 * Redeems a referral code for a user (docs/referral-rules.md, "How redeeming
 * a code works", steps 1-8).
 *
 * Step 1 (parsing) happens here, without the database. Steps 2-8 are one
 * call of the `referral_redeem` function (common/src/db/functions): one
 * statement, so one round trip and one transaction. It locks the referrer's
 * and the user's rows, reads the program in force, then checks and inserts,
 * and if the user has finished onboarding it scores the referral and
 * completes it with both rewards (ledgered), or holds it for review. The
 * webhook outbox rows commit with it.
 */
export async function redeemReferralCode(options: RedeemReferralCodeOptions): Promise<RedeemReferralCodeResult> {
  const { db, userId } = options;
  if (!userId) return fail('unauthenticated');
  const parsed = parseReferralInput(options.input);
  if (!parsed.ok) return parsed;
  const code = parsed.referralCode;

  return withTransactionRetry(async (): Promise<RedeemReferralCodeResult> => {
    const [row] = await db.$client<RedeemRow[]>`
      select * from referral_redeem(${userId}, ${code})`;
    if (!row) throw new Error('referral_redeem returned no row');
    if (row.result_code !== 'ok') return fail(row.result_code);
    if (row.result_status === null || row.result_quota === null) {
      throw new Error('referral_redeem succeeded without a status or quota');
    }
    // Not awaited: the change is committed; its announcement follows with the next batch.
    void announceReferralChange(db.$client, row.result_event);
    return {
      ok: true,
      status: row.result_status,
      quota: row.result_quota,
      referrer: { name: displayName(row.result_referrer_name) },
    };
  });
}
