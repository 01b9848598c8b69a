import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_MESSAGES, HTTP_STATUS_BY_ERROR_CODE, fail, isErrorCode } from '../src/errors';

describe('error codes', () => {
  it('maps every code of docs/http-api.md to its HTTP status', () => {
    expect(HTTP_STATUS_BY_ERROR_CODE).toEqual({
      invalid_input: 400,
      invalid_code: 400,
      unauthenticated: 401,
      forbidden: 403,
      code_not_found: 404,
      not_found: 404,
      already_referred: 409,
      conflict: 409,
      code_exhausted: 409,
      self_referral: 422,
      referral_loop: 422,
      not_eligible: 422,
      rate_limited: 429,
      internal: 500,
    });
  });

  it('has a human sentence for every code', () => {
    for (const code of ERROR_CODES) expect(ERROR_MESSAGES[code]).toMatch(/^[A-Z].*\.$/);
  });

  it('builds failures with the default message and retry seconds', () => {
    expect(fail('rate_limited', { retryAfterSeconds: 12 })).toEqual({
      ok: false,
      code: 'rate_limited',
      message: ERROR_MESSAGES.rate_limited,
      retryAfterSeconds: 12,
    });
    expect(fail('code_not_found')).not.toHaveProperty('retryAfterSeconds');
  });

  it('recognises only the closed set', () => {
    expect(isErrorCode('code_exhausted')).toBe(true);
    expect(isErrorCode('teapot')).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
  });
});
