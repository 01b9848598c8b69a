import type { Db } from '../db/client';
import { fail, type Result } from '../errors';
import { isPlainId, parseOperatorReason } from '../referrals/operator-reason';

/** Who asked for a deletion: the member, or an operator (with their reason, for the audit). */
export type DeletionRequest =
  | { requestedBy: 'member' }
  | { requestedBy: 'operator'; actor: { id: string | null; email: string }; reason: string };

export type DeleteAccountResult = Result<object, 'unauthenticated' | 'invalid_input' | 'not_found'>;

/**
 * Deletes an account (docs/referral-rules.md, "Deleting an account"): one
 * call of `account_delete` (common/src/db/functions). The person's data is
 * erased; their referrals and quota ledger rows stay, anonymous, so nothing
 * can be redeemed, rewarded or freed twice, and their normalised e-mail can
 * never be referred or rewarded again. A member deleting an account that no
 * longer exists is `unauthenticated`; an operator naming one is `not_found`.
 */
export async function deleteAccount(options: { db: Db; userId: string } & DeletionRequest): Promise<DeleteAccountResult> {
  const { db, userId } = options;
  const operator = options.requestedBy === 'operator' ? options : null;
  if (!userId) return fail(operator ? 'invalid_input' : 'unauthenticated');
  let reason: string | null = null;
  if (operator) {
    const parsed = parseOperatorReason(operator.reason);
    if (!parsed.ok) return parsed;
    reason = parsed.reason;
  }
  if (!isPlainId(userId)) return fail(operator ? 'not_found' : 'unauthenticated');
  const [row] = await db.$client<{ result_code: 'ok' | 'not_found' }[]>`
    select * from account_delete(${userId}, ${options.requestedBy}, ${operator?.actor.id ?? null}, ${operator?.actor.email ?? null}, ${reason})`;
  if (!row) throw new Error('account_delete returned no row');
  if (row.result_code === 'not_found') {
    return operator ? fail('not_found', { message: 'There is no such account (it may have been deleted already).' }) : fail('unauthenticated');
  }
  return { ok: true };
}
