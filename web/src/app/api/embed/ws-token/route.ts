import { createWsToken, fail, getUserProfile, verifyPortalSession } from '@app/common';
import { z } from 'zod';
import { env } from '@/env';
import { route } from '@/server/route';

/** POST /api/embed/ws-token { session }: the embedded portal's websocket token, for the member of its portal session. */
export const POST = route({
  auth: 'public',
  body: z.object({ session: z.string().max(1024) }),
  handle: async ({ db, body }) => {
    const userId = verifyPortalSession(body.session, env().authSecret);
    if (!userId || !(await getUserProfile({ db, userId }))) return fail('unauthenticated');
    const { token, expiresAt } = createWsToken({ userId, secret: env().authSecret });
    return { ok: true, token, expiresAt: expiresAt.toISOString(), url: env().backendWsUrl };
  },
});
