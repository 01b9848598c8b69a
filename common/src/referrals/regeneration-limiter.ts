import { LRUCache } from 'lru-cache';
import { REFERRAL_CODE_REGENERATIONS_PER_DAY, REGENERATION_COUNTER_MAX_USERS } from '../constants';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RegenerationLimiterOptions {
  /** The clock; tests inject one. */
  now?: () => Date;
  perDay?: number;
  maxUsers?: number;
}

export interface RegenerationLimiter {
  /** How many regenerations the user has left in the current UTC day. */
  remaining(userId: string): number;
  /**
   * Takes one of today's regenerations. Returns a `release` that gives it back
   * (when the regeneration then fails), or the seconds until the next UTC day.
   */
  take(userId: string): { ok: true; release: () => void } | { ok: false; retryAfterSeconds: number };
}

function utcDay(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS);
}

/** Whole seconds from `date` to the next UTC midnight (at least 1). */
export function secondsUntilNextUtcDay(date: Date): number {
  const nextMidnight = (utcDay(date) + 1) * DAY_MS;
  return Math.max(1, Math.ceil((nextMidnight - date.getTime()) / 1000));
}

/**
 * The per-process regeneration counter of DESIGN.md §4: counts per user and
 * UTC day in an lru-cache whose entries expire at the end of their day, so it
 * clears itself and never grows past `maxUsers`. Per process by design: N
 * processes allow up to N x the limit (docs/operations.md says so).
 */
export function createRegenerationLimiter(options: RegenerationLimiterOptions = {}): RegenerationLimiter {
  const now = options.now ?? (() => new Date());
  const perDay = options.perDay ?? REFERRAL_CODE_REGENERATIONS_PER_DAY;
  const counts = new LRUCache<string, number>({ max: options.maxUsers ?? REGENERATION_COUNTER_MAX_USERS });
  // The day is part of the key, so a new UTC day starts at zero whatever the cache's own clock says.
  const keyFor = (userId: string, date: Date) => `${utcDay(date)}:${userId}`;

  return {
    remaining(userId) {
      return Math.max(0, perDay - (counts.get(keyFor(userId, now())) ?? 0));
    },
    take(userId) {
      const date = now();
      const key = keyFor(userId, date);
      const used = counts.get(key) ?? 0;
      if (used >= perDay) return { ok: false, retryAfterSeconds: secondsUntilNextUtcDay(date) };
      const ttl = secondsUntilNextUtcDay(date) * 1000;
      counts.set(key, used + 1, { ttl });
      let released = false;
      return {
        ok: true,
        release: () => {
          if (released) return;
          released = true;
          const current = counts.get(key);
          if (current) counts.set(key, current - 1, { ttl });
        },
      };
    },
  };
}

/** The limiter of this process, shared by every caller that does not pass its own. */
export const defaultRegenerationLimiter: RegenerationLimiter = createRegenerationLimiter();
