CREATE TYPE "public"."quota_grant_reason" AS ENUM('referral_referrer', 'referral_referred', 'clawback', 'admin_adjustment');--> statement-breakpoint
ALTER TYPE "public"."referral_status" ADD VALUE 'held';--> statement-breakpoint
ALTER TYPE "public"."referral_status" ADD VALUE 'rejected';--> statement-breakpoint
CREATE TABLE "disposable_email_domain" (
	"domain" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quota_grant" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "quota_grant_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" text NOT NULL,
	"amount" integer NOT NULL,
	"reason" "quota_grant_reason" NOT NULL,
	"referral_id" text,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quota_grant_once" UNIQUE("referral_id","user_id","reason")
);
--> statement-breakpoint
CREATE TABLE "referral_decision" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "referral_decision_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"referral_id" text NOT NULL,
	"referrer_id" text NOT NULL,
	"action" text NOT NULL,
	"from_status" "referral_status" NOT NULL,
	"to_status" "referral_status" NOT NULL,
	"actor_id" text,
	"actor_email" text NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referral_decision_action" CHECK ("referral_decision"."action" IN ('approve', 'reject', 'revoke'))
);
--> statement-breakpoint
CREATE TABLE "referral_landing_view" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "referral_landing_view_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"referrer_id" text NOT NULL,
	"ip_hash" text,
	"user_agent_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_event" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_event_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"event_id" text DEFAULT gen_random_uuid()::text NOT NULL,
	"type" text NOT NULL,
	"referral_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_event_event_id_unique" UNIQUE("event_id"),
	CONSTRAINT "webhook_event_status" CHECK ("webhook_event"."status" IN ('pending', 'delivered', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "referral" DROP CONSTRAINT "referral_completed_at_matches_status";--> statement-breakpoint
ALTER TABLE "referral" ADD COLUMN "risk_score" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "referral" ADD COLUMN "signals" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "referral" ADD COLUMN "status_reason" text;--> statement-breakpoint
ALTER TABLE "referral" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "signup_ip_hash" text;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "signup_user_agent_hash" text;--> statement-breakpoint
ALTER TABLE "quota_grant" ADD CONSTRAINT "quota_grant_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quota_grant" ADD CONSTRAINT "quota_grant_referral_id_referral_referred_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referral"("referred_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_landing_view" ADD CONSTRAINT "referral_landing_view_referrer_id_user_id_fk" FOREIGN KEY ("referrer_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "quota_grant_user_id_idx" ON "quota_grant" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "referral_decision_created_at_idx" ON "referral_decision" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "referral_landing_view_created_at_idx" ON "referral_landing_view" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "webhook_event_pending_idx" ON "webhook_event" USING btree ("next_attempt_at") WHERE "webhook_event"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_event_referral_idx" ON "webhook_event" USING btree ("referral_id","id");--> statement-breakpoint
ALTER TABLE "referral" ADD CONSTRAINT "referral_completed_at_matches_status" CHECK ("referral"."status"::text NOT IN ('completed', 'pending', 'held') OR ("referral"."status"::text = 'completed') = ("referral"."completed_at" IS NOT NULL));