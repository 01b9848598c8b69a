import { getQuotaHistory, getReferralSummary, isErrorCode, verifyPortalSession } from '@app/common';
import type { Metadata } from 'next';
import { MEMBER_NOTICES, MemberView } from '@/components/member-view';
import { env } from '@/env';
import { db } from '@/server/db';
import { portalRedeem, portalRegenerate } from './actions';

export const metadata: Metadata = { title: 'Your referrals' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * The embedded member portal (docs/integration.md, "The embedded portal"):
 * what /referrals shows, for the member of the portal session in the URL,
 * framed by the host's page (only the origins of EMBED_ALLOWED_ORIGINS may).
 */
export default async function PortalPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const session = typeof params.session === 'string' ? params.session : '';
  const userId = verifyPortalSession(session, env().authSecret);
  const database = await db();
  const [summary, history] = userId
    ? await Promise.all([getReferralSummary({ db: database, userId, appUrl: env().appUrl }), getQuotaHistory({ db: database, userId })])
    : [null, []];
  if (!summary?.ok) {
    return (
      <section className="card" data-testid="portal-expired">
        <h1>Your referrals</h1>
        <p>This view has expired. Reload the page to see your referrals again.</p>
      </section>
    );
  }
  return (
    <MemberView
      summary={summary}
      history={history}
      redeemAction={portalRedeem}
      regenerateAction={portalRegenerate}
      hidden={{ session }}
      portalSession={session}
      error={typeof params.error === 'string' && isErrorCode(params.error) ? params.error : null}
      retry={Number(params.retry)}
      notice={typeof params.notice === 'string' ? MEMBER_NOTICES[params.notice] : undefined}
      problem={undefined}
      invite={typeof params.invite === 'string' ? params.invite : ''}
    />
  );
}
