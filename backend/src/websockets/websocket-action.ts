import {
  fail,
  redeemReferralCode,
  regenerateReferralCode,
  validateReferralCode,
  type Action,
  type ActionType,
  type ErrorCode,
  type Result,
  type ServerMessage,
} from '@app/common';
import type { Db } from '@app/common/db';
import type { Logger } from '../log';

export interface ActionContext<T extends ActionType = ActionType> {
  db: Db;
  userId: string;
  appUrl: string;
  action: Extract<Action, { type: T }>;
}

type Handler<T extends ActionType> = (context: ActionContext<T>) => Promise<Result<object, ErrorCode>>;

/**
 * One handler per action type (docs/websocket-protocol.md). Handlers only call the domain
 * and shape its result; parsing happened before, mapping happens in runAction.
 */
export const actionHandlers: { [T in ActionType]: Handler<T> } = {
  'referral-code/generate': ({ db, userId, appUrl }) => regenerateReferralCode({ db, userId, appUrl }),
  'referral-code/validate': async ({ db, action }) => {
    const result = await validateReferralCode({ db, input: action.code });
    if (!result.ok) return result;
    return { ok: true, valid: result.valid, referrer: result.referrer, rewards: result.rewards };
  },
  'referral/redeem': ({ db, userId, action }) => redeemReferralCode({ db, userId, input: action.code }),
};

/** Runs one parsed action and answers it: `ack` with the result, or `error` with a code of docs/http-api.md ("Errors"). */
export async function runAction(
  id: string,
  context: Omit<ActionContext, 'action'> & { action: Action },
  log: Logger,
): Promise<ServerMessage> {
  try {
    const handler = actionHandlers[context.action.type] as Handler<ActionType>;
    const result = await handler(context as ActionContext);
    if (result.ok) {
      const { ok: _ok, ...data } = result;
      return { type: 'ack', id, result: data };
    }
    return { type: 'error', id, error: errorBody(result) };
  } catch (error) {
    const requestId = crypto.randomUUID();
    log('error', 'action failed', {
      requestId,
      action: context.action.type,
      error: error instanceof Error ? { message: error.message, stack: error.stack } : String(error),
    });
    return { type: 'error', id, error: errorBody(fail('internal')) };
  }
}

export function errorBody(failure: { code: ErrorCode; message: string; retryAfterSeconds?: number }) {
  return failure.retryAfterSeconds === undefined
    ? { code: failure.code, message: failure.message }
    : { code: failure.code, message: failure.message, retryAfterSeconds: failure.retryAfterSeconds };
}
