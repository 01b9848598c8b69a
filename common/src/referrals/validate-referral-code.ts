import { MAX_REFERRALS_PER_CODE, REFERRAL_REWARDS } from '../constants';
import type { Db } from '../db/client';
import { fail, type Result } from '../errors';
import { parseReferralInput } from './parse-referral-input';
import { displayName } from './referral-link';

export interface ValidateReferralCodeOptions {
  db: Db;
  input: unknown;
}

export type ValidateReferralCodeResult = Result<
  {
    valid: true;
    referralCode: string;
    referrer: { name: string };
    rewards: { referrer: number; referred: number };
  },
  'invalid_code' | 'code_not_found' | 'code_exhausted'
>;

interface ValidateRow {
  name: string | null;
  used: number;
}

/**
 * What the public landing page and `validate` show about a code: who invited
 * you and what you both get. A code whose owner has used all referrals is
 * `code_exhausted`, so nobody signs up for a reward they cannot get. Reveals
 * nothing but the referrer's display name.
 */
export async function validateReferralCode(options: ValidateReferralCodeOptions): Promise<ValidateReferralCodeResult> {
  const parsed = parseReferralInput(options.input);
  if (!parsed.ok) return parsed;
  const code = parsed.referralCode;

  const [row] = await options.db.$client<ValidateRow[]>`
    select u.name, (select count(*)::int from referral where referrer_id = u.id and status::text <> 'rejected') as used
    from "user" u
    where u.referral_code = ${code}`;
  if (!row) return fail('code_not_found');
  if (row.used >= MAX_REFERRALS_PER_CODE) return fail('code_exhausted');
  return {
    ok: true,
    valid: true,
    referralCode: code,
    referrer: { name: displayName(row.name) },
    rewards: { ...REFERRAL_REWARDS },
  };
}
