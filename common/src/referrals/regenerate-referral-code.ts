import type { Db } from '../db/client';
import { fail, type Result } from '../errors';
import { buildReferralLink } from './referral-link';

export interface RegenerateReferralCodeOptions {
  db: Db;
  userId: string;
  /** The app's public origin, for the link. */
  appUrl: string;
}

export type RegenerateReferralCodeResult = Result<
  { referralCode: string; referralLink: string; regenerationsLeftToday: number },
  'unauthenticated' | 'rate_limited'
>;

interface RegenerateRow {
  result_code: 'ok' | 'rate_limited' | 'unauthenticated';
  result_referral_code: string | null;
  result_left: number | null;
  result_retry_after_seconds: number | null;
}

/**
 * Gives the user a fresh `ref-`+UUID code (docs/referral-rules.md, "Creating
 * a new code (regenerating)"): one call of `referral_code_regenerate`
 * (common/src/db/functions). The old code stops working the moment this
 * commits. Referrals already made stay, and still count toward the cap. At
 * most the program's regenerations per UTC day, counted in the database (the
 * same count for every process), else `rate_limited` with the seconds until
 * the next UTC day.
 */
export async function regenerateReferralCode(options: RegenerateReferralCodeOptions): Promise<RegenerateReferralCodeResult> {
  const { db, userId, appUrl } = options;
  if (!userId) return fail('unauthenticated');
  const [row] = await db.$client<RegenerateRow[]>`select * from referral_code_regenerate(${userId})`;
  if (!row) throw new Error('referral_code_regenerate returned no row');
  if (row.result_code === 'unauthenticated') return fail('unauthenticated');
  if (row.result_code === 'rate_limited') return fail('rate_limited', { retryAfterSeconds: row.result_retry_after_seconds ?? 1 });
  const referralCode = row.result_referral_code!;
  return {
    ok: true,
    referralCode,
    referralLink: buildReferralLink(appUrl, referralCode),
    regenerationsLeftToday: row.result_left ?? 0,
  };
}
