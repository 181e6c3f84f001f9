CREATE TABLE "attestation_files" (
	"tenant_id" uuid NOT NULL,
	"attestation_id" uuid NOT NULL,
	"idx" integer NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"key_id" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	CONSTRAINT "attestation_files_tenant_id_attestation_id_idx_pk" PRIMARY KEY("tenant_id","attestation_id","idx")
);
--> statement-breakpoint
CREATE TABLE "attestations" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pack_id" text NOT NULL,
	"requirement_id" text NOT NULL,
	"statement" text NOT NULL,
	"attested_by" text NOT NULL,
	"attested_by_name" text,
	"attested_by_email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"valid_until" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" text,
	CONSTRAINT "attestations_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "attestation_files" ADD CONSTRAINT "attestation_files_tenant_id_attestation_id_attestations_tenant_id_id_fk" FOREIGN KEY ("tenant_id","attestation_id") REFERENCES "public"."attestations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attestations" ADD CONSTRAINT "attestations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attestations_requirement_idx" ON "attestations" USING btree ("tenant_id","pack_id","requirement_id");--> statement-breakpoint
-- tenant data: row-level security as in 0003 (FORCE applies it to the owner too); the files'
-- rows are re-sealed in place when the data key rotates (UPDATE), never deleted
GRANT SELECT, INSERT, UPDATE ON attestations, attestation_files TO posture_app;--> statement-breakpoint
ALTER TABLE attestations ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE attestations FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_reach ON attestations USING (posture_reach(tenant_id)) WITH CHECK (posture_reach(tenant_id));--> statement-breakpoint
ALTER TABLE attestation_files ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE attestation_files FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_reach ON attestation_files USING (posture_reach(tenant_id)) WITH CHECK (posture_reach(tenant_id));
