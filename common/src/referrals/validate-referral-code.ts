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
  places_left: number;
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
    select u.name, referral_places_left(u.id, ${MAX_REFERRALS_PER_CODE}) as places_left
    from "user" u
    where u.referral_code = ${code} and u.deleted_at is null`;
  if (!row) return fail('code_not_found');
  // The cap, as redeem counts it (referral_places_left, one definition).
  if (row.places_left <= 0) return fail('code_exhausted');
  return {
    ok: true,
    valid: true,
    referralCode: code,
    referrer: { name: displayName(row.name) },
    rewards: { ...REFERRAL_REWARDS },
  };
}
