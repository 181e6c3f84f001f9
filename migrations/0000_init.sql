CREATE TABLE "audit_log" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text,
	"request_id" text,
	"detail" jsonb,
	CONSTRAINT "audit_log_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "evaluations" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"trigger" text NOT NULL,
	"previous_id" uuid,
	"packs" jsonb NOT NULL,
	"parameters" jsonb NOT NULL,
	"snapshot_ids" jsonb NOT NULL,
	"file_hashes" jsonb NOT NULL,
	"result" jsonb NOT NULL,
	CONSTRAINT "evaluations_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"tenant_id" uuid NOT NULL,
	"evaluation_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pack_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"requirements" jsonb NOT NULL,
	"status" text NOT NULL,
	"severity" text NOT NULL,
	"source" text,
	"snapshot_id" uuid,
	"item_id" text,
	"item_name" text,
	"message" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"origin" jsonb,
	"waiver_id" uuid,
	"is_new" boolean NOT NULL,
	"fingerprint" text NOT NULL,
	CONSTRAINT "findings_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "parameters" (
	"tenant_id" uuid NOT NULL,
	"pack_id" text NOT NULL,
	"values" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "parameters_tenant_id_pack_id_pk" PRIMARY KEY("tenant_id","pack_id")
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"evaluation_id" uuid NOT NULL,
	"packs" jsonb NOT NULL,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"signer_fingerprint" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"pdf" "bytea" NOT NULL,
	CONSTRAINT "reports_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "signing_certificates" (
	"fingerprint" text PRIMARY KEY NOT NULL,
	"certificate_pem" text NOT NULL,
	"subject" text NOT NULL,
	"first_used_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "snapshot_parts" (
	"tenant_id" uuid NOT NULL,
	"snapshot_id" uuid NOT NULL,
	"idx" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	CONSTRAINT "snapshot_parts_tenant_id_snapshot_id_idx_pk" PRIMARY KEY("tenant_id","snapshot_id","idx")
);
--> statement-breakpoint
CREATE TABLE "snapshots" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"instance" text NOT NULL,
	"collected_at" timestamp with time zone,
	"received_at" timestamp with time zone NOT NULL,
	"sha256" text NOT NULL,
	"document_sha256" text NOT NULL,
	"content_type" text NOT NULL,
	"parts" jsonb NOT NULL,
	"normalized" jsonb NOT NULL,
	"item_count" integer NOT NULL,
	"submitted_by" text NOT NULL,
	"labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "snapshots_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"parent_id" uuid,
	"external_refs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"packs" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_kind_check" CHECK ("tenants"."kind" in ('msp', 'client')),
	CONSTRAINT "tenants_client_parent_check" CHECK ("tenants"."parent_id" is null or "tenants"."kind" = 'client')
);
--> statement-breakpoint
CREATE TABLE "waivers" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"rule_id" text NOT NULL,
	"pack_id" text,
	"item_match" text NOT NULL,
	"justification" text NOT NULL,
	"approved_by" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" text,
	CONSTRAINT "waivers_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_tenant_id_evaluation_id_evaluations_tenant_id_id_fk" FOREIGN KEY ("tenant_id","evaluation_id") REFERENCES "public"."evaluations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parameters" ADD CONSTRAINT "parameters_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_signer_fingerprint_signing_certificates_fingerprint_fk" FOREIGN KEY ("signer_fingerprint") REFERENCES "public"."signing_certificates"("fingerprint") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_tenant_id_evaluation_id_evaluations_tenant_id_id_fk" FOREIGN KEY ("tenant_id","evaluation_id") REFERENCES "public"."evaluations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshot_parts" ADD CONSTRAINT "snapshot_parts_tenant_id_snapshot_id_snapshots_tenant_id_id_fk" FOREIGN KEY ("tenant_id","snapshot_id") REFERENCES "public"."snapshots"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_parent_id_tenants_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waivers" ADD CONSTRAINT "waivers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("tenant_id","at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "evaluations_created_idx" ON "evaluations" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "findings_evaluation_idx" ON "findings" USING btree ("tenant_id","evaluation_id","id");--> statement-breakpoint
CREATE INDEX "reports_created_idx" ON "reports" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "reports_sha256_idx" ON "reports" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "snapshots_latest_idx" ON "snapshots" USING btree ("tenant_id","source","instance","received_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "snapshots_kind_idx" ON "snapshots" USING btree ("tenant_id","kind","received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "tenants_slug_key" ON "tenants" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "tenants_parent_idx" ON "tenants" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "waivers_rule_idx" ON "waivers" USING btree ("tenant_id","rule_id");