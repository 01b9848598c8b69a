/**
 * The fixed numbers of the product (docs/referral-rules.md, "The program's
 * settings"), each defined once, by name; and DEFAULT_PROGRAM, the first
 * version of the numbers an operator changes (the `referral_program` table:
 * read them from there, never from here).
 */

/** Quota of a new user. */
export const DEFAULT_QUOTA = 1000;

/**
 * The referral program's defaults: version 1 of the `referral_program`
 * settings (docs/referral-rules.md, "The program's settings"), which every
 * database starts with. An operator changes the program on the operator page
 * without a deploy; each change is a new version, and the database functions
 * read the current one inside their transaction. Nothing else should read
 * these numbers as the rules in force: ask the program (getProgram).
 */
export const DEFAULT_PROGRAM = Object.freeze({
  /** Quota added to the referrer when a referral completes. */
  rewardReferrer: 500,
  /** Quota added to the referred friend when the referral completes. */
  rewardReferred: 500,
  /**
   * Referrals one referrer can have (pending + held + completed; rejected ones
   * do not count), over all the codes they ever had: the cap is the referrer's,
   * not a code's.
   */
  maxReferralsPerReferrer: 5,
  /** A user can redeem a code only within this many days of account creation. */
  redeemWindowDays: 7,
  /** Code regenerations per user per UTC day. */
  regenerationsPerDay: 3,
  /** How many days the landing page remembers a referral code in a first-party cookie. */
  attributionCookieDays: 30,
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
  fraudThreshold: 100,
  signalWeights: Object.freeze({
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
    /** The referral is one of more than velocityMaxReferrals made for the referrer within velocityWindowMinutes. */
    velocity: 100,
    /** No address is known for the friend's sign-up (as much as `same_ip`, which it would hide). */
    missing_address: 100,
    /** The friend's browser sent no user agent (as much as `same_user_agent`). */
    missing_user_agent: 50,
  }),
  /**
   * The velocity signal's window, in minutes: a referral fires it when some
   * window this long that contains its creation holds more than
   * velocityMaxReferrals of the referrer's referrals (not rejected), however
   * long after the burst its friend finishes signing up.
   */
  velocityWindowMinutes: 10,
  /** Referrals one referrer may receive within that window before the velocity signal fires. */
  velocityMaxReferrals: 3,
  /**
   * How far back a person's addresses count for `same_ip` and `same_network`
   * (sign-ins, and a referrer's own visits to landing pages), in days; older
   * sign-in records are deleted.
   */
  addressHistoryDays: 30,
});

/** The fraud signals, by the codes the database records. */
export type FraudSignal = keyof typeof DEFAULT_PROGRAM.signalWeights;
export const FRAUD_SIGNALS = Object.freeze(Object.keys(DEFAULT_PROGRAM.signalWeights) as FraudSignal[]);

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

/** How long a websocket token from `GET /api/ws-token` stays valid. */
export const WS_TOKEN_TTL_SECONDS = 60;

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

/** Server API (docs/integration.md, "Limits"): requests per minute a new API key may make, per web process. */
export const API_KEY_DEFAULT_RATE_LIMIT_PER_MINUTE = 600;

/** The highest per-minute limit an operator may give a key. */
export const API_KEY_MAX_RATE_LIMIT_PER_MINUTE = 100_000;

/** Server API: how long the answer of a POST with an `Idempotency-Key` is kept and replayed (docs/integration.md, "Retries"). */
export const API_IDEMPOTENCY_HOURS = 24;

/** Server API: a list returns this many items unless `limit` says otherwise, and never more than API_PAGE_MAX. */
export const API_PAGE_DEFAULT = 50;
export const API_PAGE_MAX = 200;

/** The embedded portal (docs/integration.md, "The embedded portal"): how long an embed token may wait to be used (once). */
export const EMBED_TOKEN_TTL_SECONDS = 300;

/** How long a portal opened with an embed token stays usable before the host's page must be reloaded. */
export const PORTAL_SESSION_TTL_SECONDS = 3600;

/** The PostgreSQL channel on which referral changes are announced (common/src/referrals/announce.ts). */
export const REFERRAL_EVENTS_CHANNEL = 'referral_events';

/**
 * The secret that signs sessions and websocket tokens when AUTH_SECRET is
 * unset outside production. It is public: never use it for a real server.
 */
export const DEVELOPMENT_AUTH_SECRET = 'development-only-secret-do-not-use-in-production';

/** Referral changes committed within this many milliseconds share one NOTIFY. */
export const REFERRAL_EVENTS_BATCH_MS = 5;
