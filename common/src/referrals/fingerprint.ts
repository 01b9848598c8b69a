import { createHmac } from 'node:crypto';
import type { Db } from '../db/client';
import { parseReferralInput } from './parse-referral-input';

/** Where a request came from, as the web app sees it. */
export interface ClientFingerprint {
  ip: string | null;
  userAgent: string | null;
}

/**
 * A keyed hash of an address or a user agent: equal inputs give equal hashes,
 * so the fraud signals can compare them, but without AUTH_SECRET the hash
 * cannot be turned back into an address. Raw values are never stored.
 */
export function hashClientValue(secret: string, kind: 'ip' | 'user-agent', value: string | null): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  return createHmac('sha256', secret).update(`${kind}:${trimmed}`).digest('base64url').slice(0, 32);
}

function hashes(secret: string, client: ClientFingerprint) {
  return { ip: hashClientValue(secret, 'ip', client.ip), userAgent: hashClientValue(secret, 'user-agent', client.userAgent) };
}

/** Remembers where a user signed up from (once: later sign-ins do not move it). */
export async function recordSignupFingerprint(options: { db: Db; userId: string; client: ClientFingerprint; secret: string }): Promise<void> {
  const { ip, userAgent } = hashes(options.secret, options.client);
  if (!ip && !userAgent) return;
  await options.db.$client`
    update "user" set
      signup_ip_hash = coalesce(signup_ip_hash, ${ip}),
      signup_user_agent_hash = coalesce(signup_user_agent_hash, ${userAgent})
    where id = ${options.userId}`;
}

/** Counts a visit to a referral landing page, for the operator's funnel. Unknown codes count nothing. */
export async function recordLandingView(options: { db: Db; code: string; client: ClientFingerprint; secret: string }): Promise<void> {
  const parsed = parseReferralInput(options.code);
  if (!parsed.ok) return;
  const { ip, userAgent } = hashes(options.secret, options.client);
  await options.db.$client`
    insert into referral_landing_view (referrer_id, ip_hash, user_agent_hash)
    select id, ${ip}, ${userAgent} from "user" where referral_code = ${parsed.referralCode}`;
}
