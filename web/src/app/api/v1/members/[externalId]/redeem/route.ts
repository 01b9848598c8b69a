import { redeemReferralCode } from '@app/common';
import { API_OPERATIONS } from '@app/common/api';
import { apiRoute, withMember } from '@/server/api-v1';

/** POST /api/v1/members/{externalId}/redeem { referralCode }: the same redemption as the app's (docs/referral-rules.md). */
export const POST = apiRoute(API_OPERATIONS.redeem, ({ db, params, body }) =>
  withMember(db, params.externalId, (userId) => redeemReferralCode({ db, userId, input: body.referralCode })),
);
