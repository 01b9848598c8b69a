import { REFERRAL_CODE_QUERY_PARAM } from '@app/common/constants';

/** The sign-in page, coming back to `callbackPath` (a same-origin path) afterwards. */
export function signInHref(callbackPath: string): string {
  return `/api/auth/signin?callbackUrl=${encodeURIComponent(callbackPath)}`;
}

/**
 * The host product's sign-up page with the code attached (`?referral_code=`),
 * when EXTERNAL_SIGNUP_URL is set (docs/integration.md, "Landing links"): the
 * host redeems it through the API after the visitor signs up.
 */
export function externalSignupHref(signupUrl: string, referralCode: string): string {
  const url = new URL(signupUrl);
  url.searchParams.set(REFERRAL_CODE_QUERY_PARAM, referralCode);
  return url.toString();
}
