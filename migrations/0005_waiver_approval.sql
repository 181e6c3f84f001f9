-- Segregation of duties: a waiver is requested (pending) and approved by another subject. Rows
-- from before stay approved as recorded: status approved, approved_at = created_at, and
-- approved_by keeps the free text they were created with.
ALTER TABLE "waivers" ALTER COLUMN "approved_by" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "waivers" ADD COLUMN "status" text DEFAULT 'approved' NOT NULL;--> statement-breakpoint
ALTER TABLE "waivers" ALTER COLUMN "status" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "waivers" ADD COLUMN "approved_by_name" text;--> statement-breakpoint
ALTER TABLE "waivers" ADD COLUMN "approved_by_email" text;--> statement-breakpoint
ALTER TABLE "waivers" ADD COLUMN "approved_at" timestamp with time zone;--> statement-breakpoint
-- FORCE ROW LEVEL SECURITY applies to the owner running this: reach every tenant for the update
DO $$
BEGIN
  PERFORM set_config('posture.all_tenants', 'on', true);
  UPDATE "waivers" SET "approved_at" = "created_at";
END
$$;--> statement-breakpoint
ALTER TABLE "waivers" ADD COLUMN "created_by_name" text;--> statement-breakpoint
ALTER TABLE "waivers" ADD COLUMN "created_by_email" text;
