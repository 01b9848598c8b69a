// Enumeration: GET /api/referrals/validate is public, so it is limited per
// client (VALIDATE_RATE_LIMIT_REQUESTS per VALIDATE_RATE_LIMIT_WINDOW_SECONDS,
// keyed on the last X-Forwarded-For entry, the one the nearest proxy wrote).
// Past the limit a client gets 429 `rate_limited` with Retry-After, and
// learns nothing more, not even for a real code.
import { VALIDATE_RATE_LIMIT_REQUESTS, VALIDATE_RATE_LIMIT_WINDOW_SECONDS } from '@app/common';
import { expect, test } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { expectTypedError, http, member, useDb } from './helpers';

const db = useDb();

function validate(code: string, forwardedFor: string) {
  return http(`/api/referrals/validate?${new URLSearchParams({ code })}`, { headers: { 'x-forwarded-for': forwardedFor } });
}

test(`a client guessing codes gets answers for ${VALIDATE_RATE_LIMIT_REQUESTS} guesses, then 429 with Retry-After, even for a real code`, async () => {
  const real = await member(db, { name: 'Real Referrer' });
  const client = '203.0.113.10';
  for (let i = 0; i < VALIDATE_RATE_LIMIT_REQUESTS; i++) {
    expectTypedError(await validate(`ref-${randomUUID()}`, client), 'code_not_found', `guess ${i + 1}`);
  }
  for (const code of [`ref-${randomUUID()}`, real.user.referralCode, 'not-a-code']) {
    const limited = await validate(code, client);
    expectTypedError(limited, 'rate_limited', code);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(VALIDATE_RATE_LIMIT_WINDOW_SECONDS);
    expect((JSON.parse(limited.text) as { error: { retryAfterSeconds: number } }).error.retryAfterSeconds).toBe(retryAfter);
    expect(limited.text).not.toContain('Real Referrer');
  }
  // Another client is not affected.
  const other = await validate(real.user.referralCode, '203.0.113.11');
  expect(other.status, other.text).toBe(200);
  expect(other.text).toContain('Real Referrer');
});

test('prepending made-up addresses to X-Forwarded-For does not reset the limit (the last entry is the client)', async () => {
  const client = '203.0.113.20';
  for (let i = 0; i < VALIDATE_RATE_LIMIT_REQUESTS; i++) await validate('nope', client);
  for (const forwardedFor of [`198.51.100.1, ${client}`, `198.51.100.2,${client}`, `${randomUUID()}, 198.51.100.3, ${client}`]) {
    expectTypedError(await validate('nope', forwardedFor), 'rate_limited', forwardedFor);
  }
});
