import { REFERRAL_CODE_QUERY_PARAM, REFERRAL_LINK_PATH, parseReferralInput } from '@app/common';

/** The referral code a same-origin URL carries: `?referral_code=` or a `/referrals/<code>` landing page. */
export function referralCodeIn(url: URL): string | null {
  const fromQuery = url.searchParams.get(REFERRAL_CODE_QUERY_PARAM);
  if (fromQuery !== null) {
    const parsed = parseReferralInput(fromQuery);
    return parsed.ok ? parsed.referralCode : null;
  }
  if (url.pathname.startsWith(`${REFERRAL_LINK_PATH}/`)) {
    const parsed = parseReferralInput(url.pathname);
    return parsed.ok ? parsed.referralCode : null;
  }
  return null;
}

/** Where to finish sign-up with a code. */
export function onboardPath(referralCode: string | null): string {
  return referralCode ? `/onboard?${REFERRAL_CODE_QUERY_PARAM}=${encodeURIComponent(referralCode)}` : '/onboard';
}

/**
 * next-auth's `redirect` callback. Never leaves the app's origin: the target
 * is resolved against the app with `new URL` and compared by origin, so
 * `//evil.com`, `/\evil.com`, `https://evil.com`, `javascript:...` and
 * `http://localhost.evil.com` all land on the app's home page. A target that
 * carries a referral code (`?referral_code=` or the `/referrals/<code>`
 * landing page) sends the user to `/onboard?referral_code=<code>`, so the code
 * survives sign-in.
 */
export function resolveRedirect(url: string, baseUrl: string): string {
  const base = new URL(baseUrl);
  let target: URL;
  try {
    target = new URL(url, base);
  } catch {
    return base.origin + '/';
  }
  if (target.origin !== base.origin || (target.protocol !== 'http:' && target.protocol !== 'https:')) {
    return base.origin + '/';
  }
  const code = referralCodeIn(target);
  if (code) return base.origin + onboardPath(code);
  return target.toString();
}
