import { ANONYMOUS_DISPLAY_NAME, REFERRAL_LINK_PATH } from '../constants';

/** The shareable link of a code: `${appUrl}/referrals/<code>`. */
export function buildReferralLink(appUrl: string, referralCode: string): string {
  return new URL(`${REFERRAL_LINK_PATH}/${encodeURIComponent(referralCode)}`, appUrl).toString();
}

/** What other people see of a user: their name, never their e-mail. */
export function displayName(name: string | null | undefined): string {
  const trimmed = name?.trim();
  return trimmed ? trimmed : ANONYMOUS_DISPLAY_NAME;
}
