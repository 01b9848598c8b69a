import { REFERRAL_COOKIE_MAX_AGE_SECONDS, REFERRAL_COOKIE_NAME } from '@app/common/constants';
import { parseReferralInput } from '@app/common/referrals';
import { NextResponse, type NextRequest } from 'next/server';
import { env } from '@/env';

/**
 * On a referral landing page, remember the code in a first-party cookie for
 * 30 days (DESIGN.md §6), so a visitor who signs up later, or whose sign-in
 * loses the URL, is still attributed at onboarding. Only well-formed codes
 * are stored; the cookie is HttpOnly, SameSite=Lax, and Secure when the app
 * is served over https.
 */
export function proxy(request: NextRequest) {
  const response = NextResponse.next();
  const segment = request.nextUrl.pathname.split('/')[2] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A broken %-escape makes Next's router fail with a bare 500 after a rewrite: send the browser to the friendly page.
    return NextResponse.redirect(new URL('/referrals/invalid-link', request.url));
  }
  const parsed = parseReferralInput(decoded);
  if (parsed.ok) {
    response.cookies.set(REFERRAL_COOKIE_NAME, parsed.referralCode, {
      httpOnly: true,
      sameSite: 'lax',
      // Secure whenever the app is served over https (APP_URL), as in production.
      secure: env().appUrl.startsWith('https:'),
      maxAge: REFERRAL_COOKIE_MAX_AGE_SECONDS,
      path: '/',
    });
  }
  return response;
}

export const config = { matcher: ['/referrals/(.*)'] };
