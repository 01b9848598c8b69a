import { createWsToken } from '@app/common';
import { env } from '@/env';
import { route } from '@/server/route';

/** GET /api/ws-token: a short-lived token for the websocket's `init` message. */
export const GET = route({
  auth: 'user',
  handle: async ({ userId }) => {
    const { token, expiresAt } = createWsToken({ userId, secret: env().authSecret });
    return { ok: true, token, expiresAt: expiresAt.toISOString(), url: env().backendWsUrl };
  },
});
