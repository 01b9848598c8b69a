CREATE TABLE "api_key" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"start" text NOT NULL,
	"hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by_id" text,
	"created_by_email" text NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_by_email" text,
	CONSTRAINT "api_key_hash_unique" UNIQUE("hash"),
	CONSTRAINT "api_key_scopes" CHECK (cardinality("api_key"."scopes") >= 1 AND "api_key"."scopes" <@ ARRAY['read', 'write']::text[]),
	CONSTRAINT "api_key_revoked" CHECK (("api_key"."revoked_at" IS NULL) = ("api_key"."revoked_by_email" IS NULL))
);
