/**
 * The closed set of error codes (docs/http-api.md, "Errors"). The domain returns them, HTTP
 * maps them to statuses, the websocket sends them as `error` messages.
 */
export const ERROR_CODES = [
  'invalid_input',
  'invalid_code',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'code_not_found',
  'already_referred',
  'code_exhausted',
  'self_referral',
  'referral_loop',
  'not_eligible',
  'rate_limited',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const HTTP_STATUS_BY_ERROR_CODE = {
  invalid_input: 400,
  invalid_code: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  code_not_found: 404,
  already_referred: 409,
  code_exhausted: 409,
  self_referral: 422,
  referral_loop: 422,
  not_eligible: 422,
  rate_limited: 429,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

/** Plain-words messages, safe to show to the person who made the request. */
export const ERROR_MESSAGES = {
  invalid_input: 'The request is not in the expected shape.',
  invalid_code: 'That is not a referral code or referral link.',
  unauthenticated: 'Please sign in first.',
  forbidden: 'You are not allowed to do that.',
  not_found: 'There is no such thing here.',
  conflict: 'It changed meanwhile: nothing was done. Look at it again, then try again.',
  code_not_found: 'No one has this referral code. It may have been replaced by a newer one.',
  already_referred: 'You have already been referred by someone.',
  code_exhausted: 'This referral code has been used the maximum number of times.',
  self_referral: 'You cannot use your own referral code.',
  referral_loop: 'You cannot use the code of someone you referred.',
  not_eligible: 'Referral codes can only be used by new accounts.',
  rate_limited: 'Too many attempts. Please try again later.',
  internal: 'Something went wrong on our side. Please try again.',
} as const satisfies Record<ErrorCode, string>;

export interface Failure<C extends ErrorCode = ErrorCode> {
  ok: false;
  code: C;
  message: string;
  /** Only with `rate_limited`: whole seconds until the caller may try again. */
  retryAfterSeconds?: number;
}

export type Success<T extends object> = { ok: true } & T;

/** What every domain operation returns: its data, or one of its error codes. */
export type Result<T extends object, C extends ErrorCode> = Success<T> | Failure<C>;

export function fail<C extends ErrorCode>(
  code: C,
  extra: { message?: string; retryAfterSeconds?: number } = {},
): Failure<C> {
  const failure: Failure<C> = { ok: false, code, message: extra.message ?? ERROR_MESSAGES[code] };
  if (extra.retryAfterSeconds !== undefined) failure.retryAfterSeconds = extra.retryAfterSeconds;
  return failure;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
