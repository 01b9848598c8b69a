import type { Db } from '../db/client';
import type { ReferralStatus } from '../db/schema';
import { fail, type Result } from '../errors';
import { announceReferralChange } from './announce';
import { isPlainId, parseOperatorReason } from './operator-reason';
import { STATUS_WORDS } from './vocabulary';
import { withTransactionRetry } from './transaction';

const NO_SUCH_REFERRAL = 'There is no such referral: nothing was changed.';

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

export type DecideReferralResult = Result<{ status: ReferralStatus }, 'invalid_input' | 'not_found' | 'conflict' | 'forbidden' | 'internal'>;

const APPLIES_TO: Record<ReferralDecision, string> = {
  approve: 'Only a referral under review can be approved',
  reject: 'Only a pending referral or one under review can be rejected',
  revoke: 'Only a completed referral can be revoked',
};

/** Why a decision does not apply to a referral in this status: already decided, or not (yet) reviewable. */
function wrongStatus(action: ReferralDecision, status: ReferralStatus): string {
  const now = STATUS_WORDS[status];
  return status === 'rejected' || (status === 'completed' && action !== 'revoke')
    ? `This referral was already decided: it is now "${now}". ${APPLIES_TO[action]}; nothing was changed.`
    : `This referral is "${now}". ${APPLIES_TO[action]}; nothing was changed.`;
}

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
  const parsed = parseOperatorReason(options.reason);
  if (!parsed.ok) return parsed;
  const reason = parsed.reason;
  // An id with a control character names no referral (and is refused here, not by the database).
  if (!isPlainId(referralId)) return fail('not_found', { message: NO_SUCH_REFERRAL });
  return withTransactionRetry(async (): Promise<DecideReferralResult> => {
    const [row] = await db.$client<
      { result_code: 'ok' | 'not_found' | 'wrong_status' | 'own_referral'; result_status: ReferralStatus | null; result_event: unknown }[]
    >`
      select * from referral_decide(${referralId}, ${action}, ${actor.id}, ${actor.email}, ${reason})`;
    if (!row) throw new Error('referral_decide returned no row');
    if (row.result_code === 'not_found') return fail('not_found', { message: NO_SUCH_REFERRAL });
    if (row.result_code === 'wrong_status') return fail('conflict', { message: wrongStatus(action, row.result_status!) });
    if (row.result_code === 'own_referral') {
      return fail('forbidden', { message: 'You cannot decide a referral in which you are the referrer or the friend.' });
    }
    void announceReferralChange(db.$client, row.result_event);
    return { ok: true, status: row.result_status! };
  });
}
