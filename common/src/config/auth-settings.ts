// The sign-in rules that web and backend read from their environment, in one
// place so both decide alike (docs/auth.md, "Development login and the
// development secret"; docs/security.md §9):
// - the public development secret signs sessions and websocket tokens only
//   for an app on a loopback address, never in production;
// - dev-login (any e-mail, no password) is on only when asked for by name
//   (AUTH_DEV_LOGIN=true), or in development on a loopback APP_URL.
import { DEVELOPMENT_AUTH_SECRET } from '../constants';

/** Shortest AUTH_SECRET accepted. */
export const MIN_AUTH_SECRET_LENGTH = 16;

/**
 * True when `url` is an http(s) URL whose host is this machine: `localhost`
 * (and `*.localhost`), 127.0.0.0/8, or `[::1]`. Nobody else can reach such an
 * app, so development defaults are safe there and nowhere else.
 */
export function isLoopbackUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { protocol, hostname } = new URL(url);
  if (protocol !== 'http:' && protocol !== 'https:') return false;
  const host = hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

export type NodeEnv = 'development' | 'test' | 'production';

export type AuthSecretDecision =
  | { ok: true; secret: string; development: boolean }
  | { ok: false; problem: string };

/**
 * The secret that signs sessions and websocket tokens: AUTH_SECRET when set
 * (at least MIN_AUTH_SECRET_LENGTH characters). Unset, the public development
 * secret, but only outside production and for a loopback APP_URL; anything
 * else is a problem that stops the server at start.
 */
export function resolveAuthSecret(options: { nodeEnv: NodeEnv; secret: string | undefined; appUrl: string }): AuthSecretDecision {
  const { nodeEnv, secret, appUrl } = options;
  if (secret !== undefined) {
    if (secret.length < MIN_AUTH_SECRET_LENGTH) {
      return { ok: false, problem: `AUTH_SECRET must be at least ${MIN_AUTH_SECRET_LENGTH} characters` };
    }
    return { ok: true, secret, development: false };
  }
  if (nodeEnv === 'production') {
    return { ok: false, problem: 'AUTH_SECRET is required in production (generate one with `openssl rand -base64 32`)' };
  }
  if (!isLoopbackUrl(appUrl)) {
    return {
      ok: false,
      problem:
        `AUTH_SECRET is required: APP_URL (${appUrl}) is not a loopback address, and without AUTH_SECRET sessions ` +
        'would be signed with the public development secret (generate one with `openssl rand -base64 32`)',
    };
  }
  return { ok: true, secret: DEVELOPMENT_AUTH_SECRET, development: true };
}

/**
 * Whether the development login is on: AUTH_DEV_LOGIN=true or false decides;
 * unset, it is on only in development (NODE_ENV=development) on a loopback
 * APP_URL. Never by accident: NODE_ENV=test, or a public APP_URL, keeps it off.
 */
export function devLoginEnabled(options: { nodeEnv: NodeEnv; appUrl: string; flag: 'true' | 'false' | undefined }): boolean {
  if (options.flag !== undefined) return options.flag === 'true';
  return options.nodeEnv === 'development' && isLoopbackUrl(options.appUrl);
}
