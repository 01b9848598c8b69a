import { z } from 'zod';
import { ERROR_CODES } from '../errors';
import { referralInputSchema } from '../referrals/schemas';

/**
 * The websocket protocol (docs/websocket-protocol.md), parsed
 * by the backend and by clients (the web page) with the same schemas.
 */

export const actionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('referral-code/generate') }),
  z.object({ type: z.literal('referral-code/validate'), code: referralInputSchema }),
  z.object({ type: z.literal('referral/redeem'), code: referralInputSchema }),
]);
export type Action = z.infer<typeof actionSchema>;
export type ActionType = Action['type'];

/** A client's message id: tied to the answer. */
export const messageIdSchema = z.string().min(1).max(100);

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), token: z.string().max(2048) }),
  z.object({ type: z.literal('action'), id: messageIdSchema, action: actionSchema }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

const errorBodySchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  retryAfterSeconds: z.number().optional(),
});

export const referralUpdateSchema = z.object({
  /** The referred person's display name (never an e-mail or id). */
  name: z.string(),
  status: z.enum(['pending', 'held', 'completed', 'rejected']),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('ack'), id: messageIdSchema, result: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('error'), id: messageIdSchema.nullable(), error: errorBodySchema }),
  z.object({ type: z.literal('quota-updated'), quota: z.number().int() }),
  z.object({ type: z.literal('referral-updated'), referral: referralUpdateSchema }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

/** What a referral change announced on REFERRAL_EVENTS_CHANNEL carries (migration 0001). */
export const referralEventSchema = z.object({
  referral: z.object({
    referrerId: z.string(),
    referredId: z.string(),
    referredName: z.string().nullable(),
    status: z.enum(['pending', 'held', 'completed', 'rejected']),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
  }),
  quotas: z.array(z.object({ userId: z.string(), quota: z.number().int() })),
});
export type ReferralEvent = z.infer<typeof referralEventSchema>;

/** One NOTIFY payload: the changes announced together, in order. */
export const referralEventBatchSchema = z.array(referralEventSchema).max(1000);

/** Websocket close codes of the protocol. */
export const CLOSE_CODES = {
  /** Going away: the server is shutting down. */
  shutdown: 1001,
  /** Policy violation: the connection kept flooding after being rate-limited. */
  flood: 1008,
  /** Message too big (over maxPayload). */
  tooBig: 1009,
  /** Missing, bad or expired token; or no init in time. */
  unauthenticated: 4401,
} as const;
