-- Custom migration: the role that owns the audit redaction function (see 0012).
-- Like the app roles: cluster-wide, created only when missing, no login, no RLS bypass.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'memberkit_redactor') THEN
    CREATE ROLE memberkit_redactor NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
  END IF;
END
$$;
--> statement-breakpoint
-- Making it the function's owner needs membership when the migrating user is not a superuser.
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT memberkit_redactor TO %I', current_user);
  END IF;
END
$$;
