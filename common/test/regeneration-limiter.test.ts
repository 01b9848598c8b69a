import { describe, expect, it } from 'vitest';
import { REFERRAL_CODE_REGENERATIONS_PER_DAY } from '../src/constants';
import { createRegenerationLimiter, secondsUntilNextUtcDay } from '../src/referrals/regeneration-limiter';

describe('regeneration limiter', () => {
  it('counts seconds to the next UTC midnight', () => {
    expect(secondsUntilNextUtcDay(new Date('2026-11-26T23:59:30Z'))).toBe(30);
    expect(secondsUntilNextUtcDay(new Date('2026-11-26T00:00:00Z'))).toBe(86_400);
    expect(secondsUntilNextUtcDay(new Date('2026-11-26T23:59:59.900Z'))).toBe(1);
  });

  it('allows the daily number, then refuses until the next UTC day', () => {
    let now = new Date('2026-11-26T22:00:00Z');
    const limiter = createRegenerationLimiter({ now: () => now });
    for (let i = 0; i < REFERRAL_CODE_REGENERATIONS_PER_DAY; i++) expect(limiter.take('u1').ok).toBe(true);
    expect(limiter.remaining('u1')).toBe(0);
    expect(limiter.take('u1')).toEqual({ ok: false, retryAfterSeconds: 2 * 60 * 60 });
    expect(limiter.take('u2').ok).toBe(true);
    now = new Date('2026-11-27T00:00:01Z');
    expect(limiter.remaining('u1')).toBe(REFERRAL_CODE_REGENERATIONS_PER_DAY);
    expect(limiter.take('u1').ok).toBe(true);
  });

  it('gives a slot back once when released', () => {
    const limiter = createRegenerationLimiter({ now: () => new Date('2026-11-26T12:00:00Z') });
    const slot = limiter.take('u1');
    if (!slot.ok) throw new Error('expected a slot');
    expect(limiter.remaining('u1')).toBe(REFERRAL_CODE_REGENERATIONS_PER_DAY - 1);
    slot.release();
    slot.release();
    expect(limiter.remaining('u1')).toBe(REFERRAL_CODE_REGENERATIONS_PER_DAY);
  });
});
