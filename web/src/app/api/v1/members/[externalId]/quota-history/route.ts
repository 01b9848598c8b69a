import { API_OPERATIONS, getMemberQuotaHistory } from '@app/common/api';
import { apiRoute, withMember } from '@/server/api-v1';

/** GET /api/v1/members/{externalId}/quota-history: the member's ledger rows with their grant ids, a page at a time. */
export const GET = apiRoute(API_OPERATIONS.quotaHistory, ({ db, params, query }) =>
  withMember(db, params.externalId, (userId) => getMemberQuotaHistory({ db, userId, limit: query.limit, cursor: query.cursor })),
);
