import {
  ADMIN_FUNNEL_DAYS,
  ERROR_MESSAGES,
  getProgram,
  getProgramOverview,
  getRecentAccountDeletions,
  getRecentCompletedReferrals,
  getRecentDecisions,
  getReferralFunnel,
  getReviewQueue,
  getWebhookDeliverySummary,
  refreshProgramOverview,
  isErrorCode,
} from '@app/common';
import type { Metadata } from 'next';
import Link from 'next/link';
import { after } from 'next/server';
import { currentAdmin, requireAdmin } from '@/server/admin';
import { db } from '@/server/db';
import { AccountDeletionSection } from './sections/account-deletion';
import { AuditLogSection } from './sections/audit-log';
import { FunnelSection } from './sections/funnel';
import { OverviewSection } from './sections/overview';
import { RecentCompletionsSection } from './sections/recent-completions';
import { ReviewQueueSection } from './sections/review-queue';
import { ERRORS, NOTICES } from './sections/shared';
import { TopReferrersSection } from './sections/top-referrers';
import { WebhooksSection } from './sections/webhooks';
import './admin.css';

// Only an operator's page has a title: anyone else gets the plain 404 page, which must not hint at this one.
export async function generateMetadata(): Promise<Metadata> {
  return (await currentAdmin()) ? { title: 'Referral operations', robots: { index: false, follow: false } } : {};
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AdminReferralsPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requireAdmin();
  const params = await searchParams;
  const database = await db();
  const [program, overview, funnel, queue, completed, decisions, webhooks, deletions] = await Promise.all([
    getProgram({ db: database }),
    getProgramOverview({ db: database }),
    getReferralFunnel({ db: database, days: ADMIN_FUNNEL_DAYS }),
    getReviewQueue({ db: database, limit: 50 }),
    getRecentCompletedReferrals({ db: database, limit: 20 }),
    getRecentDecisions({ db: database, limit: 25 }),
    getWebhookDeliverySummary({ db: database, limit: 10 }),
    getRecentAccountDeletions({ db: database, limit: 10 }),
  ]);
  // The all-time figures are a snapshot: once it is old, it is recounted after this page is sent.
  if (overview.stale) after(() => refreshProgramOverview({ db: database }).then(() => undefined, () => undefined));

  const notice = typeof params.notice === 'string' ? NOTICES[params.notice] : undefined;
  const errorKey = typeof params.error === 'string' ? params.error : '';
  const error = ERRORS[errorKey] ?? (isErrorCode(errorKey) ? ERROR_MESSAGES[errorKey] : undefined);

  return (
    <div className="admin">
      <h1>Referral operations</h1>
      <p className="muted">
        Signed in as {admin.email}. Times are UTC. Every decision here is recorded in the audit log with your address and
        reason.
      </p>
      <p>
        <Link href="/admin/api-keys">API keys</Link> · <Link href="/admin/program">Program settings</Link>{' '}
        <span className="muted">
          (version {program.version}: +{program.rewardReferrer} / +{program.rewardReferred}, at most {program.maxReferralsPerReferrer}{' '}
          referrals each, review at {program.fraudThreshold} points)
        </span>
      </p>
      {notice && (
        <p className="notice ok" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p className="notice bad" role="alert">
          {error}
        </p>
      )}
      <OverviewSection overview={overview} />
      <FunnelSection days={funnel} />
      <ReviewQueueSection queue={queue} threshold={program.fraudThreshold} />
      <TopReferrersSection top={overview.topReferrers} />
      <RecentCompletionsSection completed={completed} />
      <AuditLogSection decisions={decisions} />
      <AccountDeletionSection deletions={deletions} />
      <WebhooksSection webhooks={webhooks} />
    </div>
  );
}
