-- Custom migration: the only way to change an audit entry. The app role still may
-- not UPDATE audit_log; it may call this function, which runs as memberkit_redactor
-- and blanks personal data (diff and salt, or IP and salt) of version 2 entries
-- about, or made by, one member, and only once that member has been erased (the
-- address eraseMember writes; see src/identity/gdpr.ts). The entries' commitments
-- and hashes are left as they are, so the chain still verifies.
GRANT SELECT ON "members", "invites" TO memberkit_redactor;--> statement-breakpoint
GRANT SELECT, UPDATE ("diff", "diff_salt", "ip", "ip_salt", "redacted_at") ON "audit_log" TO memberkit_redactor;--> statement-breakpoint
CREATE OR REPLACE FUNCTION memberkit_redact_member_audit(p_member_id text) RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
  v_tenant text := current_setting('app.tenant_id');
  v_erased text := 'erased+' || p_member_id || '@erased.invalid';
  v_invites text[];
  v_count integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM members WHERE tenant_id = v_tenant AND id = p_member_id AND email = v_erased) THEN
    RAISE EXCEPTION 'member % has not been erased', p_member_id USING ERRCODE = 'insufficient_privilege';
  END IF;
  v_invites := ARRAY(SELECT id FROM invites WHERE tenant_id = v_tenant AND email = v_erased);
  -- What was recorded about them (changes to the member, and to invitations sent to
  -- their address) loses its diff; what they did loses the IP they did it from.
  UPDATE audit_log a SET
    diff = CASE WHEN a.target_id = p_member_id OR a.target_id = ANY (v_invites) THEN '{}'::jsonb ELSE a.diff END,
    diff_salt = CASE WHEN a.target_id = p_member_id OR a.target_id = ANY (v_invites) THEN NULL ELSE a.diff_salt END,
    ip = CASE WHEN a.actor_type = 'member' AND a.actor_id = p_member_id THEN NULL ELSE a.ip END,
    ip_salt = CASE WHEN a.actor_type = 'member' AND a.actor_id = p_member_id THEN NULL ELSE a.ip_salt END,
    redacted_at = now()
  WHERE a.tenant_id = v_tenant AND a.hash_version = 2
    AND (((a.target_id = p_member_id OR a.target_id = ANY (v_invites)) AND a.diff_salt IS NOT NULL)
      OR (a.actor_type = 'member' AND a.actor_id = p_member_id AND a.ip_salt IS NOT NULL));
  GET DIAGNOSTICS v_count = ROW_COUNT;
  RETURN v_count;
END
$$;--> statement-breakpoint
-- A new owner needs CREATE on the function's schema at the moment of the change
-- (PostgreSQL's rule for non-superusers); it does not keep it.
GRANT CREATE ON SCHEMA public TO memberkit_redactor;--> statement-breakpoint
ALTER FUNCTION memberkit_redact_member_audit(text) OWNER TO memberkit_redactor;--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM memberkit_redactor;--> statement-breakpoint
REVOKE ALL ON FUNCTION memberkit_redact_member_audit(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION memberkit_redact_member_audit(text) TO memberkit_app;
