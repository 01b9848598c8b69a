import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { DEFAULT_QUOTA, REFERRAL_CODE_PREFIX } from '../constants';

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
});

export const referralStatus = pgEnum('referral_status', ['pending', 'completed']);

export const referrals = pgTable(
  'referral',
  {
    referrerId: text('referrer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    referredId: text('referred_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: referralStatus('status').notNull().default('pending'),
    createdAt: timestamp('created_at', { mode: 'date', withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { mode: 'date', withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.referrerId, table.referredId] }),
    // A user is referred at most once: the database, not a check in code, says so.
    unique('referral_referred_id_unique').on(table.referredId),
    check('referral_not_self', sql`${table.referrerId} <> ${table.referredId}`),
    check(
      'referral_completed_at_matches_status',
      sql`(${table.status} = 'completed') = (${table.completedAt} IS NOT NULL)`,
    ),
    index('referral_referrer_id_status_idx').on(table.referrerId, table.status),
  ],
);

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
