import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  json,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import {
  API_KEY_DEFAULT_RATE_LIMIT_PER_MINUTE,
  API_KEY_MAX_RATE_LIMIT_PER_MINUTE,
  DEFAULT_QUOTA,
  REFERRAL_CODE_PREFIX,
} from '../constants';
import { API_KEY_SCOPES } from '../api/key-scopes';
import { REFERRAL_STATUS_REASONS } from '../referrals/vocabulary';

/**
 * next-auth's user table, extended with the quota and the referral code.
 * Column keys follow what `@auth/drizzle-adapter` expects (id, name, email,
 * emailVerified, image); the referral columns are ours.
 */
export const users = pgTable('user', {
  id: text('id')
    .primaryKey()
    .$defaultFn(() => randomUUID()),
  name: text('name'),
  email: text('email').unique(),
  emailVerified: timestamp('emailVerified', { mode: 'date', withTimezone: true }),
  image: text('image'),
  quota: integer('quota').notNull().default(DEFAULT_QUOTA),
  // A SQL default, so every insert path (next-auth's adapter included) gets a code.
  referralCode: text('referral_code')
    .notNull()
    .unique()
    .default(sql.raw(`'${REFERRAL_CODE_PREFIX}' || gen_random_uuid()`)),
  onboardedAt: timestamp('onboarded_at', { mode: 'date', withTimezone: true }),
  createdAt: timestamp('created_at', { mode: 'date', withTimezone: true }).notNull().defaultNow(),
  // Keyed hashes (HMAC with AUTH_SECRET) of the address, its network (/24 or /64) and the browser
  // a user signed up from, for the fraud signals (docs/security.md, "Fraud signals"). The raw
  // values are never stored.
  signupIpHash: text('signup_ip_hash'),
  signupUserAgentHash: text('signup_user_agent_hash'),
  signupNetworkHash: text('signup_network_hash'),
  // Set when the account is deleted (docs/referral-rules.md, "Deleting an account"): the row stays,
  // anonymised, so the referrals and ledger rows that name it stay true.
  deletedAt: timestamp('deleted_at', { mode: 'date', withTimezone: true }),
  // Code regenerations on one UTC day (docs/referral-rules.md, "Creating a new code (regenerating)"): the day of the
  // last one and how many that day, counted in the row itself so every process sees the same count.
  codeRegeneratedOn: date('code_regenerated_on', { mode: 'string' }),
  codeRegenerations: integer('code_regenerations').notNull().default(0),
  // The host product's own id of this person, for members made through the server API
  // (docs/integration.md, "Members"); null for people who signed up in this app.
  externalId: text('external_id').unique('user_external_id_unique'),
});

/**
 * The referral program's settings, versioned (docs/referral-rules.md, "The
 * program's settings"): each change an operator makes is a new row, with who,
 * when and why; the highest version is in force. Version 1 holds
 * DEFAULT_PROGRAM (common/src/constants.ts). The database functions read the
 * current version inside their transaction; referrals and ledger rows record
 * the version they were decided under. The checks hold what must always be
 * true; the ranges an operator may choose are in common/src/referrals/program.ts.
 */
export const referralProgram = pgTable(
  'referral_program',
  {
    version: integer('version').primaryKey(),
    rewardReferrer: integer('reward_referrer').notNull(),
    rewardReferred: integer('reward_referred').notNull(),
    maxReferralsPerReferrer: integer('max_referrals_per_referrer').notNull(),
    redeemWindowDays: integer('redeem_window_days').notNull(),
    regenerationsPerDay: integer('regenerations_per_day').notNull(),
    attributionCookieDays: integer('attribution_cookie_days').notNull(),
    fraudThreshold: integer('fraud_threshold').notNull(),
    // { <signal code>: weight }, every signal of FRAUD_SIGNALS.
    signalWeights: jsonb('signal_weights').$type<Record<string, number>>().notNull(),
    velocityWindowMinutes: integer('velocity_window_minutes').notNull(),
    velocityMaxReferrals: integer('velocity_max_referrals').notNull(),
    addressHistoryDays: integer('address_history_days').notNull(),
    createdAt: timestamp('created_at', { mode: 'date', withTimezone: true }).notNull().defaultNow(),
    // The operator who made this version; null for version 1 (the defaults).
    createdById: text('created_by_id'),
    createdByEmail: text('created_by_email'),
    reason: text('reason').notNull(),
  },
  (table) => [
    check('referral_program_version_positive', sql`${table.version} >= 1`),
    check(
      'referral_program_numbers',
      sql`${table.rewardReferrer} >= 0 AND ${table.rewardReferred} >= 0 AND ${table.maxReferralsPerReferrer} >= 1
        AND ${table.redeemWindowDays} >= 1 AND ${table.regenerationsPerDay} >= 0 AND ${table.attributionCookieDays} >= 1
        AND ${table.fraudThreshold} >= 1 AND ${table.velocityWindowMinutes} >= 1 AND ${table.velocityMaxReferrals} >= 1
        AND ${table.addressHistoryDays} >= 1`,
    ),
    check('referral_program_signal_weights', sql`jsonb_typeof(${table.signalWeights}) = 'object'`),
  ],
);

/**
 * pending: the friend has not finished onboarding. held: finished, but scored
 * above the fraud threshold; waits for an operator, no rewards yet. completed:
 * rewarded. rejected: refused or revoked by an operator; does not count toward the cap.
 */
export const referralStatus = pgEnum('referral_status', ['pending', 'completed', 'held', 'rejected']);

export const referrals = pgTable(
  'referral',
  {
    // Restrict: a referral is a fact of the ledger; an account is deleted by anonymising it, never its row.
    referrerId: text('referrer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    referredId: text('referred_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    status: referralStatus('status').notNull().default('pending'),
    createdAt: timestamp('created_at', { mode: 'date', withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { mode: 'date', withTimezone: true }),
    // The fraud score at completion and the signals that made it (e.g. 'same_ip').
    riskScore: integer('risk_score').notNull().default(0),
    signals: text('signals').array().notNull().default(sql`'{}'::text[]`),
    // Why the referral is held or rejected: a code of REFERRAL_STATUS_REASONS (the words are in
    // common/src/referrals/vocabulary.ts); null when pending or completed.
    statusReason: text('status_reason'),
    decidedAt: timestamp('decided_at', { mode: 'date', withTimezone: true }),
    // The program version in force when the friend redeemed the code: its rewards are the ones this
    // referral pays, whenever it completes (docs/referral-rules.md, "The program's settings").
    programVersion: integer('program_version')
      .notNull()
      .references(() => referralProgram.version, { onDelete: 'restrict' }),
    // The program version whose threshold and weights scored it, when the friend finished signing up.
    scoredProgramVersion: integer('scored_program_version').references(() => referralProgram.version, { onDelete: 'restrict' }),
  },
  (table) => [
    primaryKey({ columns: [table.referrerId, table.referredId] }),
    // A user is referred at most once: the database, not a check in code, says so.
    unique('referral_referred_id_unique').on(table.referredId),
    check('referral_not_self', sql`${table.referrerId} <> ${table.referredId}`),
    // Completed means completed_at is set; pending or held means it is not (a revoked,
    // now rejected, referral keeps the time it had completed).
    check(
      'referral_completed_at_matches_status',
      sql`${table.status}::text NOT IN ('completed', 'pending', 'held') OR (${table.status}::text = 'completed') = (${table.completedAt} IS NOT NULL)`,
    ),
    index('referral_referrer_id_status_idx').on(table.referrerId, table.status),
    // What the operator page reads: referrals by day (the funnel), by status in time order (the review
    // queue, the latest completions). Not partial indexes: a fresh database gets every migration in one
    // transaction, where a status value added by it cannot appear in an index predicate yet.
    index('referral_created_at_idx').on(table.createdAt),
    index('referral_status_created_at_idx').on(table.status, table.createdAt),
    index('referral_status_completed_at_idx').on(table.status, table.completedAt.desc()),
    check(
      'referral_status_reason_code',
      sql.raw(`status_reason IS NULL OR status_reason IN (${REFERRAL_STATUS_REASONS.map((r) => `'${r}'`).join(', ')})`),
    ),
  ],
);

export const quotaGrantReason = pgEnum('quota_grant_reason', [
  'referral_referrer',
  'referral_referred',
  'clawback',
  'admin_adjustment',
]);

/**
 * The quota ledger (docs/reviewing-referrals.md, "The quota ledger"): every change of `user.quota` is one row,
 * written in the same transaction. Invariant: quota = DEFAULT_QUOTA + sum(amount).
 * The unique key makes a second grant of one kind for one referral impossible.
 */
export const quotaGrants = pgTable(
  'quota_grant',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    // Restrict, both: ledger rows are never removed with a user or a referral, so the unique key
    // below can never be defeated by a referral id turned NULL.
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    amount: integer('amount').notNull(),
    reason: quotaGrantReason('reason').notNull(),
    // The referral (its referred user's id, which is unique per referral).
    referralId: text('referral_id').references(() => referrals.referredId, { onDelete: 'restrict' }),
    note: text('note'),
    createdAt: timestamp('created_at', { mode: 'date', withTimezone: true }).notNull().defaultNow(),
    // The program version whose numbers this row applied (a reward's amount; a clawback takes back
    // what its referral's version granted).
    programVersion: integer('program_version')
      .notNull()
      .references(() => referralProgram.version, { onDelete: 'restrict' }),
  },
  (table) => [
    unique('quota_grant_once').on(table.referralId, table.userId, table.reason),
    index('quota_grant_user_id_idx').on(table.userId, table.createdAt),
  ],
);

/**
 * Visits to referral landing pages, counted once per visitor, code and UTC
 * day (the primary key): reloading a page, or a script hammering it, adds
 * nothing. Only what that needs is kept: a keyed hash of the visitor's
 * address and browser. The operator page reads the counts below.
 */
export const referralLandingViews = pgTable(
  'referral_landing_view',
  {
    referrerId: text('referrer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' })
      .notNull()
      .default(sql`(now() at time zone 'UTC')::date`),
    visitorHash: text('visitor_hash').notNull(),
  },
  (table) => [primaryKey({ name: 'referral_landing_view_once_a_day', columns: [table.referrerId, table.day, table.visitorHash] })],
);

/** Landing views per referrer and UTC day (top referrers, a referrer's views). */
export const referralLandingDays = pgTable(
  'referral_landing_day',
  {
    day: date('day', { mode: 'string' }).notNull(),
    referrerId: text('referrer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    views: integer('views').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.day, table.referrerId] }),
    index('referral_landing_day_referrer_idx').on(table.referrerId, table.day),
  ],
);

/**
 * Landing views of the whole program per UTC day (the funnel and the
 * totals), in LANDING_TOTAL_SHARDS rows a day so that simultaneous visits do
 * not all queue on one row: a day's count is the sum of its shards.
 */
export const referralLandingTotals = pgTable(
  'referral_landing_total',
  {
    day: date('day', { mode: 'string' }).notNull(),
    shard: smallint('shard').notNull(),
    views: bigint('views', { mode: 'number' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.day, table.shard] })],
);

/**
 * The operator page's all-time figures (totals, top referrers), as last
 * computed: counting a large program takes a second or more, so the page
 * shows this snapshot and has it recomputed in the background once it is
 * older than PROGRAM_OVERVIEW_MAX_AGE_SECONDS (docs/reviewing-referrals.md,
 * "What the page shows"). One row.
 */
export const programOverview = pgTable(
  'program_overview',
  {
    id: smallint('id').primaryKey().default(1),
    data: jsonb('data').notNull(),
    computedAt: timestamp('computed_at', { mode: 'date', withTimezone: true }).notNull(),
  },
  (table) => [check('program_overview_one_row', sql`${table.id} = 1`)],
);

/**
 * Where a person has been seen lately (keyed hashes of the address, its
 * network and the browser): each sign-in, and each landing page they opened
 * while signed in. The fraud signals compare a friend with the referrer's
 * history of the last ADDRESS_HISTORY_DAYS; older rows are deleted.
 */
export const userAddressHistory = pgTable(
  'user_address_history',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    source: text('source').notNull(),
    ipHash: text('ip_hash'),
    networkHash: text('network_hash'),
    userAgentHash: text('user_agent_hash'),
    createdAt: timestamp('created_at', { mode: 'date', withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('user_address_history_source', sql`${table.source} IN ('sign_in', 'landing_view')`),
    index('user_address_history_user_idx').on(table.userId, table.createdAt),
  ],
);

/**
 * Deleted accounts' e-mail addresses, normalised (normalize_email) and
 * hashed (SHA-256): such a person can never be referred or rewarded again
 * (docs/referral-rules.md, "Deleting an account"). Nothing else of them is kept.
 */
export const erasedIdentities = pgTable('erased_identity', {
  emailHash: text('email_hash').primaryKey(),
  erasedAt: timestamp('erased_at', { mode: 'date', withTimezone: true }).notNull().defaultNow(),
});

/** Account deletions, audited: who asked (the member, or an operator and why). */
export const accountDeletions = pgTable('account_deletion', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  userId: text('user_id').notNull(),
  /** 'member' (they deleted their own account) or 'operator'. */
  requestedBy: text('requested_by').notNull(),
  actorId: text('actor_id'),
  actorEmail: text('actor_email'),
  reason: text('reason'),
  createdAt: timestamp('created_at', { mode: 'date', withTimezone: true }).notNull().defaultNow(),
}, (table) => [check('account_deletion_requested_by', sql`${table.requestedBy} IN ('member', 'operator')`)]);

/**
 * API keys of the operator's own systems (docs/integration.md, "API keys"):
 * each stored only as the SHA-256 of the key, with its first characters to
 * recognise it by, its scopes, who made it, when it was last used, and when
 * and by whom it was revoked. The key itself is shown once, when it is made.
 */
export const apiKeys = pgTable(
  'api_key',
  {
    id: text('id').primaryKey().$defaultFn(() => randomUUID()),
    name: text('name').notNull(),
    /** The prefix and the first characters of the key (`rsk_AbCd1234`), to tell keys apart. */
    start: text('start').notNull(),
    /** SHA-256 of the whole key, hex. */
    hash: text('hash').notNull().unique('api_key_hash_unique'),
    scopes: text('scopes').array().notNull(),
    createdAt: timestamp('created_at', { mode: 'date', withTimezone: true }).notNull().defaultNow(),
    createdById: text('created_by_id'),
    createdByEmail: text('created_by_email').notNull(),
    lastUsedAt: timestamp('last_used_at', { mode: 'date', withTimezone: true }),
    revokedAt: timestamp('revoked_at', { mode: 'date', withTimezone: true }),
    revokedByEmail: text('revoked_by_email'),
    /** Requests this key may make per minute, per web process (docs/integration.md, "Limits"). */
    rateLimitPerMinute: integer('rate_limit_per_minute').notNull().default(API_KEY_DEFAULT_RATE_LIMIT_PER_MINUTE),
  },
  (table) => [
    check('api_key_rate_limit', sql`${table.rateLimitPerMinute} BETWEEN 1 AND ${sql.raw(String(API_KEY_MAX_RATE_LIMIT_PER_MINUTE))}`),
    check(
      'api_key_scopes',
      sql`cardinality(${table.scopes}) >= 1 AND ${table.scopes} <@ ARRAY[${sql.raw(API_KEY_SCOPES.map((s) => `'${s}'`).join(', '))}]::text[]`,
    ),
    check('api_key_revoked', sql`(${table.revokedAt} IS NULL) = (${table.revokedByEmail} IS NULL)`),
  ],
);

/**
 * The answers of the server API's POSTs sent with an `Idempotency-Key`
 * (docs/integration.md, "Retries"): per key and Idempotency-Key, the request's
 * hash and, once it finished, its status and body. A row without a status is
 * a request still running; rows older than API_IDEMPOTENCY_HOURS are removed.
 */
export const apiIdempotency = pgTable(
  'api_idempotency',
  {
    apiKeyId: text('api_key_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    status: smallint('status'),
    // json, not jsonb: a replay sends the first answer's bytes, in its key order.
    body: json('body'),
    createdAt: timestamp('created_at', { mode: 'date', withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'api_idempotency_pkey', columns: [table.apiKeyId, table.idempotencyKey] }),
    index('api_idempotency_created_at_idx').on(table.createdAt),
  ],
);

/** Websocket tokens already used (docs/websocket-protocol.md): one token opens one connection. */
export const wsTokenUses = pgTable(
  'ws_token_use',
  {
    tokenId: text('token_id').primaryKey(),
    expiresAt: timestamp('expires_at', { mode: 'date', withTimezone: true }).notNull(),
  },
  (table) => [index('ws_token_use_expires_at_idx').on(table.expiresAt)],
);

/** Every operator decision on a referral: who, when, what, why. */
export const referralDecisions = pgTable(
  'referral_decision',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    referralId: text('referral_id').notNull(),
    referrerId: text('referrer_id').notNull(),
    action: text('action').notNull(),
    fromStatus: referralStatus('from_status').notNull(),
    toStatus: referralStatus('to_status').notNull(),
    actorId: text('actor_id'),
    actorEmail: text('actor_email').notNull(),
    reason: text('reason').notNull(),
    createdAt: timestamp('created_at', { mode: 'date', withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('referral_decision_action', sql`${table.action} IN ('approve', 'reject', 'revoke')`),
    index('referral_decision_created_at_idx').on(table.createdAt),
  ],
);

/**
 * The webhook outbox: one row per event, written in the transaction that made
 * the change, delivered by the backend at least once, in order per referral.
 */
export const webhookEvents = pgTable(
  'webhook_event',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    eventId: text('event_id')
      .notNull()
      .unique()
      .default(sql`gen_random_uuid()::text`),
    type: text('type').notNull(),
    referralId: text('referral_id').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { mode: 'date', withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { mode: 'date', withTimezone: true }),
    createdAt: timestamp('created_at', { mode: 'date', withTimezone: true }).notNull().defaultNow(),
    // The endpoints that answered 2xx (keys: a short SHA-256 of each URL, see
    // backend/src/webhooks/config.ts), so a retry goes only to the ones that did not.
    deliveredTo: text('delivered_to').array().notNull().default(sql`'{}'::text[]`),
  },
  (table) => [
    check('webhook_event_status', sql`${table.status} IN ('pending', 'delivered', 'failed')`),
    index('webhook_event_pending_idx').on(table.nextAttemptAt).where(sql`${table.status} = 'pending'`),
    index('webhook_event_referral_idx').on(table.referralId, table.id),
  ],
);

/** Disposable e-mail domains (the npm package disposable-email-domains), loaded by migrate(). */
export const disposableEmailDomains = pgTable('disposable_email_domain', {
  domain: text('domain').primaryKey(),
});

/**
 * Which definition of each database function is applied (src/db/functions.ts):
 * the SHA-256 of its file. migrate() re-applies a function whose file changed.
 */
export const schemaFunctions = pgTable('schema_function', {
  name: text('name').primaryKey(),
  sha256: text('sha256').notNull(),
  appliedAt: timestamp('applied_at', { mode: 'date', withTimezone: true }).notNull().defaultNow(),
});

/** next-auth: one row per OAuth account linked to a user. */
export const accounts = pgTable(
  'account',
  {
    userId: text('userId')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    provider: text('provider').notNull(),
    providerAccountId: text('providerAccountId').notNull(),
    refresh_token: text('refresh_token'),
    access_token: text('access_token'),
    expires_at: integer('expires_at'),
    token_type: text('token_type'),
    scope: text('scope'),
    id_token: text('id_token'),
    session_state: text('session_state'),
  },
  (table) => [primaryKey({ columns: [table.provider, table.providerAccountId] })],
);

/** next-auth: database sessions (unused with the JWT strategy, kept for the adapter). */
export const sessions = pgTable('session', {
  sessionToken: text('sessionToken').primaryKey(),
  userId: text('userId')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  expires: timestamp('expires', { mode: 'date', withTimezone: true }).notNull(),
});

/** next-auth: e-mail sign-in tokens. */
export const verificationTokens = pgTable(
  'verification_token',
  {
    identifier: text('identifier').notNull(),
    token: text('token').notNull(),
    expires: timestamp('expires', { mode: 'date', withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.identifier, table.token] })],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Referral = typeof referrals.$inferSelect;
export type ReferralStatus = (typeof referralStatus.enumValues)[number];
export type QuotaGrant = typeof quotaGrants.$inferSelect;
export type QuotaGrantReason = (typeof quotaGrantReason.enumValues)[number];
export type ReferralProgramRow = typeof referralProgram.$inferSelect;

export type ApiKeyRow = typeof apiKeys.$inferSelect;
