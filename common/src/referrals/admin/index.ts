// What the operator page (`/admin/referrals`; docs/reviewing-referrals.md,
// "What the page shows") reads: the funnel and totals, top referrers, the
// review queue, recent completions, the audit log, account deletions and the
// webhook deliveries, one file per read model. Each read is one SQL
// statement, so what it returns is one consistent snapshot. These are for
// operators only: they include people's e-mail addresses, which no
// member-facing read does.
export { ADMIN_FUNNEL_DAYS, getReferralFunnel, type FunnelDay, type GetReferralFunnelOptions } from './funnel';
export { getReferralTotals, type GetReferralTotalsOptions, type ReferralTotals } from './totals';
export { getTopReferrers, type GetTopReferrersOptions, type TopReferrer } from './top-referrers';
export { getProgramOverview, refreshProgramOverview, type ProgramOverview } from './program-overview';
export { getReviewQueue, type HeldReferral, type ReviewQueue } from './review-queue';
export { getRecentCompletedReferrals } from './recent-completions';
export type { AdminReferral } from './admin-referral';
export { getRecentDecisions, type DecisionLogEntry } from './decision-log';
export { getRecentAccountDeletions, type AccountDeletionEntry } from './account-deletions';
export { getWebhookDeliverySummary, type FailingWebhookEvent, type WebhookDeliverySummary } from './webhook-deliveries';
export type { AdminPerson } from './people';
export { describeSignals, type AdminSignal } from './signals';
