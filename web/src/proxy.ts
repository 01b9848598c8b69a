import { REFERRAL_COOKIE_MAX_AGE_SECONDS, REFERRAL_COOKIE_NAME } from '@app/common/constants';
import { parseReferralInput } from '@app/common/referrals';
import { NextResponse, type NextRequest } from 'next/server';

/**
 * On a referral landing page, remember the code in a first-party cookie for
 * 30 days (DESIGN.md §6), so a visitor who signs up later, or whose sign-in
 * loses the URL, is still attributed at onboarding. Only well-formed codes
 * are stored; the cookie is HttpOnly, SameSite=Lax, and Secure in production.
 */
export function proxy(request: NextRequest) {
  const response = NextResponse.next();
  const segment = request.nextUrl.pathname.split('/')[2] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return response;
  }
  const parsed = parseReferralInput(decoded);
  if (parsed.ok) {
    response.cookies.set(REFERRAL_COOKIE_NAME, parsed.referralCode, {
      httpOnly: true,
      sameSite: 'lax',
      secure: process.env.NODE_ENV === 'production',
      maxAge: REFERRAL_COOKIE_MAX_AGE_SECONDS,
      path: '/',
    });
  }
  return response;
}

export const config = { matcher: ['/referrals/:code'] };
