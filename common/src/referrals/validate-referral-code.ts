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
    /** The program in force: how many days a new account has to use the code, and how long the landing page remembers it (not part of the public answers). */
    program: { version: number; redeemWindowDays: number; attributionCookieDays: number };
  },
  'invalid_code' | 'code_not_found' | 'code_exhausted'
>;

interface ValidateRow {
  name: string | null;
  places_left: number;
  reward_referrer: number;
  reward_referred: number;
  version: number;
  redeem_window_days: number;
  attribution_cookie_days: number;
}

/**
 * What the public landing page and `validate` show about a code: who invited
 * you and what you both get. A code whose owner has used all referrals is
 * `code_exhausted`, so nobody signs up for a reward they cannot get. The
 * rewards are the program's in force (the ones a redemption now would
 * record). Reveals nothing but the referrer's display name.
 */
export async function validateReferralCode(options: ValidateReferralCodeOptions): Promise<ValidateReferralCodeResult> {
  const parsed = parseReferralInput(options.input);
  if (!parsed.ok) return parsed;
  const code = parsed.referralCode;

  const [row] = await options.db.$client<ValidateRow[]>`
    select u.name, referral_places_left(u.id, p.max_referrals_per_referrer) as places_left,
      p.reward_referrer, p.reward_referred, p.version, p.redeem_window_days, p.attribution_cookie_days
    from "user" u, referral_program_current() p
    where u.referral_code = ${code} and u.deleted_at is null`;
  if (!row) return fail('code_not_found');
  // The cap, as redeem counts it (referral_places_left, one definition).
  if (row.places_left <= 0) return fail('code_exhausted');
  return {
    ok: true,
    valid: true,
    referralCode: code,
    referrer: { name: displayName(row.name) },
    rewards: { referrer: row.reward_referrer, referred: row.reward_referred },
    program: {
      version: row.version,
      redeemWindowDays: row.redeem_window_days,
      attributionCookieDays: row.attribution_cookie_days,
    },
  };
}
