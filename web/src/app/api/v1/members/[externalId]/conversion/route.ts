import { completeOnboarding } from '@app/common';
import { API_OPERATIONS } from '@app/common/api';
import { apiRoute, withMember } from '@/server/api-v1';

/** POST /api/v1/members/{externalId}/conversion: what finishing onboarding does in the app (docs/integration.md, "Conversions"). */
export const POST = apiRoute(API_OPERATIONS.recordConversion, ({ db, params }) =>
  withMember(db, params.externalId, (userId) => completeOnboarding({ db, userId })),
);
