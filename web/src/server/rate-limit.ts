import { LRUCache } from 'lru-cache';

export interface FixedWindowLimiter {
  /** Counts one request; null when allowed, else the whole seconds until the window resets. */
  hit(key: string): number | null;
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
    hit(key) {
      const t = now();
      let window = windows.get(key);
      if (!window || window.resetAt <= t) {
        window = { count: 0, resetAt: t + options.windowSeconds * 1000 };
        windows.set(key, window);
      }
      window.count++;
      return window.count > options.limit ? Math.max(1, Math.ceil((window.resetAt - t) / 1000)) : null;
    },
  };
}

/**
 * The client's address as the nearest proxy saw it: the last entry of
 * X-Forwarded-For (a client can prepend entries, not append them), else
 * X-Real-IP. Next.js fills X-Forwarded-For with the socket's address only when
 * the request has none, so without a proxy in front a client can choose its
 * own key; the global ceiling of the validate route bounds that case, and
 * docs/http-api.md tells operators to run behind a proxy that appends.
 */
export function clientKey(headers: Headers): string {
  const forwarded = headers.get('x-forwarded-for');
  const last = forwarded?.split(',').map((s) => s.trim()).filter(Boolean).at(-1);
  return last ?? headers.get('x-real-ip')?.trim() ?? 'unknown';
}
