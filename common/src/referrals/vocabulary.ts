// The words people read about referrals, defined once (docs/referral-rules.md,
// "What members see"; docs/reviewing-referrals.md). The database, the API,
// the websocket and webhooks carry codes (a status, a reason, a signal, a
// ledger reason); the member page, the operator page, the API's messages and
// the docs use these words for them. Rewording needs no migration.
import type { FraudSignal } from '../constants';
import type { QuotaGrantReason, ReferralStatus } from '../db/schema';

/**
 * Why a referral is held or not credited, as `referral.status_reason`
 * records it (null when pending or completed).
 */
export const REFERRAL_STATUS_REASONS = [
  /** Held: the fraud score reached the threshold; an operator decides. */
  'under_review',
  /** Rejected when finishing: the friend had an account that was deleted. */
  'deleted_account',
  /** Rejected by an operator (from pending or held). */
  'rejected_after_review',
  /** Revoked by an operator after it completed: both rewards taken back. */
  'revoked_after_review',
] as const;

export type ReferralStatusReason = (typeof REFERRAL_STATUS_REASONS)[number];

/** What each status means to a member, in a word or two. */
export const STATUS_WORDS: Readonly<Record<ReferralStatus, string>> = {
  pending: 'Pending',
  held: 'Under review',
  completed: 'Completed',
  rejected: 'Not credited',
};

/** Why, in a sentence a member can read (never the operator's own reason, the score or the signals). */
export const STATUS_REASON_WORDS: Readonly<Record<ReferralStatusReason, string>> = {
  under_review: 'Under review: we check some referrals by hand before the rewards are added.',
  deleted_account: 'Not credited: this person already had an account that was deleted.',
  rejected_after_review: "Not credited: after a review, this referral did not meet the program's rules.",
  revoked_after_review: 'Revoked: after a review, the rewards of this referral were taken back.',
};

/** An operator's decisions, as the audit log names what was done. */
export const DECISION_WORDS = { approve: 'Approved', reject: 'Rejected', revoke: 'Revoked' } as const;

/** A ledger row, as the member's quota history tells it; `other` is the other person's display name. */
export const LEDGER_REASON_WORDS: Readonly<Record<QuotaGrantReason, (other: string) => string>> = {
  referral_referrer: (friend) => `${friend} joined with your referral`,
  referral_referred: (referrer) => `Welcome bonus: you joined with ${referrer}'s referral`,
  clawback: () => 'A referral reward was taken back after a review',
  admin_adjustment: () => 'Adjusted by the team',
};

/** The numbers the signals' descriptions mention: those of the program version that scored the referral. */
export interface SignalWindows {
  addressHistoryDays: number;
  velocityWindowMinutes: number;
  velocityMaxReferrals: number;
}

/** Each fraud signal in plain words, for operators. */
export function signalWords(signal: FraudSignal, windows: SignalWindows): string {
  switch (signal) {
    case 'email_match':
      return "The friend's e-mail address is the referrer's own (ignoring case, +tags and Gmail dots).";
    case 'disposable_domain':
      return "The friend's e-mail address is from a throwaway e-mail service (or one of its subdomains).";
    case 'same_ip':
      return `The friend used a network address the referrer used in the last ${windows.addressHistoryDays} days (signing up, signing in, or opening a landing page).`;
    case 'same_network':
      return `The friend used the same network as the referrer in the last ${windows.addressHistoryDays} days (the same /24 for IPv4, /64 for IPv6), not the same address.`;
    case 'same_user_agent':
      return 'Both accounts used the same browser.';
    case 'velocity':
      return `The referral is one of more than ${windows.velocityMaxReferrals} the referrer received within ${windows.velocityWindowMinutes} minutes.`;
    case 'missing_address':
      return "No network address is known for the friend's sign-up.";
    case 'missing_user_agent':
      return "The friend's browser sent no user agent.";
  }
}

/** The reason's words, or null for none (and for a code this build does not know). */
export function statusReasonWords(reason: string | null): string | null {
  if (reason === null || !Object.hasOwn(STATUS_REASON_WORDS, reason)) return null;
  return STATUS_REASON_WORDS[reason as ReferralStatusReason];
}
