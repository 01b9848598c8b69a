import { createHmac } from 'node:crypto';
import { LANDING_TOTAL_SHARDS } from '../constants';
import type { Db } from '../db/client';
import { networkOf, normalizeAddress } from '../net/address';
import { parseReferralInput } from './parse-referral-input';

/** Where a request came from, as the web server decided it (docs/security.md, "Which address"). */
export interface ClientFingerprint {
  /** The client's address, or a stand-in that identifies it (see the web app's requestFingerprint). */
  ip: string | null;
  userAgent: string | null;
}

/**
 * A keyed hash of an address, a network or a user agent: equal inputs give
 * equal hashes, so the fraud signals can compare them, but without
 * AUTH_SECRET the hash cannot be turned back into an address. Raw values are
 * never stored.
 */
export function hashClientValue(secret: string, kind: 'ip' | 'network' | 'user-agent' | 'visitor', value: string | null): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  return createHmac('sha256', secret).update(`${kind}:${trimmed}`).digest('base64url').slice(0, 32);
}

/**
 * The three hashes of a request: address (in its canonical form, so
 * `2001:0db8::1` and `2001:db8::1` are one), its /24 or /64 network, user agent.
 */
export function fingerprintHashes(secret: string, client: ClientFingerprint) {
  const address = normalizeAddress(client.ip) ?? client.ip;
  const network = address === null ? null : networkOf(address);
  return {
    ip: hashClientValue(secret, 'ip', address),
    network: hashClientValue(secret, 'network', network),
    userAgent: hashClientValue(secret, 'user-agent', client.userAgent),
  };
}

/** Remembers where a user signed up from (once: later sign-ins do not move it; they are recordSignIn's). */
export async function recordSignupFingerprint(options: { db: Db; userId: string; client: ClientFingerprint; secret: string }): Promise<void> {
  const { ip, network, userAgent } = fingerprintHashes(options.secret, options.client);
  if (!ip && !userAgent) return;
  await options.db.$client`
    update "user" set
      signup_ip_hash = coalesce(signup_ip_hash, ${ip}),
      signup_network_hash = coalesce(signup_network_hash, ${network}),
      signup_user_agent_hash = coalesce(signup_user_agent_hash, ${userAgent})
    where id = ${options.userId} and deleted_at is null`;
}

/** Adds a row to the user's address history (and drops what is older than the program's address history). */
function addressHistoryRow(db: Db, userId: string, source: 'sign_in' | 'landing_view', h: ReturnType<typeof fingerprintHashes>) {
  return db.$client`
    with seen as (
      insert into user_address_history (user_id, source, ip_hash, network_hash, user_agent_hash)
      select id, ${source}, ${h.ip}, ${h.network}, ${h.userAgent} from "user" where id = ${userId} and deleted_at is null
    )
    delete from user_address_history
    where user_id = ${userId}
      and created_at < now() - make_interval(days => (select p.address_history_days from referral_program_current() p))`;
}

/**
 * One sign-in: where it came from joins the user's address history (which
 * the fraud signals compare, over the program's address history), and the first one is
 * also their sign-up fingerprint.
 */
export async function recordSignIn(options: { db: Db; userId: string; client: ClientFingerprint; secret: string }): Promise<void> {
  const hashes = fingerprintHashes(options.secret, options.client);
  await recordSignupFingerprint(options);
  await addressHistoryRow(options.db, options.userId, 'sign_in', hashes);
}

/**
 * Counts a visit to a referral landing page, for the operator's funnel:
 * once per visitor (a keyed hash of address and browser), code and UTC day;
 * a repeat visit adds nothing. One statement: the visit, its referrer's count
 * of the day, and one of the day's LANDING_TOTAL_SHARDS program counts.
 * `viewerId` is the signed-in member who opened it, if any: their address
 * joins their history (a referrer opening pages from where their "friends"
 * sign up shows). Unknown codes count nothing.
 */
export async function recordLandingView(options: {
  db: Db;
  code: string;
  client: ClientFingerprint;
  secret: string;
  viewerId?: string | null;
}): Promise<void> {
  const parsed = parseReferralInput(options.code);
  if (!parsed.ok) return;
  const hashes = fingerprintHashes(options.secret, options.client);
  const visitor = hashClientValue(options.secret, 'visitor', `${hashes.ip ?? '-'}.${hashes.userAgent ?? '-'}`)!;
  await options.db.$client`
    with visit as (
      insert into referral_landing_view (referrer_id, visitor_hash)
      select id, ${visitor} from "user" where referral_code = ${parsed.referralCode} and deleted_at is null
      on conflict do nothing
      returning referrer_id, day
    ), referrer_day as (
      insert into referral_landing_day (day, referrer_id, views)
      select day, referrer_id, 1 from visit
      on conflict (day, referrer_id) do update set views = referral_landing_day.views + 1
    )
    insert into referral_landing_total (day, shard, views)
    select day, ${visitor.charCodeAt(0) % LANDING_TOTAL_SHARDS}, 1 from visit
    on conflict (day, shard) do update set views = referral_landing_total.views + 1`;
  if (options.viewerId) await addressHistoryRow(options.db, options.viewerId, 'landing_view', hashes);
}
