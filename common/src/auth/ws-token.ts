import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type postgres from 'postgres';
import { WS_TOKEN_TTL_SECONDS } from '../constants';

/**
 * The short-lived token that `web` gives a signed-in page (`GET /api/ws-token`)
 * and the `backend` checks in the websocket's `init` message
 * (docs/websocket-protocol.md, "Authentication"). Both sides share
 * `AUTH_SECRET`. Format: base64url(JSON {sub, exp, jti}) + "." +
 * base64url(HMAC-SHA256). One token opens one connection (consumeWsToken).
 */
export interface WsTokenClaims {
  /** The user id. */
  sub: string;
  /** Expiry, in seconds since the epoch. */
  exp: number;
  /** The token's own id, random: what consumeWsToken records. */
  jti: string;
}

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function createWsToken(options: { userId: string; secret: string; now?: Date; ttlSeconds?: number }): {
  token: string;
  expiresAt: Date;
} {
  const now = options.now ?? new Date();
  const exp = Math.floor(now.getTime() / 1000) + (options.ttlSeconds ?? WS_TOKEN_TTL_SECONDS);
  const claims: WsTokenClaims = { sub: options.userId, exp, jti: randomUUID() };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return { token: `${payload}.${sign(payload, options.secret)}`, expiresAt: new Date(exp * 1000) };
}

/** The claims of a valid, unexpired token; null for anything else. Never throws. */
export function verifyWsToken(token: unknown, secret: string, now: Date = new Date()): WsTokenClaims | null {
  if (typeof token !== 'string' || token.length > 1024) return null;
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return null;
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<WsTokenClaims>;
    if (typeof claims.sub !== 'string' || !claims.sub || typeof claims.exp !== 'number') return null;
    if (typeof claims.jti !== 'string' || claims.jti.length < 16 || claims.jti.length > 64) return null;
    if (claims.exp * 1000 <= now.getTime()) return null;
    return { sub: claims.sub, exp: claims.exp, jti: claims.jti };
  } catch {
    return null;
  }
}

/**
 * Uses a verified token up: true the first time, false for every later try,
 * from any backend process (the database remembers the token's id until it
 * expires). Tokens that expired are forgotten on the way.
 */
export async function consumeWsToken(sql: postgres.Sql, claims: WsTokenClaims): Promise<boolean> {
  const expiresAt = new Date(claims.exp * 1000).toISOString();
  const rows = await sql`
    with forget as (delete from ws_token_use where expires_at < now() - interval '1 minute')
    insert into ws_token_use (token_id, expires_at) values (${claims.jti}, ${expiresAt})
    on conflict (token_id) do nothing
    returning token_id`;
  return rows.length === 1;
}
