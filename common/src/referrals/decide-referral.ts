import { REFERRAL_REWARD_REFERRED, REFERRAL_REWARD_REFERRER } from '../constants';
import type { Db } from '../db/client';
import type { ReferralStatus } from '../db/schema';
import { fail, type Result } from '../errors';
import { announceReferralChange } from './announce';
import { withTransactionRetry } from './transaction';

export const REFERRAL_DECISIONS = ['approve', 'reject', 'revoke'] as const;
export type ReferralDecision = (typeof REFERRAL_DECISIONS)[number];

export interface DecideReferralOptions {
  db: Db;
  /** The referral: its referred user's id. */
  referralId: string;
  action: ReferralDecision;
  /** The operator, for the audit log. */
  actor: { id: string | null; email: string };
  /** Why, for the audit log (required). */
  reason: string;
}

export type DecideReferralResult = Result<{ status: ReferralStatus }, 'invalid_input' | 'forbidden' | 'internal'>;

const WRONG_STATUS: Record<ReferralDecision, string> = {
  approve: 'Only a referral under review can be approved.',
  reject: 'Only a pending referral or one under review can be rejected.',
  revoke: 'Only a completed referral can be revoked.',
};

/**
 * An operator's decision (docs/reviewing-referrals.md), one call of
 * `referral_decide` (common/src/db/functions): approve (held → completed, both
 * rewards), reject (pending/held → rejected), revoke (completed → rejected,
 * both rewards taken back). Audited, with the webhook event, in the same
 * transaction. Rewards and clawbacks are ledger rows under a unique key, so
 * twenty approvals at once grant once, and a revoke claws back once. Nobody
 * decides a referral they are part of (`forbidden`).
 */
export async function decideReferral(options: DecideReferralOptions): Promise<DecideReferralResult> {
  const { db, referralId, action, actor } = options;
  const reason = options.reason.trim();
  if (!reason) return fail('invalid_input', { message: 'Give a reason: it goes into the audit log.' });
  // PostgreSQL text cannot hold a NUL, and no other control character belongs in an id or a reason
  // (line breaks and tabs in a reason excepted): refused here, not a database error.
  if (/\p{Cc}/u.test(referralId) || /[^\P{Cc}\t\n\r]/u.test(reason)) {
    return fail('invalid_input', { message: 'The referral id and the reason must be plain text.' });
  }
  return withTransactionRetry(async (): Promise<DecideReferralResult> => {
    const [row] = await db.$client<
      { result_code: 'ok' | 'not_found' | 'wrong_status' | 'own_referral'; result_status: ReferralStatus | null; result_event: unknown }[]
    >`
      select * from referral_decide(${referralId}, ${action}, ${actor.id}, ${actor.email}, ${reason},
        ${REFERRAL_REWARD_REFERRER}, ${REFERRAL_REWARD_REFERRED})`;
    if (!row) throw new Error('referral_decide returned no row');
    if (row.result_code === 'not_found') return fail('invalid_input', { message: 'There is no such referral.' });
    if (row.result_code === 'wrong_status') return fail('invalid_input', { message: WRONG_STATUS[action] });
    if (row.result_code === 'own_referral') {
      return fail('forbidden', { message: 'You cannot decide a referral in which you are the referrer or the friend.' });
    }
    void announceReferralChange(db.$client, row.result_event);
    return { ok: true, status: row.result_status! };
  });
}
