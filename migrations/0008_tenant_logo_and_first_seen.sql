-- findings.first_seen_at: when a (rule, item) was first seen failing, carried over from the diff
-- base; rows written before this migration keep null (the API falls back to the evaluation time)
ALTER TABLE "findings" ADD COLUMN "first_seen_at" timestamp with time zone;--> statement-breakpoint
-- the tenant's logo for report covers; posture_app already holds UPDATE on tenants (0003)
ALTER TABLE "tenants" ADD COLUMN "logo" "bytea";--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "logo_media_type" text;
