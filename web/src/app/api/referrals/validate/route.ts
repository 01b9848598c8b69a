import {
  VALIDATE_RATE_LIMIT_REQUESTS,
  VALIDATE_RATE_LIMIT_WINDOW_SECONDS,
  fail,
  validateReferralCode,
  validateReferralQuerySchema,
} from '@app/common';
import { clientKey, createFixedWindowLimiter } from '@/server/rate-limit';
import { route } from '@/server/route';

const perClient = createFixedWindowLimiter({
  limit: VALIDATE_RATE_LIMIT_REQUESTS,
  windowSeconds: VALIDATE_RATE_LIMIT_WINDOW_SECONDS,
});
/**
 * GET /api/referrals/validate?code=: public; rate-limited per client (the
 * address the web server decided, IPv6 by /64) so codes cannot be
 * enumerated. No bucket is shared between clients: one client emptying it
 * must never lock the others out.
 */
export const GET = route({
  auth: 'public',
  query: validateReferralQuerySchema,
  guard: (request) => {
    const retryAfterSeconds = perClient.hit(clientKey(request.headers));
    return retryAfterSeconds === null ? null : fail('rate_limited', { retryAfterSeconds });
  },
  handle: async ({ db, query }) => {
    const result = await validateReferralCode({ db, input: query.code });
    if (!result.ok) return result;
    return { ok: true, valid: result.valid, referrer: result.referrer, rewards: result.rewards };
  },
});
