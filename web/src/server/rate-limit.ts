import { rateLimitKeyOf } from '@app/common/net';
import { LRUCache } from 'lru-cache';
import { clientAddress } from './client-address';

export interface FixedWindowLimiter {
  /**
   * Counts one request; null when allowed, else the whole seconds until the
   * window resets. `limit` overrides the limiter's own (an API key's limit).
   */
  hit(key: string, limit?: number): number | null;
}

/**
 * A per-process fixed-window counter in an lru-cache (bounded memory: the
 * least recently seen clients are forgotten first).
 */
export function createFixedWindowLimiter(options: {
  limit: number;
  windowSeconds: number;
  maxClients?: number;
  now?: () => number;
}): FixedWindowLimiter {
  const now = options.now ?? Date.now;
  const windows = new LRUCache<string, { count: number; resetAt: number }>({ max: options.maxClients ?? 50_000 });
  return {
    hit(key, limit = options.limit) {
      const t = now();
      let window = windows.get(key);
      if (!window || window.resetAt <= t) {
        window = { count: 0, resetAt: t + options.windowSeconds * 1000 };
        windows.set(key, window);
      }
      window.count++;
      return window.count > limit ? Math.max(1, Math.ceil((window.resetAt - t) / 1000)) : null;
    },
  };
}

/**
 * The key of a per-client limit for a request: the client's address as the
 * web server decided it (src/server/client-address.ts), IPv6 by its /64.
 */
export function clientKey(headers: Headers): string {
  return rateLimitKeyOf(clientAddress(headers));
}
