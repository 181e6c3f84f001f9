-- Issue 15: every snapshot gets a collection time (where it came from in collected_at_source), the
-- time its configuration last changed when the export says so, and the time a re-post last
-- confirmed it; findings say which fields were assumed and whether their evidence was stale.
-- The backfill runs under row-level security (FORCE applies to the owner too): reach every tenant.
SELECT set_config('posture.all_tenants', 'on', false);--> statement-breakpoint
ALTER TABLE "snapshots" ADD COLUMN "collected_at_source" text DEFAULT 'received' NOT NULL;--> statement-breakpoint
ALTER TABLE "snapshots" ADD COLUMN "config_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "snapshots" ADD COLUMN "last_confirmed_at" timestamp with time zone;--> statement-breakpoint
-- pfSense/OPNsense rows kept the newest <revision><time> as their collection time: that is when the
-- configuration last changed, not when it was exported.
UPDATE "snapshots" SET "config_changed_at" = "collected_at", "collected_at" = NULL
  WHERE "source" IN ('pfsense', 'opnsense') AND "collected_at" IS NOT NULL;--> statement-breakpoint
-- any other stored collection time came from X-Collected-At
UPDATE "snapshots" SET "collected_at_source" = 'header' WHERE "collected_at" IS NOT NULL;--> statement-breakpoint
-- the rest get their receipt time
UPDATE "snapshots" SET "collected_at" = "received_at" WHERE "collected_at" IS NULL;--> statement-breakpoint
ALTER TABLE "snapshots" ALTER COLUMN "collected_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_collected_at_source_check" CHECK ("collected_at_source" in ('header', 'export', 'received'));--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "assumed" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "stale" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- snapshots stay immutable to the service but for this one column: a 200 re-post confirms the export
GRANT UPDATE ("last_confirmed_at") ON snapshots TO posture_app;--> statement-breakpoint
SELECT set_config('posture.all_tenants', '', false);
