import {
  LANDING_RATE_LIMIT_REQUESTS,
  LANDING_RATE_LIMIT_WINDOW_SECONDS,
  REFERRAL_COOKIE_NAME,
} from '@app/common/constants';
import { parseReferralInput, validateReferralCode } from '@app/common/referrals';
import { NextResponse, type NextRequest } from 'next/server';
import { env } from '@/env';
import { isCrossOrigin } from '@/server/csrf';
import { db } from '@/server/db';
import { EMBED_REQUEST_HEADER, isEmbedPath } from '@/server/embed';
import { clientKey, createFixedWindowLimiter } from '@/server/rate-limit';

/** Landing pages are public and look the code up: limited per client (the web server's address, IPv6 by /64). */
const landingLimiter = createFixedWindowLimiter({ limit: LANDING_RATE_LIMIT_REQUESTS, windowSeconds: LANDING_RATE_LIMIT_WINDOW_SECONDS });

/**
 * The Content-Security-Policy of a page. Scripts run only with this request's
 * nonce (Next.js puts it on its own scripts when the request carries the
 * policy) or when such a script loads them ('strict-dynamic'); no plugins, no
 * <base>, no framing, forms post only to the app, and the page may connect
 * only to the app and the backend websocket. `next dev` also needs
 * 'unsafe-eval' (React's dev tooling) and inline styles (its overlay).
 */
function contentSecurityPolicy(options: { nonce: string; backendWsUrl: string; appUrl: string; dev: boolean; frameAncestors: readonly string[] }): string {
  const { nonce, dev } = options;
  // A malformed NEXT_PUBLIC_BACKEND_WS_URL leaves only live updates off, not every page broken.
  const backend = URL.canParse(options.backendWsUrl) ? ` ${new URL(options.backendWsUrl).origin}` : '';
  const directives = [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? ` 'unsafe-eval'` : ''}`,
    dev ? `style-src 'self' 'unsafe-inline'` : `style-src 'self' 'nonce-${nonce}'`,
    // React renders `style={...}` props as attributes (the member page has a few); they cannot run script.
    `style-src-attr 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self'`,
    `connect-src 'self'${backend}`,
    `object-src 'none'`,
    `base-uri 'none'`,
    `form-action 'self'`,
    `frame-ancestors ${options.frameAncestors.length > 0 ? options.frameAncestors.join(' ') : "'none'"}`,
  ];
  if (options.appUrl.startsWith('https:')) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

/**
 * For how many days a landing page's code is remembered (the program's
 * attribution_cookie_days), or null when it cannot be used now; a database
 * that does not answer remembers nothing.
 */
async function rememberCodeForDays(code: string): Promise<number | null> {
  try {
    const result = await validateReferralCode({ db: await db(), input: code });
    return result.ok ? result.program.attributionCookieDays : null;
  } catch {
    return null;
  }
}

/**
 * Runs before every page (not the API, not static files):
 * - refuses a cross-origin POST (a server action) with 403 `forbidden`, the
 *   same answer as the API, before any action runs (Next.js's own check
 *   aborts such a request with a 500);
 * - sends a strict Content-Security-Policy with a fresh nonce;
 * - limits referral landing pages `/referrals/<code>` per client (429 with
 *   Retry-After);
 * - on a landing page of a code that can be used, remembers the code in a
 *   first-party cookie for 30 days (docs/auth.md, "How attribution survives
 *   sign-in"), so that /onboard can offer the invite to a visitor who signs
 *   up later. The cookie only proposes: /onboard shows who invited the person,
 *   with a way to decline, and applies a code only from the submitted form.
 *   Last click wins: a later landing page replaces the code. HttpOnly,
 *   SameSite=Lax, and Secure when the app is served over https.
 */
export async function proxy(request: NextRequest) {
  const { appUrl, backendWsUrl, nodeEnv, embedAllowedOrigins } = env();
  if (request.method !== 'GET' && request.method !== 'HEAD' && isCrossOrigin(request.headers, appUrl)) {
    return NextResponse.json(
      { error: { code: 'forbidden', message: 'Cross-origin requests are not allowed.' } },
      { status: 403, headers: { 'cache-control': 'no-store' } },
    );
  }

  const pathname = request.nextUrl.pathname;
  let landing: { code: string; days: number } | null = null;
  if (pathname.startsWith('/referrals/')) {
    const segment = pathname.split('/')[2] ?? '';
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      // A broken %-escape makes Next's router fail with a bare 500 after a rewrite: send the browser to the friendly page.
      return NextResponse.redirect(new URL('/referrals/invalid-link', request.url));
    }
    const retryAfter = landingLimiter.hit(clientKey(request.headers));
    if (retryAfter !== null) {
      return new NextResponse('Too many requests. Please try again in a minute.', {
        status: 429,
        headers: { 'retry-after': String(retryAfter), 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
      });
    }
    const parsed = parseReferralInput(decoded);
    // Only a code that exists and still has places is remembered: a made-up or used-up one sets nothing.
    const days = parsed.ok ? await rememberCodeForDays(parsed.referralCode) : null;
    if (parsed.ok && days !== null) landing = { code: parsed.referralCode, days };
  }

  // The embedded portal may be framed by the origins the operator listed (docs/integration.md); every other page by none.
  const embedded = isEmbedPath(pathname);
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const policy = contentSecurityPolicy({
    nonce,
    backendWsUrl,
    appUrl,
    dev: nodeEnv === 'development',
    frameAncestors: embedded ? embedAllowedOrigins : [],
  });
  // Next.js reads the policy from the request to put the nonce on the scripts it renders.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', policy);
  // The layout leaves the site's header out of the portal; only this proxy says so (a client's header is dropped).
  requestHeaders.delete(EMBED_REQUEST_HEADER);
  if (embedded) requestHeaders.set(EMBED_REQUEST_HEADER, '1');
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', policy);

  if (landing) {
    response.cookies.set(REFERRAL_COOKIE_NAME, landing.code, {
      httpOnly: true,
      sameSite: 'lax',
      // Secure whenever the app is served over https (APP_URL), as in production.
      secure: appUrl.startsWith('https:'),
      maxAge: landing.days * 86_400,
      path: '/',
    });
  }
  return response;
}

// Every page; not the API (JSON, and next-auth's own sign-in pages), nor built assets.
export const config = { matcher: ['/((?!api/|_next/static|_next/image|favicon.ico).*)'] };
