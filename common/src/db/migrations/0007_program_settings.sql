-- The referral program as data (docs/referral-rules.md, "The program's
-- settings"): referral_program, versioned; referrals and ledger rows record
-- the version they were decided under; the member-facing reasons become codes;
-- the code regenerations are counted in the user row. Then every database
-- function is dropped, every overload included (the previous releases'
-- rolling-upgrade wrappers and the signatures that took the numbers as
-- parameters): migrate() re-creates the current ones from common/src/db/
-- functions/ right after this (docs/operations.md, "Upgrading").

CREATE TABLE "referral_program" (
	"version" integer PRIMARY KEY NOT NULL,
	"reward_referrer" integer NOT NULL,
	"reward_referred" integer NOT NULL,
	"max_referrals_per_referrer" integer NOT NULL,
	"redeem_window_days" integer NOT NULL,
	"regenerations_per_day" integer NOT NULL,
	"attribution_cookie_days" integer NOT NULL,
	"fraud_threshold" integer NOT NULL,
	"signal_weights" jsonb NOT NULL,
	"velocity_window_minutes" integer NOT NULL,
	"velocity_max_referrals" integer NOT NULL,
	"address_history_days" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by_id" text,
	"created_by_email" text,
	"reason" text NOT NULL,
	CONSTRAINT "referral_program_version_positive" CHECK ("referral_program"."version" >= 1),
	CONSTRAINT "referral_program_numbers" CHECK ("referral_program"."reward_referrer" >= 0 AND "referral_program"."reward_referred" >= 0 AND "referral_program"."max_referrals_per_referrer" >= 1
        AND "referral_program"."redeem_window_days" >= 1 AND "referral_program"."regenerations_per_day" >= 0 AND "referral_program"."attribution_cookie_days" >= 1
        AND "referral_program"."fraud_threshold" >= 1 AND "referral_program"."velocity_window_minutes" >= 1 AND "referral_program"."velocity_max_referrals" >= 1
        AND "referral_program"."address_history_days" >= 1),
	CONSTRAINT "referral_program_signal_weights" CHECK (jsonb_typeof("referral_program"."signal_weights") = 'object')
);
--> statement-breakpoint
-- Version 1: the defaults of common/src/constants.ts (DEFAULT_PROGRAM), which
-- migrate() hands to this session; on an upgraded database they are also the
-- numbers the previous releases applied.
DO $$
BEGIN
  IF current_setting('referrals.program_defaults', true) IS NULL THEN
    RAISE EXCEPTION 'apply the migrations with pnpm db:migrate (common/src/db/migrate.ts): it passes the program''s defaults to this migration';
  END IF;
END $$;--> statement-breakpoint
INSERT INTO "referral_program"
  SELECT (jsonb_populate_record(NULL::"referral_program", current_setting('referrals.program_defaults')::jsonb
    || jsonb_build_object('version', 1, 'created_at', now()))).*;--> statement-breakpoint
-- What existed before is recorded under version 1.
ALTER TABLE "quota_grant" ADD COLUMN "program_version" integer;--> statement-breakpoint
UPDATE "quota_grant" SET "program_version" = 1;--> statement-breakpoint
ALTER TABLE "quota_grant" ALTER COLUMN "program_version" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "referral" ADD COLUMN "program_version" integer;--> statement-breakpoint
UPDATE "referral" SET "program_version" = 1;--> statement-breakpoint
ALTER TABLE "referral" ALTER COLUMN "program_version" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "referral" ADD COLUMN "scored_program_version" integer;--> statement-breakpoint
UPDATE "referral" SET "scored_program_version" = 1 WHERE "status"::text <> 'pending';--> statement-breakpoint
-- The reasons members read were stored as sentences; from here on, codes (the words: common/src/referrals/vocabulary.ts).
-- (The status is compared as text: on a new database, enum values added earlier in this same
-- migration run may not be used as constants.)
UPDATE "referral" SET "status_reason" = CASE
    WHEN "status_reason" LIKE 'Under review:%' THEN 'under_review'
    WHEN "status_reason" LIKE 'Not credited: this person already had an account%' THEN 'deleted_account'
    WHEN "status_reason" LIKE 'Revoked:%' THEN 'revoked_after_review'
    WHEN "status"::text = 'held' THEN 'under_review'
    ELSE 'rejected_after_review'
  END
  WHERE "status_reason" IS NOT NULL OR "status"::text IN ('held', 'rejected');--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "code_regenerated_on" date;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "code_regenerations" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "quota_grant" ADD CONSTRAINT "quota_grant_program_version_referral_program_version_fk" FOREIGN KEY ("program_version") REFERENCES "public"."referral_program"("version") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral" ADD CONSTRAINT "referral_program_version_referral_program_version_fk" FOREIGN KEY ("program_version") REFERENCES "public"."referral_program"("version") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral" ADD CONSTRAINT "referral_scored_program_version_referral_program_version_fk" FOREIGN KEY ("scored_program_version") REFERENCES "public"."referral_program"("version") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral" ADD CONSTRAINT "referral_status_reason_code" CHECK (status_reason IS NULL OR status_reason IN ('under_review', 'deleted_account', 'rejected_after_review', 'revoked_after_review'));--> statement-breakpoint
-- Every function of the product, every overload: migrate() applies the current definitions next.
DO $$
DECLARE
  v_function regprocedure;
BEGIN
  FOR v_function IN
    SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('DROP FUNCTION %s', v_function);
  END LOOP;
END $$;--> statement-breakpoint
DELETE FROM "schema_function";
