import type { Db } from '../db/client';
import type { ReferralStatus } from '../db/schema';
import { fail, type Result } from '../errors';
import { buildReferralLink, displayName } from './referral-link';
import type { ReferralStatusReason } from './vocabulary';

export interface GetReferralSummaryOptions {
  db: Db;
  userId: string;
  /** The app's public origin, for the link. */
  appUrl: string;
}

export interface ReferralListItem {
  /** The referred user's display name: never their e-mail or id. */
  name: string;
  status: ReferralStatus;
  /** Why it is held or not credited (a code of REFERRAL_STATUS_REASONS); null when pending or completed. */
  statusReason: ReferralStatusReason | null;
  createdAt: Date;
  completedAt: Date | null;
}

export interface ReferralSummary {
  referralCode: string;
  referralLink: string;
  maxReferrals: number;
  usedReferrals: number;
  remainingReferrals: number;
  quota: number;
  /** The rewards of the program in force: what a referral made now pays. */
  rewards: { referrer: number; referred: number };
  /** The program version those numbers (the cap, the rewards, the window) come from. */
  programVersion: number;
  /** Who invited this user, and how that referral stands (e.g. held: under review). */
  referredBy: { name: string; status: ReferralStatus; statusReason: ReferralStatusReason | null } | null;
  /** Not referred yet and still inside the redeem window. */
  canRedeem: boolean;
  regenerationsLeftToday: number;
  referrals: ReferralListItem[];
}

export type GetReferralSummaryResult = Result<ReferralSummary, 'unauthenticated'>;

interface SummaryRow {
  referral_code: string;
  quota: number;
  program_version: number;
  max_referrals: number;
  reward_referrer: number;
  reward_referred: number;
  regenerations_left: number;
  places_used: number;
  places_left: number;
  in_window: boolean;
  referred_by_name: string | null;
  referred: boolean;
  referred_status: ReferralStatus | null;
  referred_status_reason: ReferralStatusReason | null;
  referrals: {
    name: string | null;
    status: ReferralStatus;
    status_reason: ReferralStatusReason | null;
    created_at: string;
    completed_at: string | null;
  }[];
}

/** Everything the member page and `GET /api/referrals` show, for one user, in one consistent read. */
export async function getReferralSummary(options: GetReferralSummaryOptions): Promise<GetReferralSummaryResult> {
  const { db, userId, appUrl } = options;
  if (!userId) return fail('unauthenticated');

  const [row] = await db.$client<SummaryRow[]>`
    select
      u.referral_code,
      u.quota,
      p.version as program_version,
      p.max_referrals_per_referrer as max_referrals,
      p.reward_referrer,
      p.reward_referred,
      referral_code_regenerations_left(u.code_regenerated_on, u.code_regenerations, p.regenerations_per_day) as regenerations_left,
      referral_places_used(u.id) as places_used,
      referral_places_left(u.id, p.max_referrals_per_referrer) as places_left,
      -- Inside the redeem window, and not a person who deleted an account before (never referred again).
      u.created_at >= now() - make_interval(days => p.redeem_window_days) and not is_erased_email(u.email) as in_window,
      referrer.name as referred_by_name,
      referrer.id is not null as referred,
      by_referral.status as referred_status,
      by_referral.status_reason as referred_status_reason,
      coalesce((
        select json_agg(json_build_object(
            'name', friend.name, 'status', r.status, 'status_reason', r.status_reason,
            'created_at', r.created_at, 'completed_at', r.completed_at
          ) order by r.created_at desc, friend.id)
        from referral r join "user" friend on friend.id = r.referred_id
        where r.referrer_id = u.id
      ), '[]'::json) as referrals
    from "user" u
    cross join referral_program_current() p
    left join referral by_referral on by_referral.referred_id = u.id
    left join "user" referrer on referrer.id = by_referral.referrer_id
    where u.id = ${userId} and u.deleted_at is null`;
  if (!row) return fail('unauthenticated');

  // The cap as redeem counts it (referral_places_used / _left, one definition).
  const usedReferrals = row.places_used;
  return {
    ok: true,
    referralCode: row.referral_code,
    referralLink: buildReferralLink(appUrl, row.referral_code),
    maxReferrals: row.max_referrals,
    usedReferrals,
    remainingReferrals: row.places_left,
    quota: row.quota,
    rewards: { referrer: row.reward_referrer, referred: row.reward_referred },
    programVersion: row.program_version,
    referredBy: row.referred
      ? { name: displayName(row.referred_by_name), status: row.referred_status!, statusReason: row.referred_status_reason }
      : null,
    canRedeem: !row.referred && row.in_window,
    regenerationsLeftToday: row.regenerations_left,
    referrals: row.referrals.map((r) => ({
      name: displayName(r.name),
      status: r.status,
      statusReason: r.status_reason,
      createdAt: new Date(r.created_at),
      completedAt: r.completed_at === null ? null : new Date(r.completed_at),
    })),
  };
}
