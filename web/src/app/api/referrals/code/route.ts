import { regenerateReferralCode } from '@app/common';
import { env } from '@/env';
import { route } from '@/server/route';

/** POST /api/referrals/code: a fresh code (the program's regenerations per UTC day); the old one stops working at once. */
export const POST = route({
  auth: 'user',
  handle: ({ db, userId }) => regenerateReferralCode({ db, userId, appUrl: env().appUrl }),
});
