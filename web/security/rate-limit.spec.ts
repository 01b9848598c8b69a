// Enumeration: GET /api/referrals/validate and the landing pages are public,
// so they are limited per client (VALIDATE_RATE_LIMIT_* and LANDING_RATE_LIMIT_*),
// keyed on the client's address as the web server decided it (here: the
// entry the one trusted proxy wrote, e2e/run.ts), IPv6 by its /64. Past the
// limit a client gets 429 with Retry-After, and learns nothing more, not even
// for a real code. No bucket is shared between clients: nobody can empty one
// to lock everyone else out.
import {
  LANDING_RATE_LIMIT_REQUESTS,
  VALIDATE_RATE_LIMIT_REQUESTS,
  VALIDATE_RATE_LIMIT_WINDOW_SECONDS,
} from '@app/common';
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

test('an IPv6 client is one client for its whole /64: changing the last 64 bits does not reset the limit', async () => {
  const prefix = '2001:db8:5:6';
  for (let i = 0; i < VALIDATE_RATE_LIMIT_REQUESTS; i++) {
    expectTypedError(await validate('nope', `${prefix}::${(i + 1).toString(16)}`), 'invalid_code', `request ${i + 1}`);
  }
  expectTypedError(await validate('nope', `${prefix}:ffff:ffff:ffff:ffff`), 'rate_limited');
  // The next /64 is another client.
  expectTypedError(await validate('nope', '2001:db8:5:7::1'), 'invalid_code');
});

test('30 clients who used up their limits lock nobody else out (no shared ceiling)', async () => {
  const real = await member(db, { name: 'Still Reachable' });
  for (let c = 0; c < 30; c++) {
    const client = `203.0.${113 - (c % 2)}.${100 + c}`;
    for (let i = 0; i <= VALIDATE_RATE_LIMIT_REQUESTS; i++) await validate(`ref-${randomUUID()}`, client);
    expectTypedError(await validate('nope', client), 'rate_limited', client);
  }
  const visitor = await validate(real.user.referralCode, '192.0.2.200');
  expect(visitor.status, visitor.text).toBe(200);
  expect(visitor.text).toContain('Still Reachable');
});

test(`a landing page answers one client ${LANDING_RATE_LIMIT_REQUESTS} times a minute, then 429 with Retry-After; others are not affected`, async () => {
  const referrer = await member(db, { name: 'Popular Referrer' });
  const path = `/referrals/${referrer.user.referralCode}`;
  const client = '203.0.113.250';
  for (let i = 0; i < LANDING_RATE_LIMIT_REQUESTS; i++) {
    const page = await http(path, { headers: { 'x-forwarded-for': client } });
    expect(page.status, `visit ${i + 1}`).toBe(200);
  }
  const limited = await http(path, { headers: { 'x-forwarded-for': client } });
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(limited.text).not.toContain('Popular Referrer');
  expect((await http(path, { headers: { 'x-forwarded-for': '203.0.113.251' } })).status).toBe(200);
});
