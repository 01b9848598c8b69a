import { createPortalSession, redeemEmbedToken } from '@app/common';
import { NextResponse, type NextRequest } from 'next/server';
import { env } from '@/env';
import { db } from '@/server/db';

/**
 * GET /embed?token=…: where the host's iframe starts (docs/integration.md,
 * "The embedded portal"). A valid embed token is used up here and exchanged
 * for a portal session, carried in the portal's URL from then on (no cookie:
 * third-party cookies may be blocked); a used, expired or forged one gets a
 * page that says to reload the host's page.
 */
export async function GET(request: NextRequest) {
  const database = await db();
  const userId = await redeemEmbedToken(database.$client, request.nextUrl.searchParams.get('token'), env().authSecret);
  if (!userId) {
    return new NextResponse(
      '<!doctype html><html lang="en"><meta charset="utf-8"><title>Referrals</title><p>This referral portal link has expired or was already used. Reload the page to open it again.</p></html>',
      { status: 401, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } },
    );
  }
  const { token: session } = createPortalSession({ userId, secret: env().authSecret });
  return NextResponse.redirect(new URL(`/embed/portal?${new URLSearchParams({ session })}`, env().appUrl), {
    status: 303,
    headers: { 'cache-control': 'no-store' },
  });
}
