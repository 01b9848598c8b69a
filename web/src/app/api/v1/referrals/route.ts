import { API_OPERATIONS, listReferrals } from '@app/common/api';
import { apiRoute } from '@/server/api-v1';

/** GET /api/v1/referrals: the program's referrals, newest first, as webhooks describe them. */
export const GET = apiRoute(API_OPERATIONS.listReferrals, ({ db, query }) =>
  listReferrals({ db, status: query.status, limit: query.limit, cursor: query.cursor }),
);
