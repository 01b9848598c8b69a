import { getReferralSummary } from '@app/common';
import { API_OPERATIONS, upsertMember } from '@app/common/api';
import { env } from '@/env';
import { apiRoute, withMember } from '@/server/api-v1';

/** PUT /api/v1/members/{externalId}: make or update a member (docs/integration.md, "Members"). */
export const PUT = apiRoute(API_OPERATIONS.upsertMember, ({ db, params, body }) =>
  upsertMember({ db, externalId: params.externalId, input: body, appUrl: env().appUrl, secret: env().authSecret }),
);

/** GET /api/v1/members/{externalId}: the member's referral summary. */
export const GET = apiRoute(API_OPERATIONS.getMember, async ({ db, params }) => {
  const summary = await withMember(db, params.externalId, (userId) => getReferralSummary({ db, userId, appUrl: env().appUrl }));
  return summary.ok ? { ...summary, externalId: params.externalId } : summary;
});
