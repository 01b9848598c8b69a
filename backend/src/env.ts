import { resolveAuthSecret } from '@app/common/config/auth-settings';
import { z } from 'zod';
import { parseWebhookSettings, type WebhookSettings } from './webhooks/config';

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  // Unset means production: the development secret is only ever used when asked for by name.
  NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
  AUTH_SECRET: optional,
  NEXTAUTH_SECRET: optional,
  APP_URL: optional,
  /** The web app's fallback for APP_URL, accepted here too so both read one setting alike. */
  NEXTAUTH_URL: optional,
  /** Extra origins (comma-separated) allowed to open a websocket, besides APP_URL's. */
  WS_ALLOWED_ORIGINS: optional,
  BACKEND_PORT: positiveInt(4000),
  BACKEND_HOST: z.string().default('0.0.0.0'),
  WS_HEARTBEAT_INTERVAL_MS: positiveInt(30_000),
  WS_INIT_TIMEOUT_MS: positiveInt(5_000),
  WS_MAX_PAYLOAD_BYTES: positiveInt(16 * 1024),
  WS_RATE_LIMIT_PER_SECOND: positiveInt(10),
  WS_RATE_LIMIT_BURST: positiveInt(20),
  WS_RATE_LIMIT_MAX_VIOLATIONS: positiveInt(50),
  WS_DRAIN_TIMEOUT_MS: positiveInt(10_000),
  // Webhooks (docs/webhooks.md). No WEBHOOK_URLS: no delivery loop, events stay pending in the outbox.
  /** Comma-separated http(s) endpoints; every event goes to each of them. */
  WEBHOOK_URLS: optional,
  /** The HMAC key of the signatures (>= 16 characters, or whsec_<base64>); may differ from AUTH_SECRET. */
  WEBHOOK_SECRET: optional,
  WEBHOOK_POLL_INTERVAL_MS: positiveInt(500),
  WEBHOOK_BATCH_SIZE: positiveInt(50),
  WEBHOOK_MAX_ATTEMPTS: positiveInt(10),
  WEBHOOK_BACKOFF_BASE_MS: positiveInt(60_000),
  WEBHOOK_BACKOFF_MAX_MS: positiveInt(6 * 60 * 60 * 1000),
  WEBHOOK_TIMEOUT_MS: positiveInt(10_000),
});

export interface BackendEnv {
  secret: string;
  /** True when AUTH_SECRET is unset and the public development secret is used (loopback APP_URL, not production). */
  usesDevelopmentSecret: boolean;
  appUrl: string;
  allowedOrigins: string[];
  port: number;
  host: string;
  heartbeatIntervalMs: number;
  initTimeoutMs: number;
  maxPayloadBytes: number;
  rateLimit: { perSecond: number; burst: number; maxViolations: number };
  drainTimeoutMs: number;
  /** Null when WEBHOOK_URLS is unset: no delivery loop runs. */
  webhooks: WebhookSettings | null;
}

/** The backend's own environment (it needs fewer variables than web), checked once at start. */
export function loadBackendEnv(source: Record<string, string | undefined> = process.env): BackendEnv {
  const parsed = schema.safeParse(source);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
  const e = parsed.success ? parsed.data : null;
  const appUrl = e?.APP_URL ?? e?.NEXTAUTH_URL ?? 'http://localhost:3000';
  if (!URL.canParse(appUrl)) problems.push('  - APP_URL: must be a URL');
  // The same rule as the web app's (the two must sign and check with one value); unset NODE_ENV is production here.
  const secret = e ? resolveAuthSecret({ nodeEnv: e.NODE_ENV, secret: e.AUTH_SECRET ?? e.NEXTAUTH_SECRET, appUrl }) : null;
  if (secret && !secret.ok) problems.push(`  - AUTH_SECRET: ${secret.problem} (the same value as the web app)`);
  const extra = (e?.WS_ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const origin of extra) if (!URL.canParse(origin)) problems.push(`  - WS_ALLOWED_ORIGINS: ${origin} is not a URL`);
  const webhooks = e ? parseWebhookSettings(e, problems) : null;
  if (!e || !secret?.ok || problems.length > 0) throw new Error(`Invalid environment for the backend:\n${problems.join('\n')}`);
  return {
    secret: secret.secret,
    usesDevelopmentSecret: secret.development,
    appUrl: new URL(appUrl).origin,
    allowedOrigins: [new URL(appUrl).origin, ...extra.map((o) => new URL(o).origin)],
    port: e.BACKEND_PORT,
    host: e.BACKEND_HOST,
    heartbeatIntervalMs: e.WS_HEARTBEAT_INTERVAL_MS,
    initTimeoutMs: e.WS_INIT_TIMEOUT_MS,
    maxPayloadBytes: e.WS_MAX_PAYLOAD_BYTES,
    rateLimit: {
      perSecond: e.WS_RATE_LIMIT_PER_SECOND,
      burst: e.WS_RATE_LIMIT_BURST,
      maxViolations: e.WS_RATE_LIMIT_MAX_VIOLATIONS,
    },
    drainTimeoutMs: e.WS_DRAIN_TIMEOUT_MS,
    webhooks,
  };
}
