import { devLoginEnabled, resolveAuthSecret } from '@app/common/config/auth-settings';
import { DEVELOPMENT_AUTH_SECRET } from '@app/common/constants';
import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './server/trust-proxy';

export { DEVELOPMENT_AUTH_SECRET };

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    AUTH_SECRET: optional,
    NEXTAUTH_SECRET: optional,
    NEXTAUTH_URL: optional,
    APP_URL: optional,
    // Empty counts as unset, like every other variable.
    AUTH_DEV_LOGIN: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.enum(['true', 'false']).optional()),
    GITHUB_ID: optional,
    GITHUB_SECRET: optional,
    OIDC_ISSUER: optional,
    OIDC_CLIENT_ID: optional,
    OIDC_CLIENT_SECRET: optional,
    OIDC_NAME: optional,
    NEXT_PUBLIC_BACKEND_WS_URL: optional,
    ADMIN_EMAILS: optional,
    TRUST_PROXY: optional,
    EMBED_ALLOWED_ORIGINS: optional,
    EXTERNAL_SIGNUP_URL: optional,
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    WEB_HOST: z.string().trim().min(1).default('0.0.0.0'),
  })
  .superRefine((env, ctx) => {
    for (const entry of parseAdminEmails(env.ADMIN_EMAILS)) {
      if (!/^[^\s@]+@[^\s@]+$/.test(entry)) {
        ctx.addIssue({ code: 'custom', path: ['ADMIN_EMAILS'], message: `ADMIN_EMAILS: "${entry}" is not an e-mail address (separate addresses with commas)` });
      }
    }
    for (const entry of parseOrigins(env.EMBED_ALLOWED_ORIGINS)) {
      if (!isOrigin(entry)) {
        ctx.addIssue({
          code: 'custom',
          path: ['EMBED_ALLOWED_ORIGINS'],
          message: `EMBED_ALLOWED_ORIGINS: "${entry}" is not an origin like https://app.example.com (scheme, host and port only; separate origins with commas)`,
        });
      }
    }
    const signup = env.EXTERNAL_SIGNUP_URL;
    if (signup && (!URL.canParse(signup) || !/^https?:$/.test(new URL(signup).protocol))) {
      ctx.addIssue({ code: 'custom', path: ['EXTERNAL_SIGNUP_URL'], message: 'EXTERNAL_SIGNUP_URL must be an http(s) URL' });
    }
    for (const key of ['APP_URL', 'NEXTAUTH_URL', 'OIDC_ISSUER'] as const) {
      const value = env[key];
      if (value && !URL.canParse(value)) ctx.addIssue({ code: 'custom', path: [key], message: `${key} must be a URL` });
    }
  });

/** A comma-separated list of origins, trimmed, without empty entries. */
function parseOrigins(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** `https://host[:port]` exactly: what a browser sends as an Origin and what frame-ancestors matches. */
function isOrigin(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol) && new URL(value).origin === value.replace(/\/$/, '');
}

function invalid(problems: string[]): Error {
  return new Error(`Invalid environment for the web app:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

/** The app's public origin: APP_URL, else NEXTAUTH_URL, else the development default. */
function appUrlOf(e: { APP_URL?: string | undefined; NEXTAUTH_URL?: string | undefined }): string {
  const url = e.APP_URL ?? e.NEXTAUTH_URL ?? 'http://localhost:3000';
  return URL.canParse(url) ? new URL(url).origin : url;
}

/**
 * ADMIN_EMAILS as a list: comma-separated, trimmed, lower case, empty entries
 * dropped. Unset or empty: nobody is an operator.
 */
export function parseAdminEmails(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
}

export interface Env {
  /** Settings that look like a mistake but do not stop the server (logged at start). */
  warnings: string[];
  nodeEnv: 'development' | 'test' | 'production';
  authSecret: string;
  /** The app's public origin, e.g. https://app.example.com (no trailing slash). */
  appUrl: string;
  devLogin: boolean;
  github: { clientId: string; clientSecret: string } | null;
  oidc: { issuer: string; clientId: string; clientSecret: string; name: string } | null;
  backendWsUrl: string;
  /** Operators (docs/reviewing-referrals.md): the e-mail addresses, in lower case, that may open /admin/referrals. */
  adminEmails: readonly string[];
  /** Which proxies' X-Forwarded-For entries are believed (TRUST_PROXY; null: none, the client is the TCP peer). */
  trustProxy: TrustProxy;
  /**
   * The origins whose pages may frame the embedded member portal
   * (EMBED_ALLOWED_ORIGINS; docs/integration.md, "The embedded portal"); none when empty.
   */
  embedAllowedOrigins: readonly string[];
  /** The host product's sign-up page, where landing pages send visitors with the code (EXTERNAL_SIGNUP_URL); null: this app's own. */
  externalSignupUrl: string | null;
  /** Where web/server.ts listens. */
  port: number;
  host: string;
}

/**
 * Reads and checks the web app's environment once. A missing AUTH_SECRET in
 * production stops the server at start with a clear message, not deep in a request.
 */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  const e = parsed.data;
  const appUrl = appUrlOf(e);
  const secret = resolveAuthSecret({ nodeEnv: e.NODE_ENV, secret: e.AUTH_SECRET ?? e.NEXTAUTH_SECRET, appUrl });
  // `next build` runs in production mode without the runtime secrets; the server checks them at start.
  if (!secret.ok && source.NEXT_PHASE !== 'phase-production-build') throw invalid([`AUTH_SECRET: ${secret.problem}`]);
  const trust = parseTrustProxy(e.TRUST_PROXY);
  if (!trust.ok) throw invalid([trust.problem]);
  const warnings: string[] = [];
  const partial = (name: string, keys: string[]) => {
    const set = keys.filter((k) => source[k]?.trim());
    if (set.length > 0 && set.length < keys.length) {
      warnings.push(`${name} sign-in is off: ${keys.filter((k) => !set.includes(k)).join(', ')} not set`);
    }
  };
  partial('GitHub', ['GITHUB_ID', 'GITHUB_SECRET']);
  partial('OIDC', ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET']);
  const devLogin = devLoginEnabled({ nodeEnv: e.NODE_ENV, appUrl, flag: e.AUTH_DEV_LOGIN });
  if (secret.ok && secret.development) {
    warnings.push('AUTH_SECRET is not set: sessions are signed with the public development secret (fine on this machine only)');
  }
  const github = e.GITHUB_ID && e.GITHUB_SECRET ? { clientId: e.GITHUB_ID, clientSecret: e.GITHUB_SECRET } : null;
  const oidc =
    e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
      ? { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID, clientSecret: e.OIDC_CLIENT_SECRET, name: e.OIDC_NAME ?? 'Single sign-on' }
      : null;
  if (!github && !oidc && !devLogin) warnings.push('no sign-in provider is configured: nobody can sign in');
  if (devLogin && e.AUTH_DEV_LOGIN === 'true') {
    warnings.push('AUTH_DEV_LOGIN=true: anyone can sign in as any e-mail address. Never do this in public.');
  }
  if (devLogin && e.AUTH_DEV_LOGIN === 'true' && parseAdminEmails(e.ADMIN_EMAILS).length > 0) {
    warnings.push('ADMIN_EMAILS with AUTH_DEV_LOGIN=true: anyone can sign in as an operator and approve or revoke referrals.');
  }
  return {
    nodeEnv: e.NODE_ENV,
    warnings,
    // During `next build` (no runtime secrets) a placeholder; a server never starts without the real one.
    authSecret: secret.ok ? secret.secret : DEVELOPMENT_AUTH_SECRET,
    appUrl,
    devLogin,
    github,
    oidc,
    backendWsUrl: e.NEXT_PUBLIC_BACKEND_WS_URL ?? 'ws://localhost:4000/ws',
    adminEmails: Object.freeze(parseAdminEmails(e.ADMIN_EMAILS)),
    trustProxy: trust.trust,
    embedAllowedOrigins: Object.freeze(parseOrigins(e.EMBED_ALLOWED_ORIGINS).map((o) => new URL(o).origin)),
    externalSignupUrl: e.EXTERNAL_SIGNUP_URL ?? null,
    port: e.PORT,
    host: e.WEB_HOST,
  };
}

let cached: Env | undefined;

/** The environment of this process, checked on first use (the server checks it at start). */
export function env(): Env {
  if (!cached) {
    cached = loadEnv();
    // next-auth v4 reads its own variable for the canonical URL; one setting (APP_URL) drives both.
    process.env.NEXTAUTH_URL ??= cached.appUrl;
  }
  return cached;
}
