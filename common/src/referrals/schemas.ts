import { z } from 'zod';
import { MAX_REFERRAL_INPUT_LENGTH } from './parse-referral-input';

/**
 * The zod schemas that HTTP routes and websocket actions parse their input
 * with, before calling the domain. Shape errors are `invalid_input`; a string
 * that is not a code or link is the domain's `invalid_code`.
 */
export const referralInputSchema = z.string().max(MAX_REFERRAL_INPUT_LENGTH);

/** `POST /api/referrals` and the `referral/redeem` action. */
export const redeemReferralBodySchema = z.object({ referralCode: referralInputSchema });

/** `GET /api/referrals/validate?code=`. */
export const validateReferralQuerySchema = z.object({ code: referralInputSchema });

export type RedeemReferralBody = z.infer<typeof redeemReferralBodySchema>;
