-- Trust and operations: the quota ledger for the data that existed before it.
--
-- This migration also defined the database functions of that release. Each
-- function now has one live definition in common/src/db/functions/<name>.sql,
-- applied by migrate() (docs/operations.md, "Migrations and database
-- functions"); migration 0007 drops whatever an older database still has, so
-- those copies were removed from here. Drizzle's migrator applies a migration
-- by its timestamp, never again, so databases that ran the full text are not
-- affected: what remains is what this migration still does on a new one.

-- 1. The ledger for existing data, so that from here on, for every user,
--    quota = 1000 (DEFAULT_QUOTA) + sum(quota_grant.amount).
--    Rewards of completed referrals (500 each, the rule when they were granted);
--    then whatever else made a quota differ (e.g. a manual UPDATE) as an adjustment.
INSERT INTO quota_grant (user_id, amount, reason, referral_id, note, created_at)
  SELECT r.referrer_id, 500, 'referral_referrer'::quota_grant_reason, r.referred_id, 'backfilled', r.completed_at
  FROM referral r WHERE r.status = 'completed'
  UNION ALL
  SELECT r.referred_id, 500, 'referral_referred'::quota_grant_reason, r.referred_id, 'backfilled', r.completed_at
  FROM referral r WHERE r.status = 'completed';
--> statement-breakpoint
INSERT INTO quota_grant (user_id, amount, reason, note)
  SELECT u.id, u.quota - 1000 - coalesce(g.total, 0), 'admin_adjustment', 'backfilled: quota before the ledger'
  FROM "user" u
  LEFT JOIN (SELECT user_id, sum(amount) AS total FROM quota_grant GROUP BY user_id) g ON g.user_id = u.id
  WHERE u.quota <> 1000 + coalesce(g.total, 0);
