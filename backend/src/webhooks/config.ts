import { createHash } from 'node:crypto';
import { signingKey } from './signature';

/** The webhook settings of the backend (docs/webhooks.md, "Operator settings"). */
export interface WebhookSettings {
  endpoints: WebhookEndpoint[];
  /** WEBHOOK_SECRET as given (whsec_<base64> or plain text); see signingKey. */
  secret: string;
  pollIntervalMs: number;
  /** How many events one process claims at once, and at most sends at the same time. */
  batchSize: number;
  /** Attempts per event, the first included; then the event is `failed`. */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Per HTTP request, connection to the end of the response. */
  timeoutMs: number;
  /**
   * How long a claimed event stays invisible to the other processes: longer
   * than one delivery can take (all endpoints are called at once, each bounded
   * by timeoutMs), so only a process that died mid-delivery lets it expire.
   */
  leaseMs: number;
}

export interface WebhookEndpoint {
  url: string;
  /**
   * What the outbox stores for "this endpoint accepted the event"
   * (`webhook_event.delivered_to`): the first 16 hex digits of the URL's
   * SHA-256. Webhook URLs often carry a token, so they are not stored.
   */
  key: string;
  /** For logs and last_error: the origin only, never the path or query that may hold a token. */
  label: string;
}

export function webhookEndpoint(url: string): WebhookEndpoint {
  return {
    url,
    key: createHash('sha256').update(url).digest('hex').slice(0, 16),
    label: new URL(url).origin,
  };
}

interface WebhookVariables {
  WEBHOOK_URLS?: string | undefined;
  WEBHOOK_SECRET?: string | undefined;
  WEBHOOK_POLL_INTERVAL_MS: number;
  WEBHOOK_BATCH_SIZE: number;
  WEBHOOK_MAX_ATTEMPTS: number;
  WEBHOOK_BACKOFF_BASE_MS: number;
  WEBHOOK_BACKOFF_MAX_MS: number;
  WEBHOOK_TIMEOUT_MS: number;
}

/**
 * The WEBHOOK_* variables (already parsed by the env schema) as settings, or
 * null when WEBHOOK_URLS is unset. Problems are appended to `problems`, in the
 * start-up error's format.
 */
export function parseWebhookSettings(e: WebhookVariables, problems: string[]): WebhookSettings | null {
  const urls = [...new Set((e.WEBHOOK_URLS ?? '').split(',').map((s) => s.trim()).filter(Boolean))];
  if (urls.length === 0) return null;
  for (const url of urls) {
    if (!URL.canParse(url) || !['http:', 'https:'].includes(new URL(url).protocol)) {
      problems.push(`  - WEBHOOK_URLS: ${url.slice(0, 200)} is not an http(s) URL`);
    }
  }
  const secret = e.WEBHOOK_SECRET;
  if (!secret) {
    problems.push('  - WEBHOOK_SECRET: required when WEBHOOK_URLS is set (receivers check signatures with it)');
  } else {
    try {
      signingKey(secret);
    } catch (error) {
      problems.push(`  - WEBHOOK_SECRET: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (e.WEBHOOK_BACKOFF_MAX_MS < e.WEBHOOK_BACKOFF_BASE_MS) {
    problems.push('  - WEBHOOK_BACKOFF_MAX_MS: must not be below WEBHOOK_BACKOFF_BASE_MS');
  }
  if (problems.length > 0 || !secret) return null;
  return {
    endpoints: urls.map(webhookEndpoint),
    secret,
    pollIntervalMs: e.WEBHOOK_POLL_INTERVAL_MS,
    batchSize: e.WEBHOOK_BATCH_SIZE,
    maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
    backoffBaseMs: e.WEBHOOK_BACKOFF_BASE_MS,
    backoffMaxMs: e.WEBHOOK_BACKOFF_MAX_MS,
    timeoutMs: e.WEBHOOK_TIMEOUT_MS,
    leaseMs: 2 * e.WEBHOOK_TIMEOUT_MS + 5_000,
  };
}
