import { describe, expect, it } from 'vitest';
import { referralCodeIn, resolveRedirect } from '@/server/auth/redirect';

const BASE = 'http://localhost:3000';
const CODE = 'ref-3f2b8c1e-9a4d-4e6f-8b1a-2c3d4e5f6a7b';

describe('the sign-in redirect callback', () => {
  it.each([
    '//evil.com',
    '//evil.com/referrals',
    '/\\evil.com',
    '/\\/evil.com',
    '\\\\evil.com',
    'https://evil.com',
    'https://evil.com/onboard?referral_code=' + CODE,
    'http://localhost.evil.com',
    'http://localhost:3000.evil.com',
    'http://localhost:3001/referrals',
    'https://localhost:3000/referrals',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'http://user@evil.com',
    'http:evil.com',
    '\t//evil.com',
  ])('keeps %s on the app', (url) => {
    const target = new URL(resolveRedirect(url, BASE));
    expect(target.origin).toBe(BASE);
    expect(target.hostname).not.toContain('evil');
  });

  it.each([
    ['/referrals', `${BASE}/referrals`],
    [`${BASE}/referrals?tab=friends`, `${BASE}/referrals?tab=friends`],
    ['/', `${BASE}/`],
  ])('allows the same-origin target %s', (url, expected) => {
    expect(resolveRedirect(url, BASE)).toBe(expected);
  });

  it.each([
    [`/onboard?referral_code=${CODE}`],
    [`${BASE}/onboard?referral_code=${CODE.toUpperCase()}`],
    [`/referrals/${CODE}`],
    [`${BASE}/referrals/${CODE}`],
    [`/?referral_code=${CODE}`],
  ])('sends a sign-in that started from a referral (%s) to /onboard with the code', (url) => {
    expect(resolveRedirect(url, BASE)).toBe(`${BASE}/onboard?referral_code=${CODE}`);
  });

  it('does not treat a malformed referral code as a referral (no rewrite to /onboard with it)', () => {
    expect(resolveRedirect('/onboard?referral_code=ref-nope', BASE)).toBe(`${BASE}/onboard?referral_code=ref-nope`);
    expect(referralCodeIn(new URL('/onboard?referral_code=ref-nope', BASE))).toBeNull();
    expect(referralCodeIn(new URL('/referrals/not-a-code', BASE))).toBeNull();
    expect(referralCodeIn(new URL('/referrals', BASE))).toBeNull();
  });

  it('never carries a code from a foreign origin', () => {
    expect(resolveRedirect(`https://evil.com/referrals/${CODE}`, BASE)).toBe(`${BASE}/`);
  });
});
