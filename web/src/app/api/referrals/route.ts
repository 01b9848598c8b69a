import { getReferralSummary, redeemReferralBodySchema, redeemReferralCode } from '@app/common';
import { env } from '@/env';
import { route } from '@/server/route';

/** GET /api/referrals: the signed-in user's code, link, uses, quota and referrals. */
export const GET = route({
  auth: 'user',
  handle: ({ db, userId }) => getReferralSummary({ db, userId, appUrl: env().appUrl }),
});

/** POST /api/referrals { referralCode }: redeem a friend's code or link. */
export const POST = route({
  auth: 'user',
  body: redeemReferralBodySchema,
  handle: ({ db, userId, body }) => redeemReferralCode({ db, userId, input: body.referralCode }),
});
