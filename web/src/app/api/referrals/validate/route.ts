import {
  VALIDATE_RATE_LIMIT_GLOBAL_REQUESTS,
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
const allClients = createFixedWindowLimiter({
  limit: VALIDATE_RATE_LIMIT_GLOBAL_REQUESTS,
  windowSeconds: VALIDATE_RATE_LIMIT_WINDOW_SECONDS,
  maxClients: 1,
});

/** GET /api/referrals/validate?code=: public; rate-limited per client so codes cannot be enumerated. */
export const GET = route({
  auth: 'public',
  query: validateReferralQuerySchema,
  guard: (request) => {
    const retryAfterSeconds = perClient.hit(clientKey(request.headers)) ?? allClients.hit('all');
    return retryAfterSeconds === null ? null : fail('rate_limited', { retryAfterSeconds });
  },
  handle: async ({ db, query }) => {
    const result = await validateReferralCode({ db, input: query.code });
    if (!result.ok) return result;
    return { ok: true, valid: result.valid, referrer: result.referrer, rewards: result.rewards };
  },
});
