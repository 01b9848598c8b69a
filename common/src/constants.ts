/**
 * The rules of the referral program (docs/referral-rules.md). Every number the
 * domain, the servers and the pages use comes from here, by name.
 */

/** Quota of a new user. */
export const DEFAULT_QUOTA = 1000;

/** Quota added to the referrer when a referral completes. */
export const REFERRAL_REWARD_REFERRER = 500;

/** Quota added to the referred user when the referral completes. */
export const REFERRAL_REWARD_REFERRED = 500;

/** Referrals (pending + held + completed; rejected ones do not count) one referrer can have, over all of their codes. */
export const MAX_REFERRALS_PER_CODE = 5;

/** Code regenerations per user per UTC day. */
export const REFERRAL_CODE_REGENERATIONS_PER_DAY = 3;

/** A user can redeem a code only within this many days of account creation. */
export const REFERRAL_REDEEM_WINDOW_DAYS = 7;

/**
 * Fraud review (docs/referral-rules.md, "Fraud review"). When a referral
 * completes, each signal that fires adds its weight; at or above the
 * threshold the referral is held for an operator instead of rewarded. Every
 * signal alone holds a referral except the browser's user agent and the
 * shared network: whole families, offices and mobile carriers share one
 * browser build or one network, so they count only together with another
 * signal. A missing address or user agent weighs what it could have hidden:
 * leaving it out is never a free pass.
 */
export const FRAUD_SCORE_THRESHOLD = 100;

export const FRAUD_SIGNAL_WEIGHTS = Object.freeze({
  /** The friend's e-mail is the referrer's (lower case, no +tag, Gmail without dots). */
  email_match: 100,
  /** The friend's e-mail domain, or a domain it is under, is a throwaway-address service (npm disposable-email-domains). */
  disposable_domain: 100,
  /** The friend signed up or in from an address the referrer used recently (keyed hashes). */
  same_ip: 100,
  /** Not the same address, but the same network: IPv4 /24, IPv6 /64 (keyed hashes). */
  same_network: 50,
  /** The friend and the referrer used the same browser user agent (keyed hashes). */
  same_user_agent: 50,
  /** The referral is one of more than FRAUD_VELOCITY_MAX_REFERRALS made for the referrer within FRAUD_VELOCITY_WINDOW_MINUTES. */
  velocity: 100,
  /** No address is known for the friend's sign-up (as much as `same_ip`, which it would hide). */
  missing_address: 100,
  /** The friend's browser sent no user agent (as much as `same_user_agent`). */
  missing_user_agent: 50,
});

export type FraudSignal = keyof typeof FRAUD_SIGNAL_WEIGHTS;

/**
 * The velocity signal's window, in minutes: a referral fires it when some
 * window this long that contains its creation holds more than
 * FRAUD_VELOCITY_MAX_REFERRALS of the referrer's referrals (not rejected),
 * however long after the burst its friend finishes signing up.
 */
export const FRAUD_VELOCITY_WINDOW_MINUTES = 10;

/** Referrals one referrer may receive within that window before the velocity signal fires. */
export const FRAUD_VELOCITY_MAX_REFERRALS = 3;

/**
 * How far back a person's addresses count for `same_ip` and `same_network`
 * (sign-ins, and a referrer's own visits to landing pages), in days; sign-in
 * records older than this are deleted.
 */
export const ADDRESS_HISTORY_DAYS = 30;

/** Every referral code is this prefix followed by a UUID. */
export const REFERRAL_CODE_PREFIX = 'ref-';

/** The query parameter that carries a referral code through sign-in. */
export const REFERRAL_CODE_QUERY_PARAM = 'referral_code';

/** The path of a referral link: `${origin}${REFERRAL_LINK_PATH}/<code>`. */
export const REFERRAL_LINK_PATH = '/referrals';

/** Shown instead of a user's name when they have not set one (never their e-mail). */
export const ANONYMOUS_DISPLAY_NAME = 'A friend';

/**
 * How many times in all one redemption or completion is tried when PostgreSQL
 * aborts it with a serialization failure (40001) or a deadlock (40P01).
 */
export const TRANSACTION_RETRY_ATTEMPTS = 5;

/** Longest a query may run (and so wait for a lock) before PostgreSQL cancels it. */
export const DATABASE_STATEMENT_TIMEOUT_MS = 15_000;

/** Users whose regeneration counter one process keeps at most (lru-cache `max`). */
export const REGENERATION_COUNTER_MAX_USERS = 100_000;

/** The rewards of one referral, as every caller shows them. */
export const REFERRAL_REWARDS = Object.freeze({
  referrer: REFERRAL_REWARD_REFERRER,
  referred: REFERRAL_REWARD_REFERRED,
});

/** How long a websocket token from `GET /api/ws-token` stays valid. */
export const WS_TOKEN_TTL_SECONDS = 60;

/** How long the landing page remembers a referral code in a first-party cookie. */
export const REFERRAL_COOKIE_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/** The name of that cookie. */
export const REFERRAL_COOKIE_NAME = 'referral_code';

/** `GET /api/referrals/validate`: requests one client may make per window. */
export const VALIDATE_RATE_LIMIT_REQUESTS = 20;

/** The window of that limit, in seconds. */
export const VALIDATE_RATE_LIMIT_WINDOW_SECONDS = 60;

/** How many rows share one UTC day's count of all landing views (referral_landing_total), so that visits do not queue on one row. */
export const LANDING_TOTAL_SHARDS = 8;

/** The operator page's all-time figures are recomputed in the background once older than this. */
export const PROGRAM_OVERVIEW_MAX_AGE_SECONDS = 60;

/** `/referrals/<code>` landing pages: requests one client may make per window (then 429). */
export const LANDING_RATE_LIMIT_REQUESTS = 30;

/** The window of that limit, in seconds. */
export const LANDING_RATE_LIMIT_WINDOW_SECONDS = 60;

/** The PostgreSQL channel on which referral changes are announced (common/src/referrals/announce.ts). */
export const REFERRAL_EVENTS_CHANNEL = 'referral_events';

/**
 * The secret that signs sessions and websocket tokens when AUTH_SECRET is
 * unset outside production. It is public: never use it for a real server.
 */
export const DEVELOPMENT_AUTH_SECRET = 'development-only-secret-do-not-use-in-production';

/** Referral changes committed within this many milliseconds share one NOTIFY. */
export const REFERRAL_EVENTS_BATCH_MS = 5;
