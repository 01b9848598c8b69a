import { regenerateReferralCode } from '@app/common';
import { API_OPERATIONS } from '@app/common/api';
import { env } from '@/env';
import { apiRoute, withMember } from '@/server/api-v1';

/** POST /api/v1/members/{externalId}/code: a new code for the member; the old one stops working at once. */
export const POST = apiRoute(API_OPERATIONS.regenerateCode, ({ db, params }) =>
  withMember(db, params.externalId, (userId) => regenerateReferralCode({ db, userId, appUrl: env().appUrl })),
);
