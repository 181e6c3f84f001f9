CREATE TABLE "evaluation_scores" (
	"tenant_id" uuid NOT NULL,
	"evaluation_id" uuid NOT NULL,
	"pack_id" text NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"verified_numerator" integer NOT NULL,
	"verified_denominator" integer NOT NULL,
	"with_attestations_numerator" integer NOT NULL,
	"with_attestations_denominator" integer NOT NULL,
	"with_waivers_numerator" integer NOT NULL,
	"with_waivers_denominator" integer NOT NULL,
	"open_critical" integer NOT NULL,
	"open_high" integer NOT NULL,
	"open_medium" integer NOT NULL,
	"open_low" integer NOT NULL,
	"open_info" integer NOT NULL,
	CONSTRAINT "evaluation_scores_tenant_id_evaluation_id_pack_id_pk" PRIMARY KEY("tenant_id","evaluation_id","pack_id")
);
--> statement-breakpoint
ALTER TABLE "evaluation_scores" ADD CONSTRAINT "evaluation_scores_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_scores" ADD CONSTRAINT "evaluation_scores_tenant_id_evaluation_id_evaluations_tenant_id_id_fk" FOREIGN KEY ("tenant_id","evaluation_id") REFERENCES "public"."evaluations"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evaluation_scores_latest_idx" ON "evaluation_scores" USING btree ("tenant_id","pack_id","as_of" DESC NULLS LAST,"created_at" DESC NULLS LAST,"evaluation_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "findings_failing_idx" ON "findings" USING btree ("tenant_id","evaluation_id","pack_id","fingerprint") WHERE "findings"."status" = 'fail';--> statement-breakpoint
-- Backfill: every stored evaluation carries its packs' requirement states, so each gets its rows:
-- the three figures as stored (`scores`), or, for evaluations stored before they existed, computed
-- from the requirements exactly as core/scores.ts scoresOf does; open counts are its failing
-- findings by severity. The reach setting lets an owner that is not a superuser read the rows
-- through FORCE ROW LEVEL SECURITY (local to the migration's transaction).
SELECT set_config('posture.all_tenants', 'on', true);--> statement-breakpoint
INSERT INTO evaluation_scores (tenant_id, evaluation_id, pack_id, as_of, created_at,
  verified_numerator, verified_denominator, with_attestations_numerator, with_attestations_denominator,
  with_waivers_numerator, with_waivers_denominator, open_critical, open_high, open_medium, open_low, open_info)
SELECT e.tenant_id, e.id, p.value->>'id', e.as_of, e.created_at,
  coalesce((p.value#>>'{scores,verified,numerator}')::int, r.verified_num),
  coalesce((p.value#>>'{scores,verified,denominator}')::int, r.verified_den),
  coalesce((p.value#>>'{scores,withAttestations,numerator}')::int, r.attested_num),
  coalesce((p.value#>>'{scores,withAttestations,denominator}')::int, r.counted),
  coalesce((p.value#>>'{scores,withWaivers,numerator}')::int, r.waived_num),
  coalesce((p.value#>>'{scores,withWaivers,denominator}')::int, r.counted),
  coalesce(o.critical, 0), coalesce(o.high, 0), coalesce(o.medium, 0), coalesce(o.low, 0), coalesce(o.info, 0)
FROM evaluations e
CROSS JOIN LATERAL jsonb_array_elements(e.result->'packs') AS p(value)
CROSS JOIN LATERAL (
  SELECT
    count(*) FILTER (WHERE q.state = 'pass' AND NOT q.manual)::int AS verified_num,
    count(*) FILTER (WHERE NOT q.manual)::int AS verified_den,
    count(*) FILTER (WHERE q.state IN ('pass', 'attested'))::int AS attested_num,
    count(*) FILTER (WHERE q.state IN ('pass', 'attested', 'waived'))::int AS waived_num,
    count(*)::int AS counted
  FROM (
    SELECT req->>'state' AS state, coalesce((req->>'manual')::boolean, false) AS manual
    FROM jsonb_array_elements(p.value->'requirements') AS req
    WHERE NOT coalesce((req->>'informational')::boolean, false) AND req->>'state' <> 'not_applicable'
  ) q
) r
LEFT JOIN LATERAL (
  SELECT
    count(*) FILTER (WHERE f.severity = 'critical')::int AS critical,
    count(*) FILTER (WHERE f.severity = 'high')::int AS high,
    count(*) FILTER (WHERE f.severity = 'medium')::int AS medium,
    count(*) FILTER (WHERE f.severity = 'low')::int AS low,
    count(*) FILTER (WHERE f.severity = 'info')::int AS info
  FROM findings f
  WHERE f.tenant_id = e.tenant_id AND f.evaluation_id = e.id AND f.pack_id = p.value->>'id' AND f.status = 'fail'
) o ON true;--> statement-breakpoint
-- tenant data: row-level security as in 0003 and 0007 (FORCE applies it to the owner too); the
-- rows are written once, with their evaluation, and never changed
GRANT SELECT, INSERT ON evaluation_scores TO posture_app;--> statement-breakpoint
ALTER TABLE evaluation_scores ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE evaluation_scores FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_reach ON evaluation_scores USING (posture_reach(tenant_id)) WITH CHECK (posture_reach(tenant_id));
