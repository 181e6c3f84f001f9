-- Row-level security: every table holding tenant data sees only the tenants of the transaction's
-- reach (posture.tenant_ids, or posture.all_tenants = 'on' for `*` tokens and system contexts),
-- set with SET LOCAL by src/db/scope.ts. FORCE applies it to the tables' owner too; superusers
-- bypass it, which is why the service drops to posture_app (or logs in as a member of it).
DO $$
BEGIN
  CREATE ROLE posture_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION
  -- roles are cluster-wide: another database's migration may have created it meanwhile
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION posture_reach(t uuid) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(current_setting('posture.all_tenants', true), '') = 'on'
      OR t = ANY (string_to_array(nullif(current_setting('posture.tenant_ids', true), ''), ',')::uuid[])
$$;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO posture_app;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION posture_reach(uuid) TO posture_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON tenants TO posture_app;--> statement-breakpoint
GRANT SELECT, INSERT ON snapshots, snapshot_parts, evaluations, findings, reports TO posture_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON parameters TO posture_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON waivers TO posture_app;--> statement-breakpoint
GRANT SELECT, INSERT ON audit_log TO posture_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON signing_certificates TO posture_app;--> statement-breakpoint
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_reach ON tenants USING (posture_reach(id)) WITH CHECK (posture_reach(id));--> statement-breakpoint
ALTER TABLE snapshots ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE snapshots FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_reach ON snapshots USING (posture_reach(tenant_id)) WITH CHECK (posture_reach(tenant_id));--> statement-breakpoint
ALTER TABLE snapshot_parts ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE snapshot_parts FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_reach ON snapshot_parts USING (posture_reach(tenant_id)) WITH CHECK (posture_reach(tenant_id));--> statement-breakpoint
ALTER TABLE evaluations ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE evaluations FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_reach ON evaluations USING (posture_reach(tenant_id)) WITH CHECK (posture_reach(tenant_id));--> statement-breakpoint
ALTER TABLE findings ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE findings FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_reach ON findings USING (posture_reach(tenant_id)) WITH CHECK (posture_reach(tenant_id));--> statement-breakpoint
ALTER TABLE parameters ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE parameters FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_reach ON parameters USING (posture_reach(tenant_id)) WITH CHECK (posture_reach(tenant_id));--> statement-breakpoint
ALTER TABLE waivers ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE waivers FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_reach ON waivers USING (posture_reach(tenant_id)) WITH CHECK (posture_reach(tenant_id));--> statement-breakpoint
ALTER TABLE reports ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE reports FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_reach ON reports USING (posture_reach(tenant_id)) WITH CHECK (posture_reach(tenant_id));--> statement-breakpoint
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_reach ON audit_log USING (posture_reach(tenant_id)) WITH CHECK (posture_reach(tenant_id));
