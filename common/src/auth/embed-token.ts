import { createHmac } from 'node:crypto';
import type postgres from 'postgres';
import { EMBED_TOKEN_TTL_SECONDS, PORTAL_SESSION_TTL_SECONDS } from '../constants';
import { consumeWsToken, createWsToken, verifyWsToken } from './ws-token';

// The embedded member portal's two tokens (docs/integration.md, "The embedded
// portal"), in the websocket token's format (ws-token.ts) but each signed with
// a key of its own derived from AUTH_SECRET, so that no kind of token is ever
// valid as another:
// - the embed token, minted by the host's server through the API for one
//   member: short-lived (EMBED_TOKEN_TTL_SECONDS) and good for one use;
// - the portal session it is exchanged for, which the portal page carries in
//   its URL and forms (never in a cookie: it works where third-party cookies
//   are blocked), valid PORTAL_SESSION_TTL_SECONDS for that member only.

type Kind = 'embed' | 'portal';

function keyFor(kind: Kind, secret: string): string {
  return createHmac('sha256', secret).update(`referrals:${kind}-token`).digest('base64url');
}

export function createEmbedToken(options: { userId: string; secret: string; now?: Date }) {
  return createWsToken({ userId: options.userId, secret: keyFor('embed', options.secret), now: options.now, ttlSeconds: EMBED_TOKEN_TTL_SECONDS });
}

/** The member of a valid, unexpired, unused embed token, using it up; null for anything else. */
export async function redeemEmbedToken(sql: postgres.Sql, token: unknown, secret: string): Promise<string | null> {
  const claims = verifyWsToken(token, keyFor('embed', secret));
  if (!claims) return null;
  return (await consumeWsToken(sql, claims)) ? claims.sub : null;
}

export function createPortalSession(options: { userId: string; secret: string; now?: Date }) {
  return createWsToken({ userId: options.userId, secret: keyFor('portal', options.secret), now: options.now, ttlSeconds: PORTAL_SESSION_TTL_SECONDS });
}

/** The member of a valid, unexpired portal session; null for anything else. Never throws. */
export function verifyPortalSession(session: unknown, secret: string, now?: Date): string | null {
  return verifyWsToken(session, keyFor('portal', secret), now)?.sub ?? null;
}
