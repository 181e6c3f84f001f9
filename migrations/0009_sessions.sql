CREATE TABLE "login_links" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"name" text,
	"email" text,
	"tenants" jsonb NOT NULL,
	"role" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"name" text,
	"email" text,
	"tenants" jsonb NOT NULL,
	"role" text NOT NULL,
	"scopes" jsonb NOT NULL,
	"csrf_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "login_links_expires_at_idx" ON "login_links" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "sessions_subject_idx" ON "sessions" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "sessions_expires_at_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
-- not tenant data (DESIGN.md, "RLS settings"): a session or sign-in link is found by the SHA-256
-- of its secret before any tenant is known, so no row-level security; the service reads them,
-- redeems links and revokes sessions (UPDATE) and deletes rows long expired
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions, login_links TO posture_app;
