// The operations of the server API (docs/integration.md, "The API"): for each,
// its method, path, scope, schemas and the error codes it can answer. The
// web app's /api/v1 routes are built from these (web/src/server/api-v1.ts) and
// the OpenAPI document is generated from them (./openapi.ts): one list.
import type { z } from 'zod';
import type { ErrorCode } from '../errors';
import type { ApiKeyScope } from './key-scopes';
import {
  conversionResponseSchema,
  embedTokenResponseSchema,
  memberParamsSchema,
  memberSummarySchema,
  pageQuerySchema,
  quotaHistoryResponseSchema,
  redeemBodySchema,
  redeemResponseSchema,
  referralsPageSchema,
  referralsQuerySchema,
  regenerateResponseSchema,
  upsertMemberBodySchema,
  upsertMemberResponseSchema,
} from './schemas';

export interface ApiOperation {
  method: 'get' | 'put' | 'post';
  /** Under /api/v1, OpenAPI style (`/members/{externalId}`). */
  path: string;
  scope: ApiKeyScope;
  summary: string;
  description: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response: z.ZodType;
  /** The error codes of this operation besides the ones every operation has (API_COMMON_ERRORS). */
  errors: readonly ErrorCode[];
}

/** What any operation may answer: a bad request, key or limit, or our failure. */
export const API_COMMON_ERRORS = ['invalid_input', 'unauthenticated', 'forbidden', 'rate_limited', 'internal'] as const satisfies readonly ErrorCode[];

/** What a POST may answer besides: its Idempotency-Key used for another request, or still running. */
export const API_IDEMPOTENCY_ERRORS = ['conflict'] as const satisfies readonly ErrorCode[];

const operation = <T extends ApiOperation>(op: T) => op;

export const API_OPERATIONS = {
  upsertMember: operation({
    method: 'put',
    path: '/members/{externalId}',
    scope: 'write',
    summary: 'Create or update a member',
    description:
      'Makes the person known by your id, or updates their e-mail and name. Send `client` when they sign up or sign in: where they came from is what the fraud signals compare.',
    params: memberParamsSchema,
    body: upsertMemberBodySchema,
    response: upsertMemberResponseSchema,
    errors: ['conflict'],
  }),
  getMember: operation({
    method: 'get',
    path: '/members/{externalId}',
    scope: 'read',
    summary: "A member's referral summary",
    description: 'Their code and link, places left under the cap, quota, who referred them, and everyone they referred with status and reason.',
    params: memberParamsSchema,
    response: memberSummarySchema,
    errors: ['not_found'],
  }),
  redeem: operation({
    method: 'post',
    path: '/members/{externalId}/redeem',
    scope: 'write',
    summary: 'Redeem a code for a member',
    description: 'Exactly what a member entering a code in the app does (docs/referral-rules.md): the same checks, the same cap, the same answers.',
    params: memberParamsSchema,
    body: redeemBodySchema,
    response: redeemResponseSchema,
    errors: ['not_found', 'invalid_code', 'code_not_found', 'already_referred', 'code_exhausted', 'self_referral', 'referral_loop', 'not_eligible'],
  }),
  recordConversion: operation({
    method: 'post',
    path: '/members/{externalId}/conversion',
    scope: 'write',
    summary: "Record a member's conversion",
    description:
      "What finishing onboarding does in the app: their pending referral is scored, then completed (both rewards, once) or held for review. Calling it again changes nothing.",
    params: memberParamsSchema,
    response: conversionResponseSchema,
    errors: ['not_found'],
  }),
  regenerateCode: operation({
    method: 'post',
    path: '/members/{externalId}/code',
    scope: 'write',
    summary: "Give a member a new code",
    description: 'The old code stops working at once; the program limits how many per UTC day (then 429 with Retry-After).',
    params: memberParamsSchema,
    response: regenerateResponseSchema,
    errors: ['not_found'],
  }),
  createEmbedToken: operation({
    method: 'post',
    path: '/members/{externalId}/embed-token',
    scope: 'write',
    summary: "Open the member's portal",
    description:
      "A short-lived, single-use token for the embedded member portal of this member, and the portal's URL with it: put it in an iframe on your page (docs/integration.md, \"The embedded portal\"). Mint a new one each time you render the page.",
    params: memberParamsSchema,
    response: embedTokenResponseSchema,
    errors: ['not_found'],
  }),
  quotaHistory: operation({
    method: 'get',
    path: '/members/{externalId}/quota-history',
    scope: 'read',
    summary: "A member's quota history",
    description: 'Every quota ledger row of the member, newest first, with its grant id.',
    params: memberParamsSchema,
    query: pageQuerySchema,
    response: quotaHistoryResponseSchema,
    errors: ['not_found'],
  }),
  listReferrals: operation({
    method: 'get',
    path: '/referrals',
    scope: 'read',
    summary: "The program's referrals",
    description: 'Every referral, newest first, as webhooks describe them (both people with their externalId, status, reason, score, signals, grants).',
    query: referralsQuerySchema,
    response: referralsPageSchema,
    errors: [],
  }),
} satisfies Record<string, ApiOperation>;

export type ApiOperationName = keyof typeof API_OPERATIONS;

/** Every error code an operation can answer. */
export function operationErrors(op: ApiOperation): ErrorCode[] {
  return [...new Set<ErrorCode>([...API_COMMON_ERRORS, ...(op.method === 'post' ? API_IDEMPOTENCY_ERRORS : []), ...op.errors])];
}
