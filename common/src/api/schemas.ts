// The server API's shapes (docs/integration.md, "The API"): the zod schemas
// that validate every request of /api/v1 and describe every answer. The
// OpenAPI document (./openapi.ts) is generated from these, never written by
// hand, and the contract test checks real answers against it.
import { z } from 'zod';
import 'zod-openapi';
import { API_PAGE_DEFAULT, API_PAGE_MAX } from '../constants';
import { referralStatus, quotaGrantReason } from '../db/schema';
import { ERROR_CODES } from '../errors';
import { redeemReferralBodySchema } from '../referrals/schemas';
import { REFERRAL_STATUS_REASONS } from '../referrals/vocabulary';

const dateTime = z.iso.datetime({ offset: true });
const nullableDateTime = dateTime.nullable();

/** The host product's own id of a person: what every member route is keyed by. */
export const externalIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._~:@+=|-]{1,200}$/, {
    error: 'An externalId is 1 to 200 letters, digits or . _ ~ : @ + = | -',
  })
  .meta({ description: "Your product's id of this person (letters, digits and . _ ~ : @ + = | -, at most 200).", example: 'user_42' });

export const memberParamsSchema = z.object({ externalId: externalIdSchema });

/** Where the member's browser was, as the host's server saw it: the fraud signals compare these (docs/security.md). */
const clientSchema = z
  .object({
    ip: z.union([z.ipv4(), z.ipv6()]).optional().meta({ description: "The member's IP address (the TCP peer or what your own trusted proxy wrote)." }),
    userAgent: z.string().max(1000).optional().meta({ description: "The member's User-Agent header." }),
  })
  .meta({ id: 'Client' });

export const upsertMemberBodySchema = z
  .object({
    email: z.email().max(320).nullable().optional().meta({ description: 'Verified by your product. Omitted: kept as it is.' }),
    name: z.string().trim().max(100).nullable().optional().meta({ description: 'The display name other members see. Omitted: kept as it is.' }),
    client: clientSchema
      .optional()
      .meta({ description: 'Send it when the member signs up or signs in: without it, a referral of theirs is held for review (missing_address).' }),
  })
  .meta({ id: 'UpsertMember' });

export const redeemBodySchema = redeemReferralBodySchema.meta({ id: 'Redeem' });

const cursorSchema = z.string().max(500).optional().meta({ description: 'The `nextCursor` of the page before; omitted for the first page.' });
const limitSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(API_PAGE_MAX)
  .default(API_PAGE_DEFAULT)
  .meta({ description: `Items per page, 1 to ${API_PAGE_MAX} (${API_PAGE_DEFAULT} when omitted).` });

export const pageQuerySchema = z.object({ cursor: cursorSchema, limit: limitSchema });

export const referralsQuerySchema = z.object({
  status: z.enum(referralStatus.enumValues).optional().meta({ description: 'Only referrals in this status.' }),
  cursor: cursorSchema,
  limit: limitSchema,
});

export const memberSchema = z
  .object({
    id: z.string().meta({ description: 'Our id of the person (`referrerId` and `referredId` in webhooks).' }),
    externalId: externalIdSchema,
    email: z.string().nullable(),
    name: z.string().nullable(),
    quota: z.number().int(),
    referralCode: z.string(),
    referralLink: z.string(),
    onboardedAt: nullableDateTime.meta({ description: 'When their conversion was recorded; null before.' }),
    createdAt: dateTime,
  })
  .meta({ id: 'Member' });

export const upsertMemberResponseSchema = z.object({ member: memberSchema, created: z.boolean() }).meta({ id: 'UpsertMemberResult' });

const statusReasonSchema = z.enum(REFERRAL_STATUS_REASONS).nullable();

export const memberSummarySchema = z
  .object({
    externalId: externalIdSchema,
    referralCode: z.string(),
    referralLink: z.string(),
    maxReferrals: z.number().int(),
    usedReferrals: z.number().int(),
    remainingReferrals: z.number().int(),
    quota: z.number().int(),
    rewards: z.object({ referrer: z.number().int(), referred: z.number().int() }),
    programVersion: z.number().int(),
    referredBy: z.object({ name: z.string(), status: z.enum(referralStatus.enumValues), statusReason: statusReasonSchema }).nullable(),
    canRedeem: z.boolean(),
    regenerationsLeftToday: z.number().int(),
    referrals: z.array(
      z.object({
        name: z.string(),
        status: z.enum(referralStatus.enumValues),
        statusReason: statusReasonSchema,
        createdAt: dateTime,
        completedAt: nullableDateTime,
      }),
    ),
  })
  .meta({ id: 'MemberSummary' });

export const redeemResponseSchema = z
  .object({ status: z.enum(referralStatus.enumValues), quota: z.number().int(), referrer: z.object({ name: z.string() }) })
  .meta({ id: 'RedeemResult' });

export const conversionResponseSchema = z
  .object({
    onboardedAt: dateTime,
    quota: z.number().int(),
    referral: z
      .object({ status: z.enum(referralStatus.enumValues), referrer: z.object({ name: z.string() }), rewardGranted: z.boolean() })
      .nullable(),
  })
  .meta({ id: 'ConversionResult' });

export const regenerateResponseSchema = z
  .object({ referralCode: z.string(), referralLink: z.string(), regenerationsLeftToday: z.number().int() })
  .meta({ id: 'RegenerateResult' });

export const quotaHistoryResponseSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string().meta({ description: 'The grant id: apply each one once.' }),
        amount: z.number().int(),
        reason: z.enum(quotaGrantReason.enumValues),
        description: z.string(),
        referralId: z.string().nullable(),
        createdAt: dateTime,
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'QuotaHistoryPage' });

export const embedTokenResponseSchema = z
  .object({
    token: z.string().meta({ description: 'Good for one use, until `expiresAt`.' }),
    expiresAt: dateTime,
    url: z.string().meta({ description: "The portal's address with the token: the `src` of your iframe." }),
  })
  .meta({ id: 'EmbedToken' });

/** One referral as webhooks and the API describe it: the `referral_json` database function. */
export const referralSchema = z
  .object({
    id: z.string(),
    referrerId: z.string(),
    referredId: z.string(),
    referrerExternalId: z.string().nullable(),
    referredExternalId: z.string().nullable(),
    status: z.enum(referralStatus.enumValues),
    riskScore: z.number().int(),
    signals: z.array(z.string()),
    statusReason: statusReasonSchema,
    createdAt: dateTime,
    completedAt: nullableDateTime,
    grants: z.array(
      z.object({
        id: z.string(),
        userId: z.string(),
        externalId: z.string().nullable(),
        amount: z.number().int(),
        reason: z.enum(quotaGrantReason.enumValues),
        createdAt: dateTime,
      }),
    ),
  })
  .meta({ id: 'Referral' });

export const referralsPageSchema = z.object({ items: z.array(referralSchema), nextCursor: z.string().nullable() }).meta({ id: 'ReferralsPage' });

/** Every error of the API (docs/http-api.md, "Errors"). */
export function errorBodySchema(codes: readonly (typeof ERROR_CODES)[number][] = ERROR_CODES) {
  return z.object({
    error: z.object({
      code: z.enum(codes as [(typeof ERROR_CODES)[number], ...(typeof ERROR_CODES)[number][]]),
      message: z.string(),
      retryAfterSeconds: z.number().int().optional(),
      requestId: z.string().optional(),
    }),
  });
}
