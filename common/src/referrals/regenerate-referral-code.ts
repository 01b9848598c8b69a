import { and, eq, isNull, sql } from 'drizzle-orm';
import { REFERRAL_CODE_PREFIX } from '../constants';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { fail, type Result } from '../errors';
import { buildReferralLink } from './referral-link';
import { defaultRegenerationLimiter, type RegenerationLimiter } from './regeneration-limiter';

export interface RegenerateReferralCodeOptions {
  db: Db;
  userId: string;
  /** The app's public origin, for the link. */
  appUrl: string;
  /** Defaults to this process's limiter; tests pass one with an injected clock. */
  limiter?: RegenerationLimiter;
}

export type RegenerateReferralCodeResult = Result<
  { referralCode: string; referralLink: string; regenerationsLeftToday: number },
  'unauthenticated' | 'rate_limited'
>;

/**
 * Gives the user a fresh `ref-`+UUID code. The old code stops working the
 * moment this commits (a redemption holding the old code's row lock finishes
 * first; one that queues after sees the new code and gets `code_not_found`).
 * Referrals already made stay, and still count toward the cap. At most
 * REFERRAL_CODE_REGENERATIONS_PER_DAY per user per UTC day, else `rate_limited`.
 */
export async function regenerateReferralCode(
  options: RegenerateReferralCodeOptions,
): Promise<RegenerateReferralCodeResult> {
  const { db, userId, appUrl } = options;
  const limiter = options.limiter ?? defaultRegenerationLimiter;
  if (!userId) return fail('unauthenticated');

  const slot = limiter.take(userId);
  if (!slot.ok) return fail('rate_limited', { retryAfterSeconds: slot.retryAfterSeconds });
  try {
    const [updated] = await db
      .update(users)
      .set({ referralCode: sql.raw(`'${REFERRAL_CODE_PREFIX}' || gen_random_uuid()`) })
      // A deleted account's session (JWTs outlive it) gets nothing.
      .where(and(eq(users.id, userId), isNull(users.deletedAt)))
      .returning({ referralCode: users.referralCode });
    if (!updated) {
      slot.release();
      return fail('unauthenticated');
    }
    return {
      ok: true,
      referralCode: updated.referralCode,
      referralLink: buildReferralLink(appUrl, updated.referralCode),
      regenerationsLeftToday: limiter.remaining(userId),
    };
  } catch (error) {
    slot.release();
    throw error;
  }
}
