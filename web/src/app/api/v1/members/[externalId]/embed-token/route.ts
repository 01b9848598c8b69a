import { createEmbedToken } from '@app/common';
import { API_OPERATIONS } from '@app/common/api';
import { env } from '@/env';
import { apiRoute, withMember } from '@/server/api-v1';

/** POST /api/v1/members/{externalId}/embed-token: a one-use token and the URL of the member's embedded portal. */
export const POST = apiRoute(API_OPERATIONS.createEmbedToken, ({ db, params }) =>
  withMember(db, params.externalId, async (userId) => {
    const { token, expiresAt } = createEmbedToken({ userId, secret: env().authSecret });
    return { ok: true, token, expiresAt: expiresAt.toISOString(), url: `${env().appUrl}/embed?${new URLSearchParams({ token })}` };
  }),
);
