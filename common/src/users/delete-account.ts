import type { Db } from '../db/client';
import { fail, type Result } from '../errors';

/** Who asked for a deletion: the member, or an operator (with their reason, for the audit). */
export type DeletionRequest =
  | { requestedBy: 'member' }
  | { requestedBy: 'operator'; actor: { id: string | null; email: string }; reason: string };

export type DeleteAccountResult = Result<object, 'unauthenticated' | 'invalid_input'>;

/**
 * Deletes an account (docs/referral-rules.md, "Deleting an account"): one
 * call of `account_delete` (common/src/db/functions). The person's data is
 * erased; their referrals and quota ledger rows stay, anonymous, so nothing
 * can be redeemed, rewarded or freed twice, and their normalised e-mail can
 * never be referred or rewarded again. A member deleting an account that no
 * longer exists is `unauthenticated`; an operator naming one is `invalid_input`.
 */
export async function deleteAccount(options: { db: Db; userId: string } & DeletionRequest): Promise<DeleteAccountResult> {
  const { db, userId } = options;
  const operator = options.requestedBy === 'operator' ? options : null;
  if (!userId) return fail(operator ? 'invalid_input' : 'unauthenticated');
  const reason = operator?.reason.trim() ?? null;
  if (operator && !reason) return fail('invalid_input', { message: 'Give a reason: it goes into the audit log.' });
  if (/\p{Cc}/u.test(userId) || (reason !== null && /[^\P{Cc}\t\n\r]/u.test(reason))) {
    return fail('invalid_input', { message: 'The account id and the reason must be plain text.' });
  }
  const [row] = await db.$client<{ result_code: 'ok' | 'not_found' }[]>`
    select * from account_delete(${userId}, ${options.requestedBy}, ${operator?.actor.id ?? null}, ${operator?.actor.email ?? null}, ${reason})`;
  if (!row) throw new Error('account_delete returned no row');
  if (row.result_code === 'not_found') {
    return operator ? fail('invalid_input', { message: 'There is no such account (it may have been deleted already).' }) : fail('unauthenticated');
  }
  return { ok: true };
}
