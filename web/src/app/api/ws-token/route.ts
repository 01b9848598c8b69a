import { createWsToken, fail, getUserProfile } from '@app/common';
import { env } from '@/env';
import { route } from '@/server/route';

/** GET /api/ws-token: a short-lived token for the websocket's `init` message. */
export const GET = route({
  auth: 'user',
  handle: async ({ db, userId }) => {
    // A session can outlive its user (JWTs are not revoked): no token for a deleted account.
    if (!(await getUserProfile({ db, userId }))) return fail('unauthenticated');
    const { token, expiresAt } = createWsToken({ userId, secret: env().authSecret });
    return { ok: true, token, expiresAt: expiresAt.toISOString(), url: env().backendWsUrl };
  },
});
