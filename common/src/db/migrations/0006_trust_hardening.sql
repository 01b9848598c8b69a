CREATE TABLE "account_deletion" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "account_deletion_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" text NOT NULL,
	"requested_by" text NOT NULL,
	"actor_id" text,
	"actor_email" text,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_deletion_requested_by" CHECK ("account_deletion"."requested_by" IN ('member', 'operator'))
);
--> statement-breakpoint
CREATE TABLE "erased_identity" (
	"email_hash" text PRIMARY KEY NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "program_overview" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"data" jsonb NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "program_overview_one_row" CHECK ("program_overview"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "referral_landing_day" (
	"day" date NOT NULL,
	"referrer_id" text NOT NULL,
	"views" integer NOT NULL,
	CONSTRAINT "referral_landing_day_day_referrer_id_pk" PRIMARY KEY("day","referrer_id")
);
--> statement-breakpoint
CREATE TABLE "referral_landing_total" (
	"day" date NOT NULL,
	"shard" smallint NOT NULL,
	"views" bigint NOT NULL,
	CONSTRAINT "referral_landing_total_day_shard_pk" PRIMARY KEY("day","shard")
);
--> statement-breakpoint
CREATE TABLE "user_address_history" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "user_address_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" text NOT NULL,
	"source" text NOT NULL,
	"ip_hash" text,
	"network_hash" text,
	"user_agent_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_address_history_source" CHECK ("user_address_history"."source" IN ('sign_in', 'landing_view'))
);
--> statement-breakpoint
CREATE TABLE "ws_token_use" (
	"token_id" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "quota_grant" DROP CONSTRAINT "quota_grant_user_id_user_id_fk";
--> statement-breakpoint
ALTER TABLE "quota_grant" DROP CONSTRAINT "quota_grant_referral_id_referral_referred_id_fk";
--> statement-breakpoint
ALTER TABLE "referral" DROP CONSTRAINT "referral_referrer_id_user_id_fk";
--> statement-breakpoint
ALTER TABLE "referral" DROP CONSTRAINT "referral_referred_id_user_id_fk";
--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "signup_network_hash" text;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "referral_landing_day" ADD CONSTRAINT "referral_landing_day_referrer_id_user_id_fk" FOREIGN KEY ("referrer_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_address_history" ADD CONSTRAINT "user_address_history_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "referral_landing_day_referrer_idx" ON "referral_landing_day" USING btree ("referrer_id","day");--> statement-breakpoint
CREATE INDEX "user_address_history_user_idx" ON "user_address_history" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "ws_token_use_expires_at_idx" ON "ws_token_use" USING btree ("expires_at");--> statement-breakpoint
ALTER TABLE "quota_grant" ADD CONSTRAINT "quota_grant_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quota_grant" ADD CONSTRAINT "quota_grant_referral_id_referral_referred_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referral"("referred_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral" ADD CONSTRAINT "referral_referrer_id_user_id_fk" FOREIGN KEY ("referrer_id") REFERENCES "public"."user"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral" ADD CONSTRAINT "referral_referred_id_user_id_fk" FOREIGN KEY ("referred_id") REFERENCES "public"."user"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "referral_created_at_idx" ON "referral" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "referral_status_created_at_idx" ON "referral" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "referral_status_completed_at_idx" ON "referral" USING btree ("status","completed_at" DESC NULLS LAST);--> statement-breakpoint
-- Landing views recorded before this release: counted per referrer and UTC day as they were (every
-- visit), then one row kept per visitor, code and day, and only what that needs (the visitor's
-- hashes together); the address and browser hashes of anonymous visitors are not kept any more.
ALTER TABLE "referral_landing_view" ADD COLUMN "day" date DEFAULT (now() at time zone 'UTC')::date NOT NULL;--> statement-breakpoint
ALTER TABLE "referral_landing_view" ADD COLUMN "visitor_hash" text;--> statement-breakpoint
UPDATE "referral_landing_view" SET "day" = ("created_at" at time zone 'UTC')::date,
  "visitor_hash" = coalesce("ip_hash", '-') || '.' || coalesce("user_agent_hash", '-');--> statement-breakpoint
INSERT INTO "referral_landing_day" ("day", "referrer_id", "views")
  SELECT "day", "referrer_id", count(*)::int FROM "referral_landing_view" GROUP BY 1, 2;--> statement-breakpoint
INSERT INTO "referral_landing_total" ("day", "shard", "views")
  SELECT "day", 0, count(*) FROM "referral_landing_view" GROUP BY 1;--> statement-breakpoint
DELETE FROM "referral_landing_view" v USING (
  SELECT "id", row_number() OVER (PARTITION BY "referrer_id", "day", "visitor_hash" ORDER BY "id") AS n FROM "referral_landing_view"
) d WHERE d."id" = v."id" AND d.n > 1;--> statement-breakpoint
ALTER TABLE "referral_landing_view" ALTER COLUMN "visitor_hash" SET NOT NULL;--> statement-breakpoint
DROP INDEX "referral_landing_view_created_at_idx";--> statement-breakpoint
ALTER TABLE "referral_landing_view" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "referral_landing_view" DROP COLUMN "ip_hash";--> statement-breakpoint
ALTER TABLE "referral_landing_view" DROP COLUMN "user_agent_hash";--> statement-breakpoint
ALTER TABLE "referral_landing_view" DROP COLUMN "created_at";--> statement-breakpoint
ALTER TABLE "referral_landing_view" ADD CONSTRAINT "referral_landing_view_once_a_day" PRIMARY KEY("referrer_id","day","visitor_hash");
